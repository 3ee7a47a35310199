"""Regenerate seeds/2025-07-04.reports.json: the Air Force's report of the night of 3-4 July.

The report is made from the dataset's rows of that post (seeds/data/missile_attacks_daily.csv)
by the conversion `skywatch import-csv` uses (backend/domain/dataset_reports.py), so it is
the very record an import of the CSV makes: same id, same content, and the demo night plus
an import count it once. `skywatch serve --demo` loads it with the night's events.

    .venv/bin/python seeds/make_2025_07_04_report.py [OUTPUT]
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from backend.domain.dataset_reports import reports_of
from backend.domain.dataset_rows import parse_row, read_records

NIGHT = date(2025, 7, 4)
DATASET = Path(__file__).with_name("data") / "missile_attacks_daily.csv"
OUTPUT = Path(__file__).with_name(f"{NIGHT}.reports.json")


def build_reports() -> list[dict[str, Any]]:
    """The national Air Force reports of the night, as import-csv makes them."""
    rows = []
    with DATASET.open(newline="", encoding="utf-8-sig") as stream:
        for line, record in read_records(stream):
            assert not isinstance(record, str), f"{DATASET}:{line}: {record}"
            row = parse_row(line, record)
            if row.night == NIGHT:
                rows.append(row)
    reports = [
        report
        for report in reports_of(rows).reports
        if report["issuer"] == "air_force" and report["scope"] == "national"
    ]
    if len(reports) != 1:
        raise SystemExit(f"expected one Air Force report of {NIGHT}, found {len(reports)}")
    return reports


def render(reports: list[dict[str, Any]]) -> str:
    """The file's text: a JSON array (a POST /api/v1/reports body), keys sorted."""
    return json.dumps(reports, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else OUTPUT
    output.write_text(render(build_reports()), encoding="utf-8")
    print(f"{output}: the Air Force report of {NIGHT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
