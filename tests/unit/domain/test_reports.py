"""The report models (null is not zero, neutralized derived or checked) and official_of, the
fold of a night's reports: national ones add up, supersedes and retraction leave one out,
regional ones never count."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from backend.domain.reports import (
    ReportIn,
    ReportLine,
    StoredReport,
    derived_id,
    official_of,
    superseded_ids,
    totals_of,
)


def _report(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "af-0704-1",
        "night": "2025-07-04",
        "issuer": "air_force",
        "scope": "national",
        "issued_at": "2025-07-04T09:00:00+03:00",
        "lines": [{"weapon": "drone", "launched": 539, "neutralized": 476}],
    }
    return {**base, **fields}


def _stored(retracted: bool = False, **fields: Any) -> StoredReport:
    return StoredReport(ReportIn.model_validate(_report(**fields)).content(), retracted)


def test_absent_figures_stay_null_never_zero() -> None:
    line = ReportLine.model_validate({"weapon": "cruise_missile", "launched": 11})
    assert (line.shot_down, line.suppressed, line.neutralized, line.still_in_air) == (None,) * 4


def test_neutralized_is_derived_from_shot_down_and_suppressed() -> None:
    line = ReportLine.model_validate({"weapon": "drone", "shot_down": 270, "suppressed": 208})
    assert line.neutralized == 478


def test_a_derived_neutralized_stays_within_the_figure_bounds() -> None:
    data = {"weapon": "drone", "shot_down": 600_000, "suppressed": 500_000}
    with pytest.raises(ValidationError) as caught:
        ReportLine.model_validate(data)
    assert caught.value.errors()[0]["loc"] == ("neutralized",)


def test_neutralized_that_does_not_add_up_names_the_field() -> None:
    data = {"weapon": "drone", "shot_down": 1, "suppressed": 2, "neutralized": 4}
    with pytest.raises(ValidationError) as caught:
        ReportLine.model_validate(data)
    assert caught.value.errors()[0]["loc"] == ("neutralized",)
    assert ReportLine.model_validate({**data, "neutralized": 3}).neutralized == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"weapon": "drone", "launched": -1}]}, "launched"),
        ({"lines": [{"weapon": "drone", "launched": 1_000_001}]}, "launched"),
        ({"lines": [{"weapon": "drone", "launched": True}]}, "launched"),
        ({"lines": [{"weapon": "drone", "launched": 1.0}]}, "launched"),
        ({"lines": [{"weapon": "tank"}]}, "weapon"),
        ({"issuer": "press"}, "issuer"),
        ({"scope": "local"}, "scope"),
        ({"night": "2025-7-4"}, "night"),
        ({"issued_at": "2025-07-04T09:00:00"}, "issued_at"),
        ({"affected_regions": ["Atlantis"]}, "affected_regions"),
        ({"supersedes": "af-0704-1"}, "supersedes"),
        (
            {"window_start": "2025-07-04T06:00:00Z", "window_end": "2025-07-04T05:00:00Z"},
            "window_end",
        ),
        ({"url": "x" * 501}, "url"),
        ({"main_targets": ["x" * 201]}, "main_targets"),
        ({"launch_areas": ["Kursk"] * 51}, "launch_areas"),
        ({"hit_locations": -1}, "hit_locations"),
        ({"id": "bad id"}, "id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_reports_name_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ReportIn.model_validate(_report(**fields))
    assert field in caught.value.errors()[0]["loc"]


def test_content_is_utc_with_region_codes_and_a_stable_derived_id() -> None:
    data = _report(id=None, affected_regions=["Kyiv", "UA-30", "Odesa oblast"])
    content = ReportIn.model_validate(data).content()
    assert content["issued_at"] == "2025-07-04T06:00:00Z"
    assert content["affected_regions"] == ["UA-30", "UA-51"]
    same_instant = _report(
        id=None, issued_at="2025-07-04T06:00:00Z", affected_regions=["UA-30", "UA-51"]
    )
    assert ReportIn.model_validate(same_instant).content()["id"] == content["id"]
    assert content["id"] == derived_id(content)
    other = ReportIn.model_validate(_report(id=None, note="revised")).content()
    assert other["id"] != content["id"]


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
