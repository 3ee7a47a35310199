"""`skywatch import-alerts` against a real server: a real slice of both shipped files, twice,
dry, with bad rows and with the permanent alerts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from backend.cli import main as cli
from backend.domain.nights import night_window
from tests.helpers.alert_record import MERGED, RAW, overlapping, record_alerts, under_alert
from tests.helpers.server_process import TOKEN, ServerProcess

# Four nights either side of where the raw file ends and the merged one begins.
FIRST, LAST = date(2024, 4, 20), date(2024, 4, 27)


def run(server: ServerProcess, *args: str) -> int:
    return cli.main(["import-alerts", *args, "--url", server.url, "--token", TOKEN])


def stored_events(server: ServerProcess) -> int:
    with server.client() as client:
        return sum(night["events"] for night in client.get("/api/v1/nights").json())


def test_a_slice_of_both_files_imports_once(
    server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    span = ("--from", str(FIRST), "--to", str(LAST))
    start, end = night_window(FIRST)[0], night_window(LAST)[1]
    expected = {path: overlapping(record_alerts(path), start, end) for path in (RAW, MERGED)}
    for path in (RAW, MERGED):
        assert run(server, str(path), *span) == 0
        line = capsys.readouterr().out.strip().splitlines()[-1]
        count = len(expected[path])
        assert line.startswith(f"{path}: {len(record_alerts(path))} rows, {count} alerts ")
        assert f"({2 * count} events), 0 skipped" in line
        assert line.endswith(f"; {2 * count} events accepted, 0 duplicates")
    total = 2 * sum(len(found) for found in expected.values())
    assert stored_events(server) == total
    both = expected[RAW] + expected[MERGED]
    with server.client() as client:
        for at in ("2024-04-22T22:40:00Z", "2024-04-23T00:07:39Z", "2024-04-25T18:00:00Z"):
            regions = client.get("/api/v1/alerts", params={"at": at}).json()["regions"]
            got = {item["region"]: (item["state"], item["areas"]) for item in regions}
            assert got == under_alert(tuple(both), datetime.fromisoformat(at)), at
    assert run(server, str(MERGED), *span) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith(f"; 0 events accepted, {2 * len(expected[MERGED])} duplicates")
    )
    assert stored_events(server) == total


def test_dry_run_posts_nothing(server: ServerProcess, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, str(RAW), "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{RAW}: 43031 rows, 43031 alerts (86062 events), 0 skipped, ")
    assert "accepted" not in out
    assert stored_events(server) == 0


def test_bad_rows_are_named_by_line_and_skip_bad_imports_the_rest(
    server: ServerProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = RAW.read_text(encoding="utf-8").splitlines()[:31]
    lines[4] = lines[4].replace("Mykolaivska oblast", "Mykolaivskyi raion")  # line 5
    lines[9] = lines[9].replace(",oblast,", ",region,")  # line 10
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(server, str(bad)) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5: oblast: 'Mykolaivskyi raion' is not an oblast of Ukraine" in err
    assert f"{bad}:10: level: 'region' is not one of oblast, raion, hromada" in err
    assert "2 bad row(s), nothing imported" in err
    assert stored_events(server) == 0
    assert run(server, str(bad), "--skip-bad") == 0
    assert "30 rows, 28 alerts (56 events), 2 skipped" in capsys.readouterr().out
    assert stored_events(server) == 56


def test_permanent_alerts_are_added_on_the_flag(
    server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    night = "2025-07-04"
    assert run(server, str(MERGED), "--from", night, "--to", night, "--permanent-alerts") == 0
    assert "63 alerts (124 events)" in capsys.readouterr().out
    with server.client() as client:
        regions = client.get("/api/v1/alerts", params={"at": "2025-07-03T21:00:00Z"}).json()
    state = {item["region"]: item for item in regions["regions"]}
    assert (state["UA-09"]["state"], state["UA-09"]["since"]) == ("full", "2022-04-04T16:45:00Z")
    assert (state["UA-43"]["state"], state["UA-43"]["since"]) == ("full", "2022-12-10T22:22:00Z")


def test_a_file_that_is_not_the_record_is_refused(
    server: ServerProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = Path(__file__).parents[2] / "seeds" / "data" / "missile_attacks_daily.csv"
    assert run(server, str(other)) == 1
    assert "not the alert record: missing columns oblast" in capsys.readouterr().err
    assert run(server, str(tmp_path / "missing.csv")) == 1
    assert run(server, str(RAW), "--from", "2024-01-02", "--to", "2024-01-01") == 2
