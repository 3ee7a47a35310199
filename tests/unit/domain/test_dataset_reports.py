"""backend/domain/dataset_reports.py (and dataset_rows.py): the dataset's rows as reports."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from backend.domain.dataset_reports import Notice, report_id, reports_of
from backend.domain.dataset_rows import DatasetRow, parse_figure, parse_row
from backend.domain.reports import ReportIn
from tests.helpers.dataset import is_national, night_label, records

DEMO_POST = "kpszsu/posts/pfbid0TJ48t6JpFUVLpYucUKi7hBAQmYqSptxNoiUJaA5VR7jiu2Em2ALSbSRTazrYH5wel"


def rows_where(**wanted: str) -> list[DatasetRow]:
    """The shipped CSV's rows whose columns start with the given values, parsed."""
    return [
        parse_row(int(row["line"]), row)
        for row in records()
        if all(row[column].strip().startswith(value) for column, value in wanted.items())
    ]


def only(reports: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(reports) == 1, [report["id"] for report in reports]
    return reports[0]


def line(report: dict[str, Any], model: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [line for line in report["lines"] if line["model"] == model]
    assert len(found) == 1, model
    return found[0]


def test_the_demo_post_is_one_national_air_force_report() -> None:
    report = only(reports_of(rows_where(source=DEMO_POST)).reports)
    assert report["id"] == report_id(DEMO_POST, date(2025, 7, 4))
    assert (report["night"], report["issuer"], report["scope"]) == (
        "2025-07-04",
        "air_force",
        "national",
    )
    drones = line(report, "Shahed-136/131")
    assert drones == {
        "weapon": "drone",
        "model": "Shahed-136/131",
        "launched": 539,
        "shot_down": 268,
        "suppressed": 208,
        "neutralized": 476,
        "still_in_air": None,
    }
    kinzhal = line(report, "X-47 Kinzhal")
    # not_reach_goal is blank on missile rows: not reported, not 0.
    assert (kinzhal["shot_down"], kinzhal["suppressed"], kinzhal["neutralized"]) == (0, None, None)
    assert len(report["lines"]) == 4
    assert (report["hit_locations"], report["debris_locations"]) == (8, 33)
    assert report["affected_regions"] == ["UA-30", "UA-32"]
    assert {"Millerovo", "Lipetsk oblast"} <= set(report["launch_areas"])
    # target_main first, then target (the CSV's two columns).
    assert report["main_targets"] == ["Ukraine", "Kyiv"]
    # Window: the rows' earliest start and latest end; issued when the window closes.
    assert report["window_start"] == "2025-07-03T15:00:00Z"
    assert report["window_end"] == report["issued_at"] == "2025-07-04T03:00:00Z"
    assert report["url"] is None
    assert DEMO_POST in report["note"]
    ReportIn.model_validate_json(ReportIn.model_validate(report, strict=False).model_dump_json())


def test_boundary_22_july_splits_and_23_july_combines() -> None:
    before = only(reports_of(rows_where(time_start="2025-07-22 20:00")).reports)
    assert line(before, "Shahed-136/131")["shot_down"] == 27
    assert line(before, "Shahed-136/131")["suppressed"] == 18
    assert line(before, "Shahed-136/131")["neutralized"] == 45
    after = only(reports_of(rows_where(time_start="2025-07-23 22:40")).reports)
    drones = line(after, "Shahed-136/131")  # destroyed 90, not_reach_goal 0
    assert (drones["shot_down"], drones["suppressed"], drones["neutralized"]) == (None, None, 90)
    missiles = line(after, "Iskander-K")  # destroyed 1, not_reach_goal blank
    assert (missiles["shot_down"], missiles["suppressed"], missiles["neutralized"]) == (
        None,
        None,
        1,
    )


def test_after_the_boundary_a_positive_not_reach_goal_is_suppressed_and_neutralized() -> None:
    report = only(reports_of(rows_where(time_start="2025-07-28 02:30")).reports)
    kinzhal = line(report, "X-47 Kinzhal")  # destroyed 0, not_reach_goal 3
    assert (kinzhal["shot_down"], kinzhal["suppressed"], kinzhal["neutralized"]) == (None, 3, 3)


def test_blank_figures_are_null_never_zero() -> None:
    assert parse_figure("") is None
    assert parse_figure(" nan ") is None
    assert parse_figure("0.0") == 0
    # 2024-02-28: an S-300 row with launched blank and destroyed 0.
    report = only(reports_of(rows_where(time_start="2024-02-28", model="C-300")).reports)
    assert line(report, "C-300")["launched"] is None
    assert line(report, "C-300")["shot_down"] == 0
    assert report["hit_locations"] is None or report["hit_locations"] >= 0


def test_regional_posts_are_regional_reports_of_their_command() -> None:
    rows = rows_where(time_start="2025-07-04", source="PvKPivden")
    report = only(reports_of(rows).reports)
    assert (report["scope"], report["issuer"]) == ("regional", "air_command_south")
    issuers = {r["issuer"] for r in reports_of(rows_where(source="pvkshid")).reports}
    assert issuers == {"air_command_east"}


def test_rows_group_by_post_and_night() -> None:
    rows = [parse_row(int(row["line"]), row) for row in records()]
    reports = reports_of(rows).reports
    ids = [report["id"] for report in reports]
    assert len(ids) == len(set(ids))
    # Every row is a line of exactly one report, of its own night.
    assert sum(len(report["lines"]) for report in reports) == len(records())
    expected = Counter((row["source"].strip(), night_label(row["time_start"])) for row in records())
    made = Counter(
        {
            (r["note"].rsplit("post ", 1)[1], date.fromisoformat(r["night"])): len(r["lines"])
            for r in reports
        }
    )
    assert made == expected
    assert max(len(report["lines"]) for report in reports) <= 50


def test_a_post_spanning_two_nights_is_a_report_per_night() -> None:
    sources = Counter((row["source"].strip(), night_label(row["time_start"])) for row in records())
    by_post = Counter(source for source, _night in sources)
    post = next(source for source, count in by_post.items() if count > 1)
    reports = reports_of(rows_where(source=post)).reports
    assert len({report["night"] for report in reports}) == len(reports) == by_post[post]
    assert len({report["id"] for report in reports}) == len(reports)


def test_identical_rows_stay_two_lines() -> None:
    row = next(r for r in records() if r["source"].startswith("kpszsu") and is_national(r))
    twice = [parse_row(2, row), parse_row(3, row)]
    report = only(reports_of(twice).reports)
    assert len(report["lines"]) == 2
    assert report["lines"][0] == report["lines"][1]


def test_ids_are_stable_and_match_the_event_id_pattern() -> None:
    first = reports_of(rows_where(source=DEMO_POST)).reports
    again = reports_of(rows_where(source=DEMO_POST)).reports
    assert first == again
    assert first[0]["id"].startswith("csv-")
    assert len(first[0]["id"]) == 20


def test_region_names_resolve_cities_count_and_others_warn() -> None:
    rows = [parse_row(int(row["line"]), row) for row in records()]
    result = reports_of(rows)
    assert {notice.message for notice in result.warnings} == {
        "affected region 'Ukraine' is not a region of Ukraine: left out"
    }
    assert all(isinstance(notice, Notice) and notice.line > 1 for notice in result.warnings)
    lutsk = reports_of(rows_where(**{"affected region": "['Lutsk oblast"})).reports
    assert lutsk
    assert all("UA-07" in report["affected_regions"] for report in lutsk)


def test_a_source_that_is_a_link_is_the_url() -> None:
    report = only(reports_of(rows_where(source="https://t.me/kpszsu/44624")).reports)
    assert report["url"] == "https://t.me/kpszsu/44624"
    assert report["issuer"] == "air_force"


@pytest.mark.parametrize(
    ("source", "issuer"),
    [("GeneralStaff.ua/posts/x", "general_staff"), ("CinCAFU/posts/x", "other")],
)
def test_other_national_accounts(source: str, issuer: str) -> None:
    report = only(reports_of(rows_where(source=source.split("/")[0])).reports[:1])
    assert (report["issuer"], report["scope"]) == (issuer, "national")


def test_date_only_end_is_the_end_of_that_day() -> None:
    rows = rows_where(time_start="2024-06-01", time_end="2024-06-01")
    report = next(r for r in reports_of(rows).reports if r["night"] == "2024-06-01")
    # 2024-06-02 00:00 Kyiv (UTC+3) is 2024-06-01 21:00 UTC.
    assert report["window_end"] == "2024-06-01T21:00:00Z"
    assert report["window_start"] == "2024-05-31T21:00:00Z"
