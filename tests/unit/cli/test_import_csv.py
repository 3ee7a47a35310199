"""backend/cli/import_csv.py and csv_rows.py, `skywatch import-csv`: the dataset CSV to events."""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from backend.cli import main as cli
from backend.cli.csv_rows import (
    is_regional,
    parse_figure,
    parse_kyiv_time,
    short_source,
    weapon_of,
)
from backend.cli.import_csv import (
    CsvFormatError,
    ImportResult,
    import_csv,
    import_file,
)
from backend.cli.load import load_file
from backend.domain.nights import night_of
from backend.domain.schemas import EventIn
from tests.helpers.app_client import TOKEN
from tests.helpers.dataset import dataset, national_sums, night_sums

HEADER = (
    "time_start,time_end,model,launch_place,target,target_main,launched,destroyed,"
    "not_reach_goal,still_attacking,source"
)
KPSZSU = "kpszsu/posts/pfbid0TJ48t6J"
EVENTS = TypeAdapter(list[EventIn])


def csv_text(*rows: str) -> str:
    """A small CSV in the dataset's shape (a subset of its columns)."""
    return "\n".join((HEADER, *rows)) + "\n"


def row(
    start: str = "2025-07-03 18:00",
    end: str = "2025-07-04 06:00",
    model: str = "Shahed-136/131",
    figures: str = "539.0,268.0,208.0",
    source: str = KPSZSU,
    launch_place: str = "Kursk oblast",
) -> str:
    """One CSV line; figures are launched,destroyed,not_reach_goal."""
    return f'{start},{end},{model},"{launch_place}",Ukraine,Kyiv,{figures},,{source}'


def run(text: str, **options: Any) -> ImportResult:
    return import_csv(io.StringIO(text), **options)


def by_kind(events: list[dict[str, Any]]) -> dict[str, int]:
    sums: Counter[str] = Counter()
    for event in events:
        sums[event["kind"]] += event["count"]
    return dict(sums)


@pytest.mark.parametrize(
    ("model", "weapon"),
    [
        ("Shahed-136/131", "drone"),
        ("Reconnaissance UAV", "drone"),
        ("Unknown UAV", "drone"),
        ("Молнія and Lancet", "drone"),
        ("Orlan-10 and Orlan-30 and ZALA and Supercam", "drone"),
        ("X-101/X-555", "cruise_missile"),
        ("Kalibr", "cruise_missile"),
        ("Iskander-K", "cruise_missile"),
        ("X-101/X-555 and Kalibr", "cruise_missile"),
        ("X-101/X-555 and Kalibr and Iskander-K and X-59", "cruise_missile"),
        ("Iskander-M", "ballistic_missile"),
        ("Iskander-M/KN-23", "ballistic_missile"),
        ("KN-23", "ballistic_missile"),
        ("X-47 Kinzhal", "ballistic_missile"),
        ("C-300/C-400 and Iskander-M", "ballistic_missile"),
        ("X-47 Kinzhal and Iskander-M/KN-23", "ballistic_missile"),
        ("GBU", "guided_bomb"),
        ("Unknown Missile", "unknown"),
        ("Iskander-M and Iskander-K", "unknown"),
        ("X-101/X-555 and Kalibr and Iskander-M/KN-23", "unknown"),
        ("  Kalibr ", "cruise_missile"),
        ("kalibr", "cruise_missile"),
    ],
)
def test_model_maps_to_weapon_class(model: str, weapon: str) -> None:
    assert weapon_of(model) == weapon


@pytest.mark.parametrize("model", ["Shahed-238", "", "Kalibr and Zircon-2", "Kalibr and"])
def test_model_not_in_the_table_has_no_class(model: str) -> None:
    assert weapon_of(model) is None


