"""Duplicated keys found by counting, and named by the slow parse only when counts differ."""

from __future__ import annotations

import orjson
import pytest

from backend.ingest.json_keys import DuplicateKey, duplicate_key


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b'{"a":1,"a":2}', DuplicateKey((), "a")),
        (b'{"a" :1,\n"a"\t: 2}', DuplicateKey((), "a")),
        (b'[{"a":1},{"b":1,"c":{"d":1,"d":2}}]', DuplicateKey((1, "c"), "d")),
        (b'{"a":[{"x":1},{"y":1,"y":1}]}', DuplicateKey(("a", 1), "y")),
    ],
)
def test_a_duplicated_key_is_found_with_its_place(body: bytes, found: DuplicateKey) -> None:
    assert duplicate_key(body, orjson.loads(body)) == found


@pytest.mark.parametrize(
    "body",
    [
        b'{"a":1,"b":2}',
        b'{"a" : 1, "b"\n:\n{"c": [1, {"d": 2}]}}',
        b'[{"note":"\\": \\":"},{"note":"x"}]',  # `":` inside strings only
        b"[1, 2, []]",
    ],
)
def test_no_duplicate_is_none(body: bytes) -> None:
    assert duplicate_key(body, orjson.loads(body)) is None


def test_the_problem_names_index_and_field() -> None:
    problem = DuplicateKey((3, "lines", 0), "launched").problem(batch=True)
    assert problem["loc"] == ["body", 3, "lines", 0, "launched"]
    assert (problem["index"], problem["field"], problem["type"]) == (3, "lines", "duplicate_key")
