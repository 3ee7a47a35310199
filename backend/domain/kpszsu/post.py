# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF003
"""A kpszsu morning post in, an official report out (the record POST /api/v1/reports takes).

The post is read sentence by sentence (a list's bullets with their sentence): the sentence
that names the night opens the report and what comes before it is the headline (it repeats
the body's figures, so it is not read). Each later sentence is the launch part ("атакував",
"Загалом виявлено та здійснено супровід"), the shot-down part ("збито/подавлено",
"знешкоджено", "локаційно втрачені"), the hit and debris locations, or the main directions;
a sentence with figures that is none of these, and every count not tied to a weapon, goes
to `unparsed`. Nothing is guessed: a figure the post does not state is None.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from backend.domain.kpszsu import figures, night, places
from backend.domain.kpszsu.figures import DESTROYED, LAUNCH, LAUNCHED, Count, read_counts
from backend.domain.kpszsu.lines import Lines
from backend.domain.kpszsu.text import Unit, normalize, units
from backend.domain.kpszsu.weapons import DRONE_CLASSES, MISSILE, TOTAL, weapon_of
from backend.domain.reports import ReportIn

MAX_TEXT = 20_000
_PIECES = re.compile(r";|,?\s+а\s+також\s+|,?\s+крім\s+того,?\s+", re.I)
_GOES_ON = re.compile(r"^(?:а\s+)?також\b|^крім\s+того\b", re.I)
_MAX_AREA_LISTS = 10  # "із напрямків:" lists in one sentence (a real post has one or two)
_MISSILES = frozenset({"cruise_missile", "ballistic_missile"})


class PostError(ValueError):
    """The text is not an Air Force night report the parser can read (field `text`)."""


@dataclass
class ParsedPost:
    """The report, the sentences or bullets not read, and what the reader should check."""

    report: dict[str, Any]
    unparsed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _State:
    lines: Lines = field(default_factory=Lines)
    totals: list[Count] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    launch_areas: list[str] = field(default_factory=list)
    main_targets: list[str] = field(default_factory=list)
    hits: int | None = None
    section: str | None = None  # the part the last sentence was in: launch or destroyed
    debris: int | None = None

    def take(self, reading: figures.Reading, source: str) -> None:
        self.warnings.extend(reading.notes)
        if reading.unread and source not in self.unparsed:
            self.unparsed.append(source)
        # Counts that name a model first, so a bare "8 крилатих ракет" does not take the line
        # of the "Бандероль" counted after it.
        for count in sorted(reading.counts, key=_model_last):
            if count.total:
                self.totals.append(count)
            else:
                self.lines.add(count, self.warnings)


def _model_last(count: Count) -> bool:
    return count.figure != LAUNCHED and not count.names.models


def report_id(label: str, text: str) -> str:
    """The id of a post's report: its night and its text, so the same post is one report."""
    digest = hashlib.sha256(text.strip().encode()).hexdigest()[:16]
    return f"kpszsu-{label}-{digest}"


def check_text(text: object) -> str:
    """The text if it can be a post; else PostError saying why."""
    if not isinstance(text, str):
        raise PostError("text: must be a string (the post as published)")
    if not text.strip():
        raise PostError("text: is empty: paste the Air Force post")
    if len(text) > MAX_TEXT:
        raise PostError(f"text: is {len(text)} characters, more than {MAX_TEXT}")
    return text


def parse_post(
    text: object, *, issued_at: datetime | None = None, url: str | None = None
) -> ParsedPost:
    """Read a kpszsu post. `issued_at` (default: the post's "станом на" time, else now) also
    gives the year, which the post does not state."""
    text = check_text(text)
    found = units(text)
    start = next((i for i, unit in enumerate(found) if night.has_night(unit.whole())), None)
    if start is None or not any(
        LAUNCH.search(unit.whole()) or DESTROYED.search(unit.whole()) for unit in found
    ):
        raise PostError(
            'text: not an Air Force night report: expected "У ніч на <day> <month>" and '
            'what the enemy launched ("атакував ...") or what was shot down ("збито ...")'
        )
    try:
        when = night.read_night(normalize(text), issued_at or datetime.now(UTC))
    except night.NightError as error:
        raise PostError(str(error)) from None
    state = _State(warnings=list(when.warnings))
    for unit in found[:start]:
        if re.search(r"\d", unit.whole()):
            state.warnings.append(f"headline not read (the body states it): {unit.text!r}")
    for unit in found[start:]:
        _read_unit(unit, state)
    if not state.lines.lines:
        raise PostError(
            "text: reads as an Air Force night report but states no count of any weapon"
        )
    _check_totals(state)
    stated_at = issued_at or when.window_end
    if stated_at is None:
        stated_at = datetime.now(UTC)
        state.warnings.append("issued_at not given and no 'станом на' time: taken as now")
    elif issued_at is None:
        state.warnings.append("issued_at not given: taken as the post's 'станом на' time")
    report = _report(text, when, stated_at, url, state)
    try:
        ReportIn.model_validate(report)
    except ValidationError as error:
        raise PostError(f"text: the report read from it is not valid: {error}") from None
    return ParsedPost(report, state.unparsed, state.warnings)


