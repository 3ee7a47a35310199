# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF002, RUF003
"""The counts of a post: each number with the weapon it counts and what it says of them.

A clause is a number and the words up to the next number: "146 ворожих БпЛА збито
вогневими засобами, 193 - локаційно втрачені" is two clauses; the second names no weapon
and takes the first one's. What a clause says (`figure`) is its own status words, else the
sentence's ("збито/подавлено" is the combined `neutralized`; "збито вогневими засобами" is
`shot_down`; "локаційно втрачені", "подавлені РЕБ" are `suppressed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.domain.kpszsu.weapons import MISSILE, TOTAL, Named, model_of, named, weapon_of

LAUNCHED = "launched"
NEUTRALIZED = "neutralized"
SHOT_DOWN = "shot_down"
SUPPRESSED = "suppressed"

_MONTHS = "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
# A count: not a part of a model (Х-101, KN-23, Х-59/69), a clock (07:30) or a date (25 вересня).
_NUMBER = re.compile(rf"(?<![\w/.:,-])(\d{{1,7}})(?![\w:/]|[.,]\d|\s+(?:{_MONTHS}|року)\b)")
_NEUTRALIZED = re.compile(
    r"збито\s*/\s*подавлено|збито\s+або\s+подавлено|знешкоджено|нейтралізовано|збито/знешкоджено",
    re.I,
)
_SUPPRESSED = re.compile(
    r"локаційно\s+втрачен\w*|подавлен\w*|\bреб\b|не\s+досягл\w*|втрачен\w*", re.I
)
_SHOT_DOWN = re.compile(r"збит[оіа]\w*|збиття|знищено|знищен\w*|вогнев\w*", re.I)
DESTROYED = re.compile(
    r"збито|подавлено|знешкоджено|збиття|знищено|локаційно\s+втрачен|нейтралізовано|подавлені",
    re.I,
)
LAUNCH = re.compile(
    r"атакува\w*|завда\w*(?:\s+\w+)?\s+удар\w*|застосува\w*|випусти\w*|здійснено\s+супровід",
    re.I,
)
# "понад 50 із них - реактивні", "(до 160 із них - шахеди)": a part of the count before it.
_SUBCOUNT = re.compile(
    r"(?:понад|близько|до|майже|щонайменше|більше)?\s*\d+\s+(?:із|з)\s+них\s*-?\s*([\w\"']+)",
    re.I,
)
_PARENS = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class Count:
    """A number, what it says (launched, shot_down, ...) and of what."""

    number: int
    figure: str
    names: Named
    total: bool = False

    @property
    def weapon(self) -> str | None:
        """The contract class, or None for a total or a count of no single class."""
        return None if self.total else weapon_of(self.names)

    @property
    def model(self) -> str | None:
        """The models named, as one string."""
        return model_of(self.names)


@dataclass
class Reading:
    """The counts of a text, the notes on what was set aside, and whether it read it all."""

    counts: list[Count]
    notes: list[str]
    unread: bool = False


def status(text: str) -> str | None:
    """What status words in the text say of a count, or None when there are none."""
    if _NEUTRALIZED.search(text):
        return NEUTRALIZED
    if _SUPPRESSED.search(text):
        return SUPPRESSED
    if _SHOT_DOWN.search(text):
        return SHOT_DOWN
    return None


def _status_at(text: str) -> int:
    """Where the first status word begins (the noun phrase ends there)."""
    starts = [
        match.start()
        for pattern in (_NEUTRALIZED, _SUPPRESSED, _SHOT_DOWN)
        if (match := pattern.search(text))
    ]
    return min(starts, default=len(text))


def set_aside(text: str) -> tuple[str, list[str]]:
    """The text without its sub-counts ("понад 50 із них - реактивні"), and notes on them.

    A sub-count is a part of the count before it: never a line of its own. Its words stay,
    so "реактивні" still names the jet Shaheds in the model.
    """
    notes: list[str] = []

    def parens(match: re.Match[str]) -> str:
        inner = match.group(1)
        return f" {inner} " if not re.search(r"\d", inner) else f" {subcounts(inner)} "

    def subcounts(part: str) -> str:
        def one(match: re.Match[str]) -> str:
            notes.append(f"sub-count not made a line: {match.group(0).strip()!r}")
            return f" {match.group(1)} "

        return _SUBCOUNT.sub(one, part)

    text = _PARENS.sub(parens, text)
    return subcounts(text), notes


def read_counts(text: str, *, default: str | None, header: bool = False) -> Reading:
    """The counts in the text (a sentence, a part of one, or a bullet).

    `default` is what a clause says when it has no status words of its own (the sentence's
    verb); `header` marks a list's header, whose counts only total its bullets. A clause
    that names no weapon takes the one before it in the same text; one that has none, or
    names a bare "ракети" outside a header, or several classes under one count, is unread.
    """
    text, notes = set_aside(text)
    matches = list(_NUMBER.finditer(text))
    counts: list[Count] = []
    unread = False
    before: Named | None = None
    before_total = False
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        clause = text[match.end() : end]
        noun = clause[: _status_at(clause)]
        names = named(noun)
        figure = status(clause[len(noun) :]) or default
        if names.empty and before is not None:
            names, total = before, before_total
        else:
            total = header or TOTAL in names.kinds or MISSILE in names.kinds
        if figure is None or names.empty:
            unread = True
            continue
        if not total and weapon_of(names) is None:
            unread = True
            continue
        if MISSILE in names.kinds and not header:
            unread = True
            continue
        counts.append(Count(int(match.group(1)), figure, names, total))
        before, before_total = names, total
    return Reading(counts, notes, unread)


def lead(text: str) -> Named:
    """What the words before the first count name ("балістичними ракетами Іскандер-М")."""
    text, _notes = set_aside(text)
    return named(before_counts(text))


def before_counts(text: str) -> str:
    """The words before the text's first count (a clock or a date is not one)."""
    match = _NUMBER.search(text)
    return text[: match.start()] if match else text
