"""A fresh clone of HEAD (no ../shared, no data dir) does what the README says, as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.helpers.server_process import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fresh") / "skywatch"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, timeout=120)
    return target


def skywatch_env(clone: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYWATCH_")}
    # The clone's code, with this environment's installed dependencies.
    env["PYTHONPATH"] = str(clone)
    env["SKYWATCH_DATA_DIR"] = str(data)
    return env


def skywatch(clone: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli.main", *args],
        cwd=clone,
        env=skywatch_env(clone, data),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def served(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`make run`'s command (skywatch serve --demo) from the clone, on a port of its own."""
    data = tmp_path_factory.mktemp("data")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "serve", "--demo", "--port", str(port)],
        cwd=clone,
        env=skywatch_env(clone, data),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            subprocess.run(["sleep", "0.1"], check=True)
        yield url, data
    finally:
        process.terminate()
        process.wait(timeout=60)
        if process.stdout:
            process.stdout.close()


def readme_block(clone: Path, after: str) -> str:
    text = (clone / "README.md").read_text(encoding="utf-8")
    start = text.index("```sh", text.index(after))
    return text[start + len("```sh") : text.index("```", start + 5)]


def test_the_readme_never_sends_anyone_to_shared(clone: Path) -> None:
    assert "../shared" not in (clone / "README.md").read_text(encoding="utf-8")
    assert (clone / "seeds/data/missile_attacks_daily.csv").is_file()


def test_the_first_post_answers_what_the_readme_prints(
    clone: Path, served: tuple[str, Path]
) -> None:
    url, data = served
    clone_readme = readme_block(clone, "## Posting events")
    body = re.search(r"-d '(\{.*?\})'\n", clone_readme, re.S)
    printed = re.search(r"^# (\{.*\})$", clone_readme, re.M)
    assert body
    assert printed
    token = (data / "api-token").read_text().strip()
    answer = httpx.post(
        f"{url}/api/v1/events",
        content=body.group(1),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 201
    assert answer.json() == orjson.loads(printed.group(1))


def test_help_lists_every_command_of_the_readme(clone: Path, tmp_path: Path) -> None:
    shown = skywatch(clone, tmp_path, "--help")
    assert shown.returncode == 0
    block = readme_block(clone, "## Command line")
    commands = {line.split()[1] for line in block.splitlines() if line.startswith("skywatch ")}
    assert len(commands) >= 9
    for command in commands:
        assert re.search(rf"^\s+{re.escape(command)}\b", shown.stdout, re.M), command


def test_load_of_a_missing_file_names_the_file(clone: Path, tmp_path: Path) -> None:
    done = skywatch(clone, tmp_path, "load", "missing.jsonl", "--token", "t")
    assert done.returncode == 1
    assert done.stderr.strip() == "skywatch load: missing.jsonl: No such file or directory"


def test_make_run_takes_a_port_and_a_host(clone: Path) -> None:
    # Under `make test` this runs inside another make: without its flags and its level, or
    # the child prints "Entering/Leaving directory" lines around the command.
    outer = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    environment = {key: value for key, value in os.environ.items() if key not in outer}
    shown = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8001", "HOST=0.0.0.0"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=environment,
    )
    assert (
        shown.stdout.strip()
        .splitlines()[-1]
        .endswith("skywatch serve --demo --host 0.0.0.0 --port 8001")
    )
