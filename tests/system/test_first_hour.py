"""The first hour of a new user (issue 17): what the commands say when something is wrong,
and what a long command shows when nobody watches a terminal."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.helpers.server_process import SKYWATCH, TOKEN, ServerProcess, free_port


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SKYWATCH), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYWATCH_")}
    env["SKYWATCH_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_serve_on_a_busy_port_is_one_line_with_the_fix(busy_port: int, tmp_path: Path) -> None:
    done = run("serve", "--port", str(busy_port), env=environment(tmp_path))
    assert done.returncode == 1
    assert "Skywatch on" not in done.stdout  # it never claims to serve
    assert done.stderr.strip().splitlines() == [
        f"skywatch serve: port {busy_port} on 127.0.0.1 is already in use (another skywatch "
        f"serve?): stop it, or choose another port: skywatch serve --port {busy_port + 1}, "
        f"make run PORT={busy_port + 1}"
    ]


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["db", "upgrade"]])
def test_an_unreachable_database_is_one_line_naming_it(command: list[str], tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://skywatch@127.0.0.1:{free_port()}/skywatch"
    done = run(*command, env=environment(tmp_path, SKYWATCH_DATABASE_URL=url))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"skywatch {' '.join(command[:2]) if command[0] == 'db' else 'serve'}:")
    assert f"cannot reach the database at {url}" in last
    assert "Connect call failed" in last
    assert "SKYWATCH_DATABASE_URL" in last


def test_replay_off_a_terminal_prints_summaries_and_no_request_lines(
    server: ServerProcess, tmp_path: Path
) -> None:
    path = tmp_path / "night.jsonl"
    # Twelve minutes of the night at 60x: twelve seconds, so at least one 10 s summary.
    lines = [
        {
            "id": f"p{minute}",
            "kind": "launch",
            "weapon": "drone",
            "occurred_at": f"2025-07-04T01:{minute:02d}:00+03:00",
        }
        for minute in range(13)
    ]
    path.write_text("".join(orjson.dumps(line).decode() + "\n" for line in lines))
    done = run("replay", str(path), "--url", server.url, "--token", TOKEN, "--speed", "60")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{path}: posted 13 events"
    assert "httpx" not in done.stderr
    summaries = done.stderr.strip().splitlines()
    assert summaries, "no progress line in 12 seconds"
    for line in summaries:
        assert line.startswith("replaying night.jsonl at 60x: "), line
        assert "events posted" in line
        assert "left" in line
        assert ", at 2025-07-04T01:" in line


def test_verbose_shows_the_request_lines(server: ServerProcess, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"id": "v1", "kind": "launch", "weapon": "drone",'
        ' "occurred_at": "2025-07-04T01:00:00+03:00"}\n'
    )
    done = run("load", str(path), "--url", server.url, "--token", TOKEN, "--verbose")
    assert done.returncode == 0, done.stderr
    assert "INFO httpx: HTTP Request: POST" in done.stderr


@pytest.mark.parametrize("query", ["since=abc", "night=bogus"])
def test_a_bad_stream_parameter_is_a_400_with_a_reason(server: ServerProcess, query: str) -> None:
    url = server.url.replace("http://", "ws://") + f"/api/v1/stream?{query}"
    with pytest.raises(InvalidStatus) as refused, connect(url, open_timeout=30):
        pass
    assert refused.value.response.status_code == 400
    [problem] = orjson.loads(refused.value.response.body or b"{}")["detail"]
    assert problem["field"] == query.split("=")[0]
