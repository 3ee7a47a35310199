"""Report records for tests of the pure report code: as posted, and as the store keeps them."""

from __future__ import annotations

from typing import Any

from backend.domain.reports import ReportIn, StoredReport


def report_record(**fields: Any) -> dict[str, Any]:
    """A small valid national Air Force report of the night of 2025-07-04, fields overridden."""
    base: dict[str, Any] = {
        "id": "af-0704-1",
        "night": "2025-07-04",
        "issuer": "air_force",
        "scope": "national",
        "issued_at": "2025-07-04T09:00:00+03:00",
        "lines": [{"weapon": "drone", "launched": 539, "neutralized": 476}],
    }
    return {**base, **fields}


def stored_report(retracted: bool = False, **fields: Any) -> StoredReport:
    """The same report validated as the store holds it (its content, retracted or not)."""
    return StoredReport(ReportIn.model_validate(report_record(**fields)).content(), retracted)
