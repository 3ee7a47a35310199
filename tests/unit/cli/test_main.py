"""The `skywatch` arguments (backend/cli/main.py): every command's flags, refusals, and --help."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import uvicorn

from backend.cli import main as cli
from backend.cli.arguments import DEFAULT_URL, parser
from tests.helpers.server_process import free_port

COMMANDS = ("serve", "load", "import-csv", "import-alerts", "record", "replay", "report", "db")


def parse(argv: list[str]) -> argparse.Namespace:
    """The arguments `skywatch <argv>` runs its command with (nothing is run)."""
    return parser(argv).parse_args(argv)


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SKYWATCH_* setting of the developer's changes a default; the data dir is the test's;
    and a test that got as far as starting a server fails instead of serving."""
    for name in ("SKYWATCH_URL", "SKYWATCH_TOKEN", "SKYWATCH_REDIS_URL", "SKYWATCH_API_TOKENS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SKYWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKYWATCH_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")

    def no_server(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a parsing test started a server")

    monkeypatch.setattr(uvicorn, "run", no_server)


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """main(argv) must exit with status 2 (a usage error); what it wrote to stderr."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def closed_url() -> str:
    """A server URL nothing listens on: a command that wrongly gets that far reaches no one."""
    return f"http://127.0.0.1:{free_port()}"


# serve


def test_serve_defaults() -> None:
    args = parse(["serve"])
    assert args.command == "serve"
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8000, 1)
    assert (args.demo, args.access_log) == (False, False)


def test_serve_parses_its_flags() -> None:
    argv = ["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "4", "--demo"]
    args = parse([*argv, "--access-log"])
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 9001, 4)
    assert (args.demo, args.access_log) == (True, True)


def test_serve_refuses_a_port_that_is_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    error = refused(["serve", "--port", "http"], capsys)
    assert "--port" in error
    assert "'http'" in error


def test_serve_with_several_workers_and_no_redis_is_refused_before_starting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["serve", "--workers", "2"]) == 2
    error = capsys.readouterr().err
    assert "--workers" in error
    assert "SKYWATCH_REDIS_URL" in error


# load


def test_load_defaults() -> None:
    args = parse(["load", "night.jsonl"])
    assert args.command == "load"
    assert args.file == Path("night.jsonl")
    assert (args.url, args.token, args.batch_size) == (DEFAULT_URL, None, 1000)


def test_load_parses_its_flags() -> None:
    argv = ["load", "n.jsonl", "--url", "http://h:1", "--token", "tk", "--batch-size", "10000"]
    args = parse(argv)
    assert (args.file, args.url, args.token, args.batch_size) == (
        Path("n.jsonl"),
        "http://h:1",
        "tk",
        10_000,
    )


def test_the_smallest_batch_size_is_one() -> None:
    assert parse(["load", "n.jsonl", "--batch-size", "1"]).batch_size == 1


def test_the_url_defaults_to_skywatch_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKYWATCH_URL", "http://elsewhere:8123")
    for argv in (["load", "f"], ["import-csv", "f"], ["record"], ["replay", "f"]):
        assert parse(argv).url == "http://elsewhere:8123"
    assert parse(["report", "2025-07-04"]).url == "http://elsewhere:8123"


@pytest.mark.parametrize("command", ["load", "import-csv"])
@pytest.mark.parametrize("value", ["0", "10001", "-5"])
def test_a_batch_size_out_of_range_is_refused_naming_the_flag(
    command: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    error = refused([command, "f", "--url", closed_url(), "--batch-size", value], capsys)
    assert "--batch-size" in error
    assert "between 1 and 10000" in error


@pytest.mark.parametrize("command", ["load", "import-csv"])
def test_a_batch_size_that_is_not_a_number_is_refused_naming_the_flag(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    error = refused([command, "f", "--url", closed_url(), "--batch-size", "many"], capsys)
    assert "--batch-size" in error
    assert "'many'" in error


def test_load_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert "file" in refused(["load"], capsys)


# import-csv


def test_import_csv_defaults() -> None:
    args = parse(["import-csv", "attacks.csv"])
    assert args.command == "import-csv"
    assert args.file == Path("attacks.csv")
    assert (args.url, args.token, args.batch_size, args.night) == (
        DEFAULT_URL,
        None,
        1000,
        None,
    )
    assert (args.dry_run, args.skip_bad, args.output) == (False, False, None)


def test_import_csv_parses_its_flags_and_repeats_night() -> None:
    argv = [
        "import-csv", "attacks.csv",
        "--url", "http://h:1", "--token", "tk", "--batch-size", "1",
        "--night", "2025-07-04", "--night", "2025-07-05",
        "--dry-run", "--skip-bad", "--output", "out.jsonl",
    ]  # fmt: skip
    args = parse(argv)
    assert (args.url, args.token, args.batch_size) == ("http://h:1", "tk", 1)
    assert args.night == [date(2025, 7, 4), date(2025, 7, 5)]
    assert (args.dry_run, args.skip_bad, args.output) == (True, True, Path("out.jsonl"))


def test_import_csv_refuses_a_night_that_is_not_a_label(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = refused(["import-csv", "f.csv", "--url", closed_url(), "--night", "bogus"], capsys)
    assert "--night" in error
    assert "'bogus'" in error
    assert "YYYY-MM-DD" in error


def test_import_csv_refuses_a_night_that_does_not_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = refused(["import-csv", "f.csv", "--url", closed_url(), "--night", "2025-02-30"], capsys)
    assert "--night" in error


# record


def test_record_defaults() -> None:
    args = parse(["record"])
    assert args.command == "record"
    assert (args.url, args.night, args.duration, args.token) == (DEFAULT_URL, None, None, None)


def test_record_parses_its_flags() -> None:
    argv = ["record", "--url", "http://h:1", "--night", "2025-07-04", "--duration", "2.5"]
    args = parse([*argv, "--token", "view"])
    assert (args.url, args.duration, args.token) == ("http://h:1", 2.5, "view")
    assert str(args.night) == "2025-07-04"


def test_record_refuses_a_night_that_is_not_a_label(capsys: pytest.CaptureFixture[str]) -> None:
    # README: `skywatch record [--night YYYY-MM-DD]`, a usage error like import-csv's --night.
    # (Should it get past parsing, the URL is a closed port: the command fails fast, exit 1.)
    argv = ["record", "--url", closed_url(), "--night", "bogus", "--duration", "1"]
    error = refused(argv, capsys)
    assert "--night" in error
    assert "'bogus'" in error


def test_record_refuses_a_duration_that_is_not_a_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "--duration" in refused(["record", "--duration", "long"], capsys)


# replay


def test_replay_defaults() -> None:
    args = parse(["replay", "night.jsonl"])
    assert args.command == "replay"
    assert args.file == Path("night.jsonl")
    assert (args.url, args.token, args.speed, args.rebase_now) == (
        DEFAULT_URL,
        None,
        60.0,
        False,
    )


def test_replay_parses_its_flags() -> None:
    argv = ["replay", "n.jsonl", "--speed", "600", "--rebase-now", "--url", "http://h:1"]
    args = parse([*argv, "--token", "tk"])
    assert (args.speed, args.rebase_now, args.url, args.token) == (600.0, True, "http://h:1", "tk")


def test_replay_refuses_a_speed_that_is_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--speed" in refused(["replay", "n.jsonl", "--speed", "fast"], capsys)


@pytest.mark.parametrize("speed", ["0", "-2"])
def test_replay_refuses_a_speed_not_above_zero_before_posting(
    speed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = tmp_path / "n.jsonl"
    recording.write_text("")
    argv = ["replay", str(recording), "--url", closed_url(), "--token", "tk", "--speed", speed]
    assert cli.main(argv) == 2
    assert "--speed" in capsys.readouterr().err


# report


def test_report_parses_the_night_and_its_flags() -> None:
    argv = ["report", "2025-07-04", "-o", "n.html", "--url", "http://h:1", "--token", "v"]
    args = parse(argv)
    assert args.command == "report"
    assert args.night == date(2025, 7, 4)
    assert (args.output, args.url, args.token) == (Path("n.html"), "http://h:1", "v")


def test_report_takes_the_long_output_flag_and_has_defaults() -> None:
    assert parse(["report", "2025-07-04", "--output", "x.html"]).output == Path("x.html")
    args = parse(["report", "2025-07-04"])
    assert (args.output, args.url, args.token) == (None, DEFAULT_URL, None)


def test_report_refuses_a_night_that_is_not_a_label(capsys: pytest.CaptureFixture[str]) -> None:
    error = refused(["report", "bogus", "--url", closed_url()], capsys)
    assert "night" in error
    assert "'bogus'" in error


def test_report_needs_a_night(capsys: pytest.CaptureFixture[str]) -> None:
    assert "night" in refused(["report"], capsys)


# db upgrade


def test_db_upgrade_parses() -> None:
    args = parse(["db", "upgrade"])
    assert (args.command, args.db_command) == ("db", "upgrade")


def test_db_upgrade_migrates_the_configured_database(tmp_path: Path) -> None:
    assert cli.main(["db", "upgrade"]) == 0
    assert (tmp_path / "cli.db").is_file()


def test_db_needs_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert "upgrade" in refused(["db"], capsys)


def test_db_refuses_an_unknown_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert "downgrade" in refused(["db", "downgrade"], capsys)


# the command as a whole


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert "command" in refused([], capsys)


def test_an_unknown_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert "launch" in refused(["launch"], capsys)


def test_an_unknown_flag_is_refused_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--colour" in refused(["serve", "--colour"], capsys)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: skywatch")
    for command in COMMANDS:
        assert command in shown


@pytest.mark.parametrize(
    ("command", "flags"),
    [
        (["serve"], ["--host", "--port", "--workers", "--demo", "--access-log"]),
        (["load"], ["file", "--url", "--token", "--batch-size"]),
        (
            ["import-csv"],
            ["file", "--url", "--token", "--batch-size", "--night", "--dry-run", "--skip-bad",
             "--output"],
        ),
        (
            ["import-alerts"],
            ["file", "--url", "--token", "--from", "--to", "--dry-run", "--skip-bad",
             "--permanent-alerts", "--batch-size"],
        ),
        (["record"], ["--url", "--night", "--duration", "--token"]),
        (["replay"], ["file", "--url", "--token", "--speed", "--rebase-now"]),
        (["report"], ["night", "-o", "--output", "--url", "--token"]),
        (["db"], ["upgrade"]),
    ],
)  # fmt: skip
def test_each_command_help_lists_its_flags(
    command: list[str], flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*command, "--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    for flag in flags:
        assert flag in shown


HEAVY_MODULES = ("httpx", "sqlalchemy", "pydantic", "pydantic_settings", "uvicorn", "fastapi")


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["load", "--help"]])
def test_help_imports_no_heavy_module(argv: list[str]) -> None:
    # What makes --help answer at once: no SQLAlchemy, pydantic or httpx to import first.
    script = (
        "import sys\nfrom backend.cli.main import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_verbose_before_or_after_the_command() -> None:
    assert parse(["--verbose", "load", "f.jsonl"]).verbose is True
    assert parse(["replay", "f.jsonl", "--verbose"]).verbose is True
    assert parse(["replay", "f.jsonl"]).verbose is False


def test_db_backup_and_restore_take_a_file() -> None:
    assert (parse(["db", "backup", "b.db"]).db_command, parse(["db", "backup", "b.db"]).file) == (
        "backup",
        Path("b.db"),
    )
    assert parse(["db", "restore", "b.db"]).file == Path("b.db")


def test_a_missing_file_is_named_not_the_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["load", "missing.jsonl", "--token", "t", "--url", closed_url()]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "skywatch load: missing.jsonl: No such file or directory"