def test_every_model_of_the_dataset_is_in_the_table() -> None:
    with dataset().open(newline="", encoding="utf-8") as handle:
        models = {record["model"] for record in csv.DictReader(handle)}
    assert len(models) > 70
    assert [model for model in sorted(models) if weapon_of(model) is None] == []


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2025-07-03 18:00", "2025-07-03T18:00:00+03:00", True),
        ("2023-05-16 3:30", "2023-05-16T03:30:00+03:00", True),
        ("2025-03-06 21:00 ", "2025-03-06T21:00:00+02:00", True),
        ("  2025-07-04  06:00\t", "2025-07-04T06:00:00+03:00", True),
        ("2025-07-04", "2025-07-04T00:00:00+03:00", False),
        ("2025-01-15 18:00", "2025-01-15T18:00:00+02:00", True),
        ("2025-07-03T18:00", "2025-07-03T18:00:00+03:00", True),
        ("2025-07-03 18:00:30", "2025-07-03T18:00:30+03:00", True),
        # Spring forward (30 March 2025, 03:00 -> 04:00): 03:30 does not exist; the real
        # instant it names is 04:30 summer time.
        ("2025-03-30 03:30", "2025-03-30T04:30:00+03:00", True),
        ("2025-03-30 02:59", "2025-03-30T02:59:00+02:00", True),
        # Fall back (26 October 2025): 03:30 happens twice; the first (summer) is taken.
        ("2025-10-26 03:30", "2025-10-26T03:30:00+03:00", True),
        ("2025-10-26 04:30", "2025-10-26T04:30:00+02:00", True),
    ],
)
def test_kyiv_times_are_parsed_leniently(text: str, expected: str, has_time: bool) -> None:
    parsed = parse_kyiv_time(text)
    assert parsed.instant.isoformat() == expected
    assert parsed.has_time is has_time


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2025-13-01", "2025-02-30", "2025-07-04 25:00", "04.07.2025"]
)
def test_unparseable_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"not|day|hour|month"):
        parse_kyiv_time(text)


@pytest.mark.parametrize(
    ("text", "value"), [("539.0", 539), ("7", 7), ("", 0), (" ", 0), ("nan", 0), ("0.0", 0)]
)
def test_figures(text: str, value: int) -> None:
    assert parse_figure(text) == value


@pytest.mark.parametrize("text", ["2.5", "-1.0", "many", "inf", "10001.0"])
def test_bad_figures_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"number|whole|over"):
        parse_figure(text)


@pytest.mark.parametrize(
    ("source", "regional"),
    [
        ("PvKPivden/posts/pfbid02", True),
        ("pvkshid/posts/pfbid034", True),
        ("PvkZahid/posts/pfbid0uY", True),
        ("PvkCenter/posts/pfbid06", True),
        ("PVKPIVDEN/videos/877352513463110", True),
        ("https://www.facebook.com/PvKPivden/posts/1", True),
        ("kpszsu/posts/pfbid0pZC", False),
        ("https://t.me/kpszsu/44624", False),
        ("GeneralStaff.ua/posts/pfbid02p4", False),
        ("CinCAFU/posts/pfbid0242", False),
        ("watch/?v=375517448001233", False),
    ],
)
def test_regional_sources(source: str, regional: bool) -> None:
    assert is_regional(source) is regional


def test_short_source_is_the_posting_account() -> None:
    assert short_source("kpszsu/posts/pfbid0pZC") == "kpszsu"
    assert short_source("https://t.me/war_monitor/27083") == "war_monitor"
    assert short_source("GeneralStaff.ua/posts/x") == "GeneralStaff.ua"


def test_row_becomes_launch_shot_down_and_suppressed() -> None:
    result = run(csv_text(row()))
    assert result.problems == []
    assert [(e["kind"], e["count"]) for e in result.events] == [
        ("launch", 539),
        ("shot_down", 268),
        ("suppressed", 208),
    ]
    for event in result.events:
        assert event["weapon"] == "drone"
        assert event["model"] == "Shahed-136/131"
        assert event["occurred_at"] == "2025-07-03T18:00:00+03:00"
        assert event["source"] == "kaggle:kpszsu"
        assert "2025-07-03 18:00 to 2025-07-04 06:00" in event["note"]
        assert event["id"].startswith("csv-")
        assert event["id"].endswith(f"-{event['kind']}")
    EVENTS.validate_python(result.events)


def test_zero_and_blank_figures_make_no_event() -> None:
    result = run(csv_text(row(model="Iskander-M/KN-23", figures="6.0,0.0,")))
    assert [(e["kind"], e["weapon"], e["count"]) for e in result.events] == [
        ("launch", "ballistic_missile", 6)
    ]


def test_model_is_cut_to_64_characters() -> None:
    long = " and ".join(["Kalibr"] * 15)
    [event] = run(csv_text(row(model=long, figures="3.0,,"))).events
    assert event["weapon"] == "cruise_missile"
    assert len(event["model"]) == 64


def test_window_ending_after_noon_stays_in_the_night_of_its_start() -> None:
    text = csv_text(row(start="2026-04-02 18:00", end="2026-04-03 14:00", figures="542,515,0"))
    events = run(text).events
    assert {night_of(datetime.fromisoformat(e["occurred_at"])) for e in events} == {
        date(2026, 4, 3)
    }


