"""The page's view of a night's reports: the counted reports' figures and lines, and who
stated them, as the room reads it."""

from __future__ import annotations

from backend.domain.official import official_of
from dashboard.official import official_view, sum_stated
from tests.helpers.dashboard_records import NIGHT
from tests.helpers.report_records import stored_report


def test_no_national_report_is_no_official_view() -> None:
    south = stored_report(issuer="air_command_south", scope="regional")
    assert official_view(NIGHT, []) is None
    assert official_view(NIGHT, [south]) is None
    assert official_view(NIGHT, [stored_report(retracted=True)]) is None


def test_figures_are_the_apis_fold_and_lines_those_of_the_counted_reports() -> None:
    morning = stored_report()
    missiles = stored_report(
        id="af-0704-2",
        issued_at="2025-07-04T11:40:00+03:00",
        lines=[{"weapon": "cruise_missile", "model": "Kh-101", "launched": 7, "shot_down": 7}],
    )
    superseded = stored_report(id="af-0704-0", lines=[{"weapon": "drone", "launched": 1}])
    correction = stored_report(id="af-0704-3", supersedes="af-0704-0", lines=[{"weapon": "decoy"}])
    reports = [morning, missiles, superseded, correction]
    view = official_view(NIGHT, reports)
    assert view is not None
    assert view.figures == official_of(reports)
    assert [line["weapon"] for line in view.lines] == ["drone", "decoy", "cruise_missile"]


def test_caption_names_the_issuer_and_the_kyiv_time() -> None:
    view = official_view(NIGHT, [stored_report(issued_at="2025-07-04T09:15:00+03:00")])
    assert view is not None
    assert view.caption == "Air Force report, 09:15"
    late = official_view(NIGHT, [stored_report(issued_at="2025-07-05T08:00:00+03:00")])
    assert late is not None
    assert late.caption == "Air Force report, 5 Jul 08:00"


def test_caption_of_several_reports_gives_their_number_issuers_and_latest_time() -> None:
    staff = stored_report(id="gs-1", issuer="general_staff", issued_at="2025-07-04T10:05:00+03:00")
    view = official_view(NIGHT, [stored_report(), staff])
    assert view is not None
    assert view.caption == "2 Air Force and General Staff reports, latest 10:05"


def test_sum_stated_is_none_when_nothing_is_stated() -> None:
    assert sum_stated([]) is None
    assert sum_stated([None, None]) is None
    assert sum_stated([None, 0, 4]) == 4
