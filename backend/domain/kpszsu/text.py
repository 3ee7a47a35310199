# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF002, RUF003
"""The post's text made regular, cut into sentences and bullets, and its numerals read.

One spelling for the many a post mixes: apostrophes (' ’ ʼ), dashes (- – — ‑ −), quotes
(" “ ” « »), non-breaking and thin spaces. Numbers written in words ("трьома") or with a
case ending ("179-ма", "559-ти") become plain digits, so the later rules see one form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_APOSTROPHES = re.compile("[`\u02bc\u2019\u2018\u00b4\u02b9\u2032]")
_DASHES = re.compile("[\u2010-\u2015\u2212\u2e3a\u2e3b]")
_QUOTES = re.compile('["\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]')
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufe0f]")
# "179-ма", "559-ти", "118-та", "31-м", "50-ти": the ending of the numeral's case.
_CASE_ENDING = re.compile(r"(?<![\w/-])(\d+)-(ма|ми|ти|та|х|м|ю|ох|ьох|ьома|ьма)\b")
# Bullets and the emoji that open the lines of a post; "➖➖➖" rules are dropped.
_BULLET = re.compile(r"^\s*(?:[-•▪▫◾◽●○*]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]+)\s*")
_RULE = re.compile(r"^[\s\u2796\u2014\-_=~.]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[А-ЯІЇЄҐA-Z0-9\U0001F300-\U0001FAFF\u2600-\u27BF])")

_OPEN = re.compile(r"[\w,\-]$")  # a line that stops mid-sentence
_GOES_ON = re.compile(r"^[a-zа-яіїєґ0-9'\"(]")  # a line that starts mid-sentence

# Numerals in words, in the case forms a post uses (nominative, genitive, instrumental).
_WORDS: dict[str, int] = {}
for _number, _forms in {
    1: "один одна одну одного однією одною одним",
    2: "два дві двох двома",
    3: "три трьох трьома",
    4: "чотири чотирьох чотирма",
    5: "п'ять п'яти п'ятьма п'ятьох",
    6: "шість шести шістьма шістьох",
    7: "сім семи сімома сьома сімох",
    8: "вісім восьми вісьмома вісьмох",
    9: "дев'ять дев'яти дев'ятьма дев'ятьох",
    10: "десять десяти десятьма десятьох",
}.items():
    for _form in _forms.split():
        _WORDS[_form] = _number
_WORD_NUMBER = re.compile(
    r"(?<![\w'])("
    + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
    + r")(?![\w'])",
    re.IGNORECASE,
)


def normalize(text: str) -> str:
    """One spelling of apostrophes, dashes, quotes and spaces; numerals as digits."""
    text = _INVISIBLE.sub("", text)
    text = _APOSTROPHES.sub("'", text)
    text = _DASHES.sub("-", text)
    text = _QUOTES.sub('"', text)
    text = _SPACES.sub(" ", text)
    text = _CASE_ENDING.sub(r"\1", text)
    return _WORD_NUMBER.sub(lambda match: str(_WORDS[match.group(1).lower()]), text)


@dataclass
class Unit:
    """A sentence of the post with the bullets that follow it (its list, when it has one)."""

    text: str
    bullets: list[str] = field(default_factory=list)

    def whole(self) -> str:
        """The sentence and its bullets as one text."""
        return " ".join([self.text, *self.bullets])


def units(text: str) -> list[Unit]:
    """The normalized post as sentences, each bullet attached to the sentence before it.

    A blank line between a list's header and its bullets does not part them.
    """
    found: list[Unit] = []
    for raw in normalize(text).splitlines():
        if _RULE.match(raw):
            continue
        line = raw.strip()
        bullet = _BULLET.match(line)
        is_bullet = bool(bullet) and line[:1] in "-•▪▫◾◽●○*"
        body = line[bullet.end() :] if bullet else line
        body = body.strip()
        if not body:
            continue
        if is_bullet and found:
            found[-1].bullets.append(body)
            continue
        if (
            found
            and not found[-1].bullets
            and _GOES_ON.match(body)
            and _OPEN.search(found[-1].text)
        ):
            # A sentence broken over two lines: "противник атакував \n118-та ударними БпЛА".
            found[-1].text = f"{found[-1].text} {body}"
            body = found.pop().text
        found.extend(Unit(sentence.strip()) for sentence in _SENTENCE_END.split(body))
    return found
