"""backend/cli/import_csv.py, `skywatch import-csv`: the dataset CSV to official reports."""

from __future__ import annotations

import csv
import functools
import io
import json
from datetime import date
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from backend.api.routes import reports as report_routes
from backend.cli import import_csv as importer
from backend.cli import main as cli
from backend.cli.import_csv import CsvFormatError, ImportResult, import_csv, import_file
from backend.domain.reports import ReportIn
from tests.helpers.app_client import TOKEN
from tests.helpers.dataset import dataset, official_sums

HEADER = (
    "time_start,time_end,model,launch_place,target,target_main,launched,destroyed,"
    "not_reach_goal,still_attacking,source"
)
KPSZSU = "kpszsu/posts/pfbid0TJ48t6J"
REPORTS = TypeAdapter(list[ReportIn])


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
    # Every bad row is of the one post: none of its rows makes a report (the caller decides
    # whether to go on with the other posts).
    assert result.national_rows == 2
    assert result.reports == []
    assert result.left_out_rows == 2


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


def test_each_post_and_night_is_one_report_and_regional_posts_are_regional() -> None:
    text = csv_text(
        row(),
        row(model="Kalibr", figures="4,2,"),
        row(source="PvKPivden/posts/pfbid02M6", model="Unknown UAV", figures="4.0,4.0,"),
        row(source="GeneralStaff.ua/posts/pfbid02p4", model="Kalibr", figures="4,3,"),
        row(start="2025-07-04 13:00", end="2025-07-04 14:00", figures="1,1,0"),
    )
    result = run(text)
    assert (result.rows, result.national_rows, result.regional_rows) == (5, 4, 1)
    assert result.problems == []
    REPORTS.validate_python(result.reports, strict=False)
    made = sorted((r["night"], r["issuer"], r["scope"], len(r["lines"])) for r in result.reports)
    assert made == [
        ("2025-07-04", "air_command_south", "regional", 1),
        ("2025-07-04", "air_force", "national", 2),
        ("2025-07-04", "general_staff", "national", 1),
        ("2025-07-05", "air_force", "national", 1),  # the same post, next night's row
    ]
    assert result.nights == [date(2025, 7, 4), date(2025, 7, 5)]


def test_blank_figures_stay_null() -> None:
    [report] = run(csv_text(row(model="Kalibr", figures=",3,"))).reports
    assert report["lines"][0]["launched"] is None
    assert report["lines"][0]["suppressed"] is None
    assert (report["hit_locations"], report["debris_locations"]) == (None, None)


def test_a_bad_row_leaves_its_post_out_but_not_the_others() -> None:
    other = "kpszsu/posts/other"
    result = run(csv_text(row(), row(model="Shahed-238"), row(source=other, model="Kalibr")))
    assert [problem.line for problem in result.problems] == [3]
    assert [report["note"].endswith(other) for report in result.reports] == [True]
    assert result.left_out_rows == 1
    assert "1 bad, 1 left out with their post" in importer.summarize(result, "f.csv")


def test_night_filter_keeps_only_those_nights() -> None:
    text = csv_text(row(), row(start="2025-07-08 20:00", end="2025-07-09 08:30"))
    result = run(text, nights={date(2025, 7, 9)})
    assert result.other_nights == 1
    assert result.nights == [date(2025, 7, 9)]


def test_whole_dataset_every_national_night_matches_its_rows() -> None:
    result = import_file(dataset())
    assert result.problems == []
    assert len({report["id"] for report in result.reports}) == len(result.reports)
    totals: dict[str, dict[str, int | None]] = {}
    for report in result.reports:
        if report["scope"] != "national":
            continue
        night = totals.setdefault(report["night"], dict.fromkeys(FIGURES))
        for line in report["lines"]:
            for figure in FIGURES:
                if line[figure] is not None:
                    night[figure] = (night[figure] or 0) + line[figure]
    assert totals == {str(night): sums for night, sums in official_sums().items()}


def test_importing_twice_gives_the_same_reports() -> None:
    assert import_file(dataset()).reports == import_file(dataset()).reports


def test_the_cli_batch_limit_is_the_api_limit() -> None:
    assert importer.MAX_BATCH_REPORTS == report_routes.MAX_BATCH_REPORTS


NIGHTS = (date(2025, 7, 9), date(2025, 9, 7))
FIGURES = ("launched", "shot_down", "suppressed", "neutralized")


def import_args(path: Path, *more: str) -> list[str]:
    nights = [option for night in NIGHTS for option in ("--night", night.isoformat())]
    return ["import-csv", str(path), *nights, "--token", TOKEN, *more]


def test_cli_posts_reports_in_batches_and_official_matches_the_csv(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command's own path into the in-process app (tests/helpers/app_client.py); the
    # test client is an httpx2 client, and post_reports only calls post() on it.
    http = cast(httpx.Client, client)
    monkeypatch.setattr(
        importer, "post_reports", functools.partial(importer.post_reports, client=http)
    )
    assert cli.main(import_args(dataset(), "--batch-size", "1")) == 0
    out = capsys.readouterr().out
    assert "reports accepted, 0 duplicates" in out
    for night in NIGHTS:
        stats = client.get("/api/v1/stats", params={"night": night.isoformat()}).json()
        assert sum(stats["launched"].values()) == 0  # nothing observed: reports only
        official = stats["official"]
        for figure, expected in official_sums()[night].items():
            stated = [value for value in official[figure].values() if value is not None]
            assert (sum(stated) if stated else None) == expected, (night, figure)
    assert cli.main(import_args(dataset())) == 0
    assert "0 reports accepted" in capsys.readouterr().out


def test_cli_output_writes_reports_as_json_lines(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    assert cli.main(import_args(dataset(), "--output", str(output))) == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    REPORTS.validate_python([json.loads(line) for line in lines], strict=False)
    assert {json.loads(line)["night"] for line in lines} == {str(night) for night in NIGHTS}


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
    assert output.read_text() == ""  # every row is of the one post


def test_cli_dry_run_counts_without_posting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "attacks.csv"
    source.write_text(csv_text(row(), row(source="PvkZahid/posts/1")))
    # No server listens at this address: a dry run must not try it.
    args = ["import-csv", str(source), "--dry-run", "--url", "http://127.0.0.1:9"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert (
        "2 rows: 1 national, 1 regional, 0 bad; 2 reports (1 national, 1 regional) over 1 night"
        in out
    )


def test_cli_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import-csv", str(tmp_path / "absent.csv"), "--dry-run"]) == 1
    assert "absent.csv" in capsys.readouterr().err
