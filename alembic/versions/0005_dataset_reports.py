"""the dataset's events become official reports

The earlier `skywatch import-csv` stored the Air Force dataset's national rows as events
(ids `csv-<12 hex>-<kind>`), adding the national summary to the observed stream of the
night. This revision turns those events into the reports import-csv now makes and deletes
them; nothing else changes (other events keep their rows and seqs, replay sessions and the
reports already stored are left as they are).

- Each event is traced to its row by recomputing the earlier ids from the shipped dataset
  (seeds/data/missile_attacks_daily.csv, backend.domain.dataset_legacy); the report of that
  row's post and night is made from the file's rows by the import's own conversion
  (backend.domain.dataset_reports), so a later import finds it a duplicate.
- Events no row of the file explains (an older copy of the dataset) become reports rebuilt
  from the events (dataset_legacy.rows_from_events says what they can and cannot tell); a
  post and night the file does have takes the file's report.
- A report already stored under the same id is kept as it is.
- `received_at` is the earliest of its events'; a report all of whose events were retracted
  is stored retracted (at the latest retraction), so it stays out of the official totals.
- Deleting rows lowers the store's cursor when the csv- events were the newest; a stream
  client that comes back with a later `since` is sent a snapshot (stream/session.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from alembic import op
from backend.domain.dataset_legacy import is_legacy_id, legacy_event_ids, rows_from_events
from backend.domain.dataset_reports import Notice, group_rows, report_of
from backend.domain.dataset_rows import DatasetRow, parse_row, read_records
from backend.domain.reports import canonical
from backend.resources import resource_dir
from backend.store.models import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATASET = ("data", "missile_attacks_daily.csv")

_events = sa.table(
    "events",
    sa.column("seq", sa.BigInteger()),
    sa.column("id", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("weapon", sa.String()),
    sa.column("model", sa.String()),
    sa.column("count", sa.Integer()),
    sa.column("occurred_at", UTCDateTime()),
    sa.column("source", sa.String()),
    sa.column("note", sa.String()),
    sa.column("received_at", UTCDateTime()),
    sa.column("retracted_at", UTCDateTime()),
)
_reports = sa.table(
    "reports",
    sa.column("id", sa.String()),
    sa.column("night", sa.Date()),
    sa.column("issuer", sa.String()),
    sa.column("scope", sa.String()),
    sa.column("issued_at", UTCDateTime()),
    sa.column("supersedes", sa.String()),
    sa.column("retracted_at", UTCDateTime()),
    sa.column("content", sa.Text()),
    sa.column("received_at", UTCDateTime()),
)


def dataset_rows() -> list[DatasetRow]:
    """The shipped dataset's rows that parse (the earlier import skipped the others too)."""
    path = resource_dir("seeds").joinpath(*DATASET)
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as stream:
        for line, record in read_records(stream):
            if isinstance(record, str):
                continue
            try:
                rows.append(parse_row(line, record))
            except ValueError:
                continue
    return rows


def upgrade() -> None:
    conn = op.get_bind()
    found = conn.execute(sa.select(_events).where(_events.c.id.like("csv-%"))).mappings().all()
    legacy = [dict(event) for event in found if is_legacy_id(event["id"])]
    if not legacy:
        return
    rows = dataset_rows()
    traced = legacy_event_ids(rows)
    by_group: dict[tuple[str, date], list[dict[str, Any]]] = {}
    unexplained: list[dict[str, Any]] = []
    for event in legacy:
        group = traced.get(event["id"])
        if group is None:
            unexplained.append(event)
        else:
            by_group.setdefault(group, []).append(event)
    # A post and night of the file is made from the file, even if some of its events are
    # unexplained (rows since removed); the rest are made from their events.
    file_groups = group_rows(rows)
    groups = {key: file_groups[key] for key in by_group}
    for key, (rebuilt, made_of) in rows_from_events(unexplained).items():
        groups.setdefault(key, rebuilt)
        by_group.setdefault(key, []).extend(dict(event) for event in made_of)
    stored = {row.id for row in conn.execute(sa.select(_reports.c.id))}
    warnings: list[Notice] = []
    for (source, night), rows_of_group in groups.items():
        content = report_of(source, night, rows_of_group, warnings)
        if content["id"] in stored:
            continue
        stored.add(content["id"])
        conn.execute(sa.insert(_reports).values(_report_row(content, by_group[(source, night)])))
    conn.execute(sa.delete(_events).where(_events.c.seq.in_([e["seq"] for e in legacy])))


def _report_row(content: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    retractions = [event["retracted_at"] for event in events]
    retracted_at: datetime | None = None
    if events and all(value is not None for value in retractions):
        retracted_at = max(value for value in retractions if value is not None)
    return {
        "id": content["id"],
        "night": date.fromisoformat(content["night"]),
        "issuer": content["issuer"],
        "scope": content["scope"],
        "issued_at": datetime.fromisoformat(content["issued_at"]),
        "supersedes": content["supersedes"],
        "retracted_at": retracted_at,
        "content": canonical(content).decode(),
        "received_at": min(event["received_at"] for event in events),
    }


def downgrade() -> None:
    # The reports stay (their table is 0003's) and the deleted events are not rebuilt: the
    # earlier import's events were the fault this revision repairs.
    pass
