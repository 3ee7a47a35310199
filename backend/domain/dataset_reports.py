"""The Air Force dataset's rows as official reports: one report per post and night.

Pure (no I/O): `skywatch import-csv` posts what this makes, the migration of the earlier
import's events (alembic 0005) stores the same, and seeds/make_2025_07_04_report.py writes
the demo night's report with it. The rules:

- **Grouping.** Rows group by their post (`source`) and night (that of each row's window
  start): a post whose rows fall in two nights (the dataset has some) is one report per
  night, so every night's official figures are that night's rows. The dataset holds final
  figures, so no report supersedes another; a night's national reports add up.
- **Id.** `csv-` and 16 hex digits of the SHA-1 of the post and night: the same rows give
  the same id on every import (all duplicates the second time), and the seed's report has
  the id the import gives it.
- **Issuer and scope.** A regional command's post (pvkpivden, pvkshid, pvkzahid, pvkcenter)
  is `regional`; every other post is `national`, stated by `air_force` (kpszsu),
  `general_staff` (GeneralStaff.ua) or `other` (the few posts of other accounts).
- **Figures** (one line per row, in file order). A window starting (Kyiv date) up to
  2025-07-22: `destroyed` is `shot_down`, `not_reach_goal` is `suppressed` (neutralized is
  derived when both are stated). From 2025-07-23 `destroyed` is the Air Force's combined
  "shot down/suppressed": `shot_down` is null, `neutralized` is `destroyed` plus a positive
  `not_reach_goal`, and `suppressed` is that `not_reach_goal`, else null (the dataset's 0
  there means "not split", not "none"). `still_attacking` is `still_in_air`. A blank figure
  is null, never 0. `num_hit_location`/`num_fall_fragment_location` of the rows add up to
  `hit_locations`/`debris_locations` (null when no row states them).
- **Times.** `window_start` is the earliest row start, `window_end` the latest row end; a
  date-only start is that day's 00:00 Kyiv time and a date-only end the end of that day (the
  next 00:00), the latest it can mean. The dataset has no publication time, so `issued_at`
  is `window_end`: a report is out once its window closes.
- **Places.** `affected region` names resolve to ISO codes (backend.domain.regions); a name
  that is not a region but a city ("Kryvyi Rih", "Lutsk oblast") counts as its city's region
  (backend.domain.gazetteer); one that is neither ("Ukraine") is left out with a warning.
  `launch_areas` are the parts of `launch_place` and `main_targets` those of `target_main`
  then `target`, split on " and ", without repeats.
- **Link.** `url` only where `source` is already a link (https://t.me/...): the other sources
  are post paths whose site the dataset does not name. `note` names the dataset and the post.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from pydantic import ValidationError

from backend.domain.dataset_rows import REGIONAL_ISSUERS, DatasetRow, KyivTime, issuer_of
from backend.domain.gazetteer import find_city
from backend.domain.nights import KYIV
from backend.domain.regions import resolve_region
from backend.domain.reports import ReportIn

# The last window-start date whose `destroyed` is shot down alone (SOURCES.md, "Quirks").
LAST_SPLIT_DAY = date(2025, 7, 22)
MAX_LINES = 50
MAX_LIST = 50
LIST_TEXT = 200
_AND = re.compile(r"\s+and\s+")
_OBLAST = re.compile(r"\s+oblast$", re.IGNORECASE)
DATASET_NAME = 'Kaggle dataset "Massive Missile Attacks on Ukraine" (Petro Ivaniuk)'


@dataclass(frozen=True, slots=True)
class Notice:
    """Something about a row worth saying, with its line in the file (the header is line 1)."""

    line: int
    message: str


@dataclass(slots=True)
class Conversion:
    """Reports made of rows (ReportIn.content(), oldest night first), and what was said."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    refused: list[Notice] = field(default_factory=list)


def report_id(source: str, night: date) -> str:
    """The id of the report of one post's rows of one night."""
    digest = hashlib.sha1(f"{source}\x1f{night}".encode(), usedforsecurity=False).hexdigest()
    return f"csv-{digest[:16]}"


