"""`skywatch parse-report` (backend/cli/parse_report.py), offline: a file or standard input
in, the report as JSON out; refusals on stderr with a non-zero status; its flags and help."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from backend.cli import main as cli
from backend.cli.arguments import parser
from tests.helpers.air_force_posts import ISSUED, post_text

POST = "03_2025-06-23_night.txt"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SKYWATCH_* setting of the developer's applies; the data dir is the test's."""
    for name in ("SKYWATCH_URL", "SKYWATCH_TOKEN", "SKYWATCH_API_TOKENS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SKYWATCH_DATA_DIR", str(tmp_path / "data"))


def test_a_file_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "post.txt"
    path.write_text(post_text(POST), encoding="utf-8")
    issued = ISSUED[POST].isoformat()
    status = cli.main(["parse-report", str(path), "--issued-at", issued, "--url", "https://t.me/x"])
    out, err = capsys.readouterr()
    assert status == 0
    report = json.loads(out)
    assert (report["night"], report["url"], report["text"]) == (
        "2025-06-23",
        "https://t.me/x",
        post_text(POST),
    )
    assert [line["shot_down"] for line in report["lines"]] == [146, 7]
    assert "warning: the post states 158 in all shot_down" in err


def test_dash_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(post_text(POST)))
    assert cli.main(["parse-report", "-", "--issued-at", ISSUED[POST].isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["night"] == "2025-06-23"


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("Last night 100 drones were launched.", "not an Air Force night report")],
)
def test_not_a_post_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["parse-report", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


def test_a_missing_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["parse-report", str(tmp_path / "none.txt")]) == 1
    assert "none.txt" in capsys.readouterr().err


def test_a_bad_issued_at_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["parse-report", "-", "--issued-at", "2025-06-23 09:00"])
    assert exit_info.value.code == 2
    assert "--issued-at" in capsys.readouterr().err


def test_post_without_a_token_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(post_text(POST)))
    assert cli.main(["parse-report", "-", "--post", "--server", "http://127.0.0.1:9"]) == 2
    assert "no write token" in capsys.readouterr().err


def test_flags_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    args = parser(["parse-report"]).parse_args(["parse-report", "p.txt"])
    assert (args.file, args.issued_at, args.url, args.post, args.token) == (
        "p.txt",
        None,
        None,
        False,
        None,
    )
    assert args.server == "http://127.0.0.1:8000"
    with pytest.raises(SystemExit):
        cli.main(["parse-report", "--help"])
    shown = capsys.readouterr().out
    for flag in ("--issued-at", "--url", "--post", "--token", "--server"):
        assert flag in shown
