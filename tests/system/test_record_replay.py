"""`skywatch record` and `skywatch replay` against real servers."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import httpx
import orjson

from tests.helpers.server_process import AUTH, SKYWATCH, TOKEN, ServerProcess, StartServer

NIGHT = "2025-07-04"


def events(prefix: str, count: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"{prefix}{index}",
            "kind": "launch" if index % 3 else "shot_down",
            "weapon": "drone",
            "count": index % 5 + 1,
            "occurred_at": f"2025-07-04T0{index % 6}:{index % 60:02d}:00+03:00",
            "city": "Kyiv" if index % 4 == 0 else None,
        }
        for index in range(count)
    ]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SKYWATCH), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def without_server_fields(lines: list[bytes]) -> list[dict[str, object]]:
    drop = {"seq", "received_at"}
    records = [orjson.loads(line) for line in lines if line.strip()]
    return sorted(
        ({k: v for k, v in record.items() if k not in drop} for record in records),
        key=lambda record: str(record["id"]),
    )


def test_a_recording_of_the_live_stream_loads_back_unchanged(
    start_server: StartServer, tmp_path: Path
) -> None:
    source = start_server(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", name="a")
    target = start_server(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", name="b")
    with source.client(**AUTH) as client:
        client.post("/api/v1/events", json=events("x", 20))

        def later() -> None:
            time.sleep(1.5)
            client.post("/api/v1/events", json=events("y", 15))
            client.delete("/api/v1/events/x3")

        poster = threading.Thread(target=later)
        poster.start()
        recording = run("record", "--url", source.url, "--night", NIGHT, "--duration", "5")
        poster.join()
    assert recording.returncode == 0, recording.stderr
    # x3, retracted while recording, is written twice (then marked) and counted once.
    assert len(recording.stdout.splitlines()) == 36
    assert recording.stderr.strip().splitlines()[-1] == "recorded 35 events"
    path = tmp_path / "night.jsonl"
    path.write_text(recording.stdout)
    loaded = run("load", str(path), "--url", target.url, "--token", TOKEN)
    assert loaded.returncode == 0, loaded.stderr
    with source.client() as a, target.client() as b:
        original = a.get("/api/v1/events", params={"format": "jsonl"}).content.splitlines()
        copied = b.get("/api/v1/events", params={"format": "jsonl"}).content.splitlines()
        assert without_server_fields(copied) == without_server_fields(original)
        assert (
            b.get("/api/v1/stats", params={"night": NIGHT}).json()
            == a.get("/api/v1/stats", params={"night": NIGHT}).json()
        )


def test_replay_posts_a_recording_in_time_order(server: ServerProcess, tmp_path: Path) -> None:
    path = tmp_path / "night.jsonl"
    recorded = events("r", 30)
    path.write_text("\n".join(orjson.dumps(e).decode() for e in recorded) + "\n")
    started = time.monotonic()
    # 6 hours of events at 3600x: about six seconds.
    replayed = run("replay", str(path), "--url", server.url, "--token", TOKEN, "--speed", "3600")
    assert replayed.returncode == 0, replayed.stderr
    assert 4 <= time.monotonic() - started < 30
    stats = httpx.get(f"{server.url}/api/v1/stats", params={"night": NIGHT}).json()
    expected = sum(int(str(e["count"])) for e in recorded if e["kind"] == "launch")
    assert stats["launched"]["drone"] == expected
    rebased = run(
        "replay", str(path), "--url", server.url, "--token", TOKEN, "--speed", "3600",
        "--rebase-now",
    )  # fmt: skip
    assert rebased.returncode == 0, rebased.stderr
    nights = httpx.get(f"{server.url}/api/v1/nights").json()
    # The rebased copy has ids of its own and lands on tonight's nights, not on the original.
    assert sum(night["events"] for night in nights) == 2 * len(recorded)
    again = httpx.get(f"{server.url}/api/v1/stats", params={"night": NIGHT}).json()
    assert again["launched"]["drone"] == expected