@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        ("2025-07-03 18:00", "2025-07-04 06:00", date(2025, 7, 4)),
        ("2025-07-04 00:20", "2025-07-04 00:30", date(2025, 7, 4)),
        ("2024-09-26 10:00", "2024-09-26 11:00", date(2024, 9, 26)),
        ("2025-02-20", "2025-02-20 10:00", date(2025, 2, 20)),
        ("2023-05-16 3:30", "2023-05-16 07:00", date(2023, 5, 16)),
        ("2024-12-24 14:00", "2024-12-25 12:00", date(2024, 12, 25)),
        ("2025-03-29 20:00", "2025-03-30 09:00", date(2025, 3, 30)),
    ],
)
def test_night_is_that_of_the_window_start(start: str, end: str, night: date) -> None:
    [event] = run(csv_text(row(start=start, end=end, figures="5,,"))).events
    assert night_of(datetime.fromisoformat(event["occurred_at"])) == night


def test_regional_rows_are_skipped_and_counted() -> None:
    text = csv_text(
        row(),
        row(source="PvKPivden/posts/pfbid02M6", model="Unknown UAV", figures="4.0,4.0,"),
        row(source="pvkshid/posts/x", model="not even a model", figures="x,y,z"),
        row(source="GeneralStaff.ua/posts/pfbid02p4", model="Kalibr", figures="4,3,"),
    )
    result = run(text)
    assert (result.rows, result.national_rows, result.regional_skipped) == (4, 2, 2)
    assert result.problems == []
    assert {e["source"] for e in result.events} == {"kaggle:kpszsu", "kaggle:GeneralStaff.ua"}


def test_bad_rows_are_reported_with_their_line_numbers() -> None:
    text = csv_text(
        row(),  # line 2
        row(start="2025-07-03 evening"),  # line 3
        row(model="Shahed-238"),  # line 4
        row(launch_place="Kursk oblast\nand Bryansk oblast"),  # lines 5-6: quoted newline
        row(figures="many,1,1"),  # line 7
        "2025-07-03 18:00,2025-07-04 06:00,Kalibr",  # line 8: too few fields
        "",  # line 9: blank, ignored
        row(end="2025-07-02 06:00", model="Kalibr"),  # line 10
        row(model="Kalibr", figures="1.5,,"),  # line 11
    )
    result = run(text)
    problems = {problem.line: problem.message for problem in result.problems}
    assert sorted(problems) == [3, 4, 7, 8, 10, 11]
    assert "time_start" in problems[3]
    assert "'Shahed-238' is not in the importer's weapon table" in problems[4]
    assert "launched 'many' is not a number" in problems[7]
    assert "expected 11 fields, found 3" in problems[8]
    assert "ends (2025-07-02 06:00) before it starts" in problems[10]
    assert "whole number" in problems[11]
    # The good rows are still converted: the caller decides whether to go on.
    assert result.national_rows == 2
    assert len(result.events) == 6


def test_every_problem_of_a_row_is_listed() -> None:
    [problem] = run(csv_text(row(start="soon", model="Zircon-9", figures="a,b,c"))).problems
    for part in ("time_start", "Zircon-9", "launched", "destroyed", "not_reach_goal"):
        assert part in problem.message


def test_header_without_required_columns_is_refused() -> None:
    with pytest.raises(CsvFormatError, match="launched"):
        run("time_start,time_end,model,source\n2025-07-03,2025-07-04,Kalibr,kpszsu\n")
    with pytest.raises(CsvFormatError, match="empty"):
        run("")


def test_csv_syntax_error_names_its_line() -> None:
    limit = csv.field_size_limit(200)
    try:
        with pytest.raises(CsvFormatError, match="line 3: field larger than field limit"):
            run(csv_text(row(), row(launch_place="x" * 300)))
    finally:
        csv.field_size_limit(limit)


def test_ids_are_stable_and_independent_of_line_position() -> None:
    first = run(csv_text(row(), row(model="Kalibr", figures="4,2,1")))
    again = run(csv_text(row(model="X-59", figures="1,1,"), row(model="Kalibr", figures="4,2,1")))
    assert run(csv_text(row(), row(model="Kalibr", figures="4,2,1"))).events == first.events
    kalibr = {e["id"] for e in first.events if e["model"] == "Kalibr"}
    assert kalibr <= {e["id"] for e in again.events}