def group_rows(rows: Iterable[DatasetRow]) -> dict[tuple[str, date], list[DatasetRow]]:
    """Rows by (post, night), each group in file order, groups in order of first row."""
    groups: dict[tuple[str, date], list[DatasetRow]] = {}
    for row in rows:
        groups.setdefault((row.source, row.night), []).append(row)
    return groups


def reports_of(rows: Iterable[DatasetRow]) -> Conversion:
    """Every report of the rows, oldest night first (then by id)."""
    result = Conversion()
    for (source, night), group in group_rows(rows).items():
        if len(group) > MAX_LINES:
            message = f"post {source} has {len(group)} rows on night {night}: over {MAX_LINES}"
            result.refused.append(Notice(group[0].line, message))
            continue
        try:
            result.reports.append(report_of(source, night, group, result.warnings))
        except ValidationError as error:
            result.refused.append(Notice(group[0].line, _first_error(error)))
    result.reports.sort(key=lambda content: (content["night"], content["id"]))
    return result


def report_of(
    source: str, night: date, rows: Sequence[DatasetRow], warnings: list[Notice]
) -> dict[str, Any]:
    """The report of one post's rows of one night, as stored (ReportIn.content())."""
    issuer = issuer_of(source)
    window_end = max(_end_instant(row.end) for row in rows)
    wire = {
        "id": report_id(source, night),
        "night": night.isoformat(),
        "issuer": issuer,
        "scope": "regional" if issuer in REGIONAL_ISSUERS.values() else "national",
        "issued_at": window_end.isoformat(),
        "window_start": min(row.start.instant for row in rows).isoformat(),
        "window_end": window_end.isoformat(),
        "url": source if source.startswith(("https://", "http://")) else None,
        "note": f"{DATASET_NAME}, post {source}"[:1000],
        "lines": [line_of(row) for row in rows],
        "hit_locations": _stated_sum(row.hit_locations for row in rows),
        "debris_locations": _stated_sum(row.debris_locations for row in rows),
        "affected_regions": _regions(rows, warnings),
        "launch_areas": _parts(row.launch_place for row in rows),
        "main_targets": _parts(part for row in rows for part in (row.target_main, row.target)),
    }
    # From JSON, as the server validates a posted report: the content is the server's.
    return ReportIn.model_validate_json(orjson.dumps(wire)).content()


def line_of(row: DatasetRow) -> dict[str, Any]:
    """One row's line of its report (the 2025-07-22/23 rule in the module docstring)."""
    if row.start.instant.date() <= LAST_SPLIT_DAY:
        shot_down, suppressed = row.destroyed, row.not_reach_goal
        neutralized = None
    else:
        shot_down = None
        suppressed = row.not_reach_goal if row.not_reach_goal else None
        neutralized = _stated_sum([row.destroyed, suppressed])
    return {
        "weapon": row.weapon,
        "model": row.model[:64] or None,
        "launched": row.launched,
        "shot_down": shot_down,
        "suppressed": suppressed,
        "neutralized": neutralized,
        "still_in_air": row.still_attacking,
    }


def region_code(name: str) -> str | None:
    """A dataset region name as an ISO code: a region, else the region of a city so named."""
    code = resolve_region(name)
    if code is not None:
        return code
    city = find_city(name) or find_city(_OBLAST.sub("", name))
    return None if city is None else city.region


def _regions(rows: Sequence[DatasetRow], warnings: list[Notice]) -> list[str]:
    codes: list[str] = []
    for row in rows:
        for name in row.affected_regions:
            code = region_code(name)
            if code is None:
                message = f"affected region {name!r} is not a region of Ukraine: left out"
                warnings.append(Notice(row.line, message))
            elif code not in codes:
                codes.append(code)
    return codes[:MAX_LIST]


def _parts(texts: Iterable[str]) -> list[str]:
    parts = [part.strip()[:LIST_TEXT] for text in texts for part in _AND.split(text)]
    return list(dict.fromkeys(part for part in parts if part))[:MAX_LIST]


def _end_instant(end: KyivTime) -> datetime:
    if end.has_time:
        return end.instant
    return datetime.combine(end.instant.date() + timedelta(days=1), time(0), tzinfo=KYIV)


def _stated_sum(values: Iterable[int | None]) -> int | None:
    stated = [value for value in values if value is not None]
    return sum(stated) if stated else None


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"the report would not validate: {where}: {first['msg']}"
