"""Duplicated keys in a posted JSON object: refused, not silently the last one.

orjson (the fast parser) keeps the last of duplicated keys and cannot say it saw any. So the
keys are counted instead: every key in the text is a string followed by `:`, so counting
`":` in the bytes gives at least the number of keys posted (more when a string holds `":`).
When that count equals the keys orjson kept, no key was duplicated; that costs one
`bytes.count` and one `len` per object. Only when the counts differ (a duplicate, or `":`
inside a string) is the body parsed again, with the standard library's parser and a hook that
sees every pair, to name the key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# JSON allows whitespace between a key and its colon: rare, so looked for before counted
# (one search for a quote followed by whitespace is cheaper than counting with a regex).
_QUOTE_SPACE = re.compile(rb'"[ \t\r\n]')
_KEY = re.compile(rb'"[ \t\r\n]*:')


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """The first duplicated key: where its object is (indices and keys) and the key."""

    path: tuple[str | int, ...]
    key: str

    def problem(self, *, batch: bool) -> dict[str, Any]:
        """The error item as parse.problems writes them, naming the key."""
        path = list(self.path)
        index = path.pop(0) if batch and path and isinstance(path[0], int) else None
        names = [part for part in path if isinstance(part, str)]
        field = names[0] if names else self.key
        return {
            "loc": ["body", *([index] if index is not None else []), *path, self.key],
            "index": index,
            "field": field,
            "msg": f"{field}: the key {self.key!r} appears more than once in one object; "
            "send each key once",
            "type": "duplicate_key",
        }


def duplicate_key(body: bytes, data: Any) -> DuplicateKey | None:
    """The first duplicated key of `body` (already parsed as `data`), or None."""
    posted = keys_in_text(body)
    if isinstance(data, list):
        kept = sum([len(item) if type(item) is dict else 0 for item in data])
    else:
        kept = len(data) if isinstance(data, dict) else 0
    # Nested objects (reports' lines) only add to `posted`: count them before parsing again.
    if posted == kept or posted == _keys_kept(data):
        return None
    return _find(json.loads(body, object_pairs_hook=_Pairs.of), ())


def keys_in_text(body: bytes) -> int:
    """How many `"` followed by `:` (whitespace allowed between) the text holds: at least its
    keys, more when a string holds `":`."""
    if _QUOTE_SPACE.search(body) is None:
        return body.count(b'":')
    return len(_KEY.findall(body))


def _keys_kept(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_keys_kept(item) for item in value.values())
    if isinstance(value, list):
        return sum(_keys_kept(item) for item in value)
    return 0


class _Pairs(dict[str, Any]):
    """An object as the standard parser read it, remembering its first repeated key."""

    repeated: str | None = None

    @classmethod
    def of(cls, pairs: list[tuple[str, Any]]) -> _Pairs:
        made = cls(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    made.repeated = key
                    break
                seen.add(key)
        return made


def _find(value: Any, path: tuple[str | int, ...]) -> DuplicateKey | None:
    if isinstance(value, _Pairs):
        if value.repeated is not None:
            return DuplicateKey(path, value.repeated)
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for name, item in items:
        found = _find(item, (*path, name))
        if found is not None:
            return found
    return None