def _read_unit(unit: Unit, state: _State) -> None:
    if places.is_locations(unit.text):
        state.hits, state.debris = places.locations(unit.whole())
        return
    targets = places.targets(", ".join([unit.text.rstrip(":"), *unit.bullets]))
    if targets is not None:
        state.main_targets.extend(targets)
        return
    launch = LAUNCH.search(unit.text)
    destroyed = DESTROYED.search(unit.text, launch.end() if launch else 0)
    goes_on = state.section == "launch" and _GOES_ON.match(unit.text)
    if launch is None and destroyed is None and goes_on:
        # "... боєприпасами "Бандероль". А також 168 ударними БпЛА": the same list.
        _read_launch(unit.text, unit.bullets, state)
        return
    if launch is None and destroyed is None:
        if re.search(r"\d", unit.whole()):
            state.unparsed.append(unit.whole())
        return
    state.section = "destroyed" if destroyed is not None else "launch"
    if launch is None:
        # "44 ворожі безпілотники - локаційно втрачені": the count may come before the verb.
        _read_destroyed(unit.text, unit.bullets, state)
        return
    launch_text = unit.text[launch.end() : destroyed.start() if destroyed else None]
    _read_launch(launch_text, [] if destroyed else unit.bullets, state)
    if destroyed is not None:
        _read_destroyed(unit.text[destroyed.start() :], unit.bullets, state)


def _read_launch(text: str, bullets: list[str], state: _State) -> None:
    if bullets:
        state.take(read_counts(text, default=LAUNCHED, header=True), text)
    else:
        # Before cutting at ";": a list of areas may go on past one ("Курськ - рф; ТОТ Донецьк").
        text = _without_areas(text, state)
    for piece in [*([] if bullets else _PIECES.split(text)), *bullets]:
        kept = _without_areas(piece, state)
        lead = figures.lead(kept)
        weapon = weapon_of(lead)
        if weapon is not None and (lead.models or weapon not in DRONE_CLASSES):
            state.lines.named(weapon, lead.models)
        state.take(read_counts(kept, default=LAUNCHED), piece)


def _without_areas(text: str, state: _State) -> str:
    """The text without its "із напрямків: ..." lists, their places kept in the state."""
    for _list in range(_MAX_AREA_LISTS):
        kept, areas = places.split_areas(text)
        if kept.strip() == text.strip():
            break
        state.launch_areas.extend(area for area in areas if area not in state.launch_areas)
        text = kept
    return text


def _read_destroyed(text: str, bullets: list[str], state: _State) -> None:
    # The verb before the first count ("знешкоджено 385") says what the counts are.
    default = figures.status(figures.before_counts(text))
    state.take(read_counts(text, default=default, header=bool(bullets)), text)
    for bullet in bullets:
        state.take(read_counts(bullet, default=default), bullet)


def _check_totals(state: _State) -> None:
    """A total the post states ("479 засобами", "186 цілей") against its lines' sum."""
    for total in state.totals:
        kinds = total.names.kinds
        weapons: frozenset[str] | None
        if TOTAL in kinds:
            weapons, what = None, "in all"
        elif MISSILE in kinds:
            weapons, what = _MISSILES, "missiles"
        else:
            single = weapon_of(total.names)
            weapons = DRONE_CLASSES if single in DRONE_CLASSES else frozenset({single or ""})
            what = single or "weapons"
        summed = state.lines.total_of(total.figure, weapons)
        if summed != total.number:
            state.warnings.append(
                f"the post states {total.number} {what} {total.figure}; "
                f"its lines add up to {summed if summed is not None else 'nothing stated'}"
            )


def _report(
    text: str, when: night.Night, issued_at: datetime, url: str | None, state: _State
) -> dict[str, Any]:
    label = when.label.isoformat()
    records = [line.record(state.warnings) for line in state.lines.lines[:50]]
    if len(state.lines.lines) > 50:
        state.warnings.append("more than 50 lines: the first 50 kept")
    targets = list(dict.fromkeys(state.main_targets))[:50]
    return {
        "id": report_id(label, text),
        "night": label,
        "issuer": "air_force",
        "scope": "national",
        "issued_at": _iso(issued_at),
        "window_start": _iso(when.window_start),
        "window_end": _iso(when.window_end),
        "url": url,
        "text": text,
        "note": None,
        "supersedes": None,
        "lines": records,
        "hit_locations": state.hits,
        "debris_locations": state.debris,
        "affected_regions": places.regions_of(targets),
        "launch_areas": state.launch_areas[:50],
        "main_targets": targets,
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")
