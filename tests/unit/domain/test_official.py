"""official_of, the fold of a night's reports: national ones add up, supersedes and
retraction leave one out, regional ones never count, null is never read as zero."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.domain.official import (
    counted_reports,
    issued_by,
    official_of,
    superseded_ids,
    totals_of,
)
from tests.helpers.report_records import stored_report as _stored


def test_no_counted_report_is_none() -> None:
    assert official_of([]) is None
    assert official_of([_stored(scope="regional")]) is None
    assert official_of([_stored(retracted=True)]) is None
    assert totals_of(None) is None


def test_one_night_figures_with_null_where_not_stated() -> None:
    lines = [
        {"weapon": "drone", "launched": 539, "neutralized": 476},
        {"weapon": "ballistic_missile", "launched": 11, "shot_down": 2},
    ]
    official = official_of([_stored(lines=lines, hit_locations=8, affected_regions=["UA-30"])])
    assert official is not None
    assert official["report_ids"] == ["af-0704-1"]
    assert official["launched"] == {"drone": 539, "ballistic_missile": 11}
    assert official["shot_down"] == {"drone": None, "ballistic_missile": 2}
    assert official["suppressed"] == {"drone": None, "ballistic_missile": None}
    assert official["neutralized"] == {"drone": 476, "ballistic_missile": None}
    assert official["neutralized_rate"] == 476 / 539
    assert (official["hit_locations"], official["debris_locations"]) == (8, None)
    assert official["issued_at"] == datetime(2025, 7, 4, 6, tzinfo=UTC)
    assert totals_of(official) == {
        "launched": 550,
        "shot_down": 2,
        "suppressed": None,
        "neutralized": 476,
    }


def test_two_national_posts_of_a_night_add_up() -> None:
    morning = _stored(lines=[{"weapon": "drone", "launched": 400, "shot_down": 300}])
    later = _stored(
        id="af-0704-2",
        issuer="general_staff",
        issued_at="2025-07-04T14:00:00+03:00",
        lines=[{"weapon": "drone", "launched": 139, "shot_down": 100, "suppressed": 20}],
        hit_locations=3,
    )
    official = official_of([later, morning])
    assert official is not None
    assert official["report_ids"] == ["af-0704-1", "af-0704-2"]
    assert official["issuers"] == ["air_force", "general_staff"]
    assert official["issued_at"] == datetime(2025, 7, 4, 11, tzinfo=UTC)
    assert official["launched"] == {"drone": 539}
    assert official["shot_down"] == {"drone": 400}
    assert official["suppressed"] == {"drone": 20}
    assert official["neutralized"] == {"drone": 120}  # only the second states it
    assert official["hit_locations"] == 3


def test_supersedes_leaves_the_corrected_report_out() -> None:
    first = _stored()
    correction = _stored(
        id="af-0704-fix", supersedes="af-0704-1", lines=[{"weapon": "drone", "launched": 550}]
    )
    assert superseded_ids([first, correction]) == {"af-0704-1"}
    official = official_of([first, correction])
    assert official is not None
    assert official["report_ids"] == ["af-0704-fix"]
    assert official["launched"] == {"drone": 550}


def test_a_retracted_correction_supersedes_nothing() -> None:
    first = _stored()
    correction = _stored(retracted=True, id="af-0704-fix", supersedes="af-0704-1")
    assert superseded_ids([first, correction]) == set()
    official = official_of([first, correction])
    assert official is not None
    assert official["report_ids"] == ["af-0704-1"]


def test_supersedes_applies_within_the_night_only() -> None:
    first = _stored()
    elsewhere = _stored(id="af-0705-1", night="2025-07-05", supersedes="af-0704-1")
    assert superseded_ids([first, elsewhere]) == set()


def test_regional_reports_never_enter_national_figures() -> None:
    south = _stored(
        id="south-1",
        issuer="air_command_south",
        scope="regional",
        lines=[{"weapon": "drone", "launched": 50}],
        affected_regions=["UA-51"],
    )
    official = official_of([_stored(), south])
    assert official is not None
    assert official["report_ids"] == ["af-0704-1"]
    assert official["launched"] == {"drone": 539}
    assert official["affected_regions"] == []


def test_rate_needs_a_weapon_with_both_figures() -> None:
    official = official_of([_stored(lines=[{"weapon": "drone", "launched": 0, "neutralized": 0}])])
    assert official is not None
    assert official["neutralized_rate"] is None
    only_launched = official_of([_stored(lines=[{"weapon": "drone", "launched": 9}])])
    assert only_launched is not None
    assert only_launched["neutralized_rate"] is None


def test_counted_reports_are_the_national_live_ones_oldest_issued_first() -> None:
    later = _stored(id="af-0704-2", issued_at="2025-07-04T14:00:00+03:00")
    morning = _stored()
    correction = _stored(id="af-0704-3", supersedes="af-0704-2")
    south = _stored(id="south-1", issuer="air_command_south", scope="regional")
    withdrawn = _stored(retracted=True, id="af-0704-4")
    counted = counted_reports([later, morning, correction, south, withdrawn])
    assert [content["id"] for content in counted] == ["af-0704-1", "af-0704-3"]


def test_issued_by_keeps_the_reports_issued_up_to_the_instant() -> None:
    morning = _stored()
    later = _stored(id="af-0704-2", issued_at="2025-07-04T14:00:00+03:00")
    at_nine = datetime(2025, 7, 4, 6, tzinfo=UTC)
    assert issued_by([morning, later], at_nine) == [morning]
    assert issued_by([morning, later], at_nine.replace(hour=5, minute=59)) == []