def test_identical_rows_get_distinct_ids() -> None:
    # The dataset has such pairs: two 1-missile rows of one post.
    single = row(model="Iskander-M", figures="1,0,")
    text = csv_text(single, single)
    events = run(text).events
    assert len({event["id"] for event in events}) == 2
    assert by_kind(events) == {"launch": 2}


def test_events_are_sorted_by_time_across_a_clock_change() -> None:
    text = csv_text(
        row(start="2025-10-26 03:30", end="2025-10-26 08:00", figures="1,,"),
        row(start="2025-10-26 03:10", end="2025-10-26 08:00", figures="2,,", model="Kalibr"),
        row(start="2025-10-25 21:00", end="2025-10-26 08:00", figures="3,,", model="X-59"),
    )
    events = run(text).events
    assert [e["count"] for e in events] == [3, 2, 1]


def test_night_filter_keeps_only_those_nights() -> None:
    text = csv_text(row(), row(start="2025-07-08 20:00", end="2025-07-09 08:30"))
    result = run(text, nights={date(2025, 7, 9)})
    assert result.other_nights == 1
    assert result.nights == [date(2025, 7, 9)]


def test_whole_dataset_imports_and_every_night_matches_its_national_rows() -> None:
    result = import_file(dataset())
    assert result.problems == []
    assert result.regional_skipped > 1000
    assert result.national_rows > 2000
    EVENTS.validate_python(result.events)
    assert len({event["id"] for event in result.events}) == len(result.events)
    generated: Counter[tuple[date, str, str]] = Counter()
    for event in result.events:
        night = night_of(datetime.fromisoformat(event["occurred_at"]))
        generated[night, event["kind"], event["model"]] += event["count"]
    expected = national_sums()
    assert set(result.nights) == {night for night, _, _ in expected}
    assert generated == expected


def test_importing_twice_gives_the_same_events() -> None:
    assert import_file(dataset()).events == import_file(dataset()).events


NIGHTS = (date(2025, 7, 9), date(2025, 9, 7))


def import_args(path: Path, *more: str) -> list[str]:
    nights = [option for night in NIGHTS for option in ("--night", night.isoformat())]
    return ["import-csv", str(path), *nights, "--token", TOKEN, *more]


def test_cli_posts_two_nights_and_stats_match_the_csv(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command's own path (temporary recording, load_file) into the in-process app
    # (tests/helpers/app_client.py). The test client is an httpx2 client; load_file only
    # calls post() and delete() on it.
    http = cast(httpx.Client, client)
    monkeypatch.setattr(cli, "load_file", functools.partial(load_file, client=http))
    assert cli.main(import_args(dataset())) == 0
    assert "events accepted, 0 duplicates" in capsys.readouterr().out
    for night in NIGHTS:
        stats = client.get("/api/v1/stats", params={"night": night.isoformat()}).json()
        expected = night_sums(night)
        assert sum(stats["launched"].values()) == expected["launch"]
        assert sum(stats["shot_down"].values()) == expected["shot_down"]
        assert sum(stats["suppressed"].values()) == expected["suppressed"]
    assert cli.main(import_args(dataset())) == 0
    assert "0 events accepted" in capsys.readouterr().out


def test_cli_refuses_a_file_with_bad_rows_unless_told_to_skip_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "attacks.csv"
    source.write_text(csv_text(row(), row(model="Shahed-238"), row(start="later")))
    output = tmp_path / "out.jsonl"
    assert cli.main(["import-csv", str(source), "--output", str(output)]) == 1
    captured = capsys.readouterr()
    assert f"{source}:3: model 'Shahed-238'" in captured.err
    assert f"{source}:4: time_start" in captured.err
    assert "nothing imported" in captured.err
    assert not output.exists()

    assert cli.main(["import-csv", str(source), "--skip-bad", "--output", str(output)]) == 0
    captured = capsys.readouterr()
    assert f"{source}:3:" in captured.err
    assert len(output.read_text().splitlines()) == 3


def test_cli_dry_run_counts_without_posting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "attacks.csv"
    source.write_text(csv_text(row(), row(source="PvkZahid/posts/1")))
    # No server listens at this address: a dry run must not try it.
    args = ["import-csv", str(source), "--dry-run", "--url", "http://127.0.0.1:9"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "2 rows: 1 national, 1 regional rows skipped, 0 bad; 3 events over 1 night" in out


def test_cli_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import-csv", str(tmp_path / "absent.csv"), "--dry-run"]) == 1
    assert "absent.csv" in capsys.readouterr().err
