"""What the page shows of a night's official reports: their figures, their lines, who said it.

The figures are backend.domain.official's fold, the very one behind `official` in
GET /api/v1/stats, so the page and the API cannot disagree. They are shown instead of the
observed tallies where a report exists, never added to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backend.domain.nights import KYIV
from backend.domain.official import counted_reports, official_of
from backend.domain.reports import StoredReport
from dashboard.i18n import Texts, texts

ISSUER_NAMES = {
    "air_force": "Air Force",
    "air_command_south": "Air Command South",
    "air_command_east": "Air Command East",
    "air_command_west": "Air Command West",
    "air_command_center": "Air Command Centre",
    "general_staff": "General Staff",
    "other": "Official",
}


@dataclass(frozen=True, slots=True)
class Official:
    """A night's counted national reports: the summed figures and every line they state."""

    night: date
    figures: dict[str, Any]
    lines: tuple[dict[str, Any], ...]

    @property
    def issued_at(self) -> datetime:
        """When the latest counted report was issued."""
        issued: datetime = self.figures["issued_at"]
        return issued

    @property
    def caption(self) -> str:
        """Who stated the figures and when, as the room reads it: "Air Force report, 09:15"."""
        return self.caption_in(texts("en"))

    def caption_in(self, t: Texts) -> str:
        """The caption in a language."""
        issuers = [t(ISSUER_NAMES.get(issuer, issuer)) for issuer in self.figures["issuers"]]
        who = t(" and ").join(
            [", ".join(issuers[:-1]), issuers[-1]] if len(issuers) > 1 else issuers
        )
        count = len(self.figures["report_ids"])
        # The morning after the night is the usual day of issue: its date goes without saying.
        same_day = self.issued_at.astimezone(KYIV).date() == self.night
        when = t.time(self.issued_at) if same_day else t.moment(self.issued_at, form="d MMM HH:mm")
        if count == 1:
            return t("{who} report, {when}", who=who, when=when)
        return t("{count} {who} reports, latest {when}", count=count, who=who, when=when)


def official_view(night: date, reports: Iterable[StoredReport]) -> Official | None:
    """The night's official view, or None when no national report counts."""
    everything = list(reports)
    figures = official_of(everything)
    if figures is None:
        return None
    counted = counted_reports(everything)
    lines = tuple(line for content in counted for line in content["lines"])
    return Official(night, figures, lines)


def sum_stated(values: Sequence[int | None]) -> int | None:
    """The sum of the stated values; None (not reported) when none is stated."""
    stated = [value for value in values if value is not None]
    return sum(stated) if stated else None
