"""The report models: null is not zero, neutralized derived or checked, fields named."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from backend.domain.reports import ReportIn, ReportLine, derived_id
from tests.helpers.report_records import report_record as _report


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
