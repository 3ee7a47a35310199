"""`skywatch load` against a real server: counts, idempotence, round trip, refusals, tokens."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.helpers.server_process import (
    AUTH,
    SKYWATCH,
    TOKEN,
    ServerProcess,
    StartServer,
    free_port,
)
from tests.helpers.server_process import clean_environment as environment

Record = dict[str, Any]

# The wire contract's weapons, in the order /stats lists them (README, "An event record").
WEAPONS = ("drone", "decoy", "cruise_missile", "ballistic_missile", "guided_bomb", "unknown")
WEAPON_MODELS = (
    ("drone", "Shahed-136"),
    ("decoy", "Gerbera"),
    ("cruise_missile", "Kh-101"),
    ("ballistic_missile", "Iskander-M"),
)
# None: no region on the event. An oblast name is stored as its code.
REGIONS = ("UA-32", "Kharkiv oblast", None, "UA-51")
REGION_CODES = {"Kharkiv oblast": "UA-63"}
ALERT_REGIONS = ("UA-30", "UA-32", "UA-63", "UA-46")
KINDS = (
    "launch",
    "launch",
    "launch",
    "launch",
    "shot_down",
    "shot_down",
    "suppressed",
    "impact",
    "alert_start",
    "alert_end",
)
NIGHTS = ("2025-07-04", "2025-07-05")
RECORDING_SIZE = 2_500


def make_events(size: int = RECORDING_SIZE) -> list[Record]:
    """Events with stable ids over two nights, every kind, some regions given by name."""
    events: list[Record] = []
    for index in range(size):
        step = index // 2
        # Even indexes fall on the evening of July 3 (night 2025-07-04), odd on July 4; five
        # seconds apart, so no two events of a night share a time and alert order is certain.
        start = datetime.fromisoformat(f"2025-07-0{3 + index % 2}T22:00:00+03:00")
        kind = KINDS[step % len(KINDS)]
        event: Record = {
            "id": f"sys-{index:05d}",
            "kind": kind,
            "occurred_at": (start + timedelta(seconds=5 * step)).isoformat(),
            "source": "system-test",
        }
        weapon, model = WEAPON_MODELS[(index // 20) % len(WEAPON_MODELS)]
        if kind in ("launch", "shot_down", "suppressed"):
            event.update(weapon=weapon, model=model, count=1 + index % 7)
            region = REGIONS[(index // 3) % len(REGIONS)]
            if region is not None:
                event["region"] = region
        elif kind == "impact":
            event.update(city="Kyiv", count=1 + index % 3)
            if (step // 10) % 2 == 0:  # the other impacts have no weapon: tallied as "unknown"
                event["weapon"] = weapon
        else:
            event["region"] = ALERT_REGIONS[(index // 7) % len(ALERT_REGIONS)]
        events.append(event)
    return events


def night_of(event: Record) -> str:
    """The night label of a generated event (all of them happen in the evening, Kyiv time)."""
    return (datetime.fromisoformat(event["occurred_at"]).date() + timedelta(days=1)).isoformat()


_COUNTS = ("launched", "shot_down", "suppressed", "impacts", "debris")


def expected_stats(events: list[Record], night: str) -> Record:
    """The GET /stats body for a night, worked out from the events independently of the server."""
    tallies: dict[str, dict[str, int]] = {
        key: dict.fromkeys(WEAPONS, 0) for key in ("launched", "shot_down", "suppressed", "impacts")
    }
    column = {"launch": "launched", "shot_down": "shot_down", "suppressed": "suppressed"}
    column["impact"] = "impacts"
    by_region: dict[str, Record] = {}
    latest_alert: dict[str, tuple[datetime, bool]] = {}
    tonight = [event for event in events if night_of(event) == night]
    # Alert state is continuous: an alert of an earlier night still on is on tonight.
    for event in events:
        if event["kind"].startswith("alert_") and night_of(event) <= night:
            at = datetime.fromisoformat(event["occurred_at"])
            alerted = str(REGION_CODES.get(event["region"], event["region"]))
            if alerted not in latest_alert or latest_alert[alerted][0] < at:
                latest_alert[alerted] = (at, event["kind"] == "alert_start")
    for event in tonight:
        region = event.get("region") or ("UA-30" if event.get("city") == "Kyiv" else None)
        code = REGION_CODES.get(region, region) if region is not None else None
        if code is not None:
            by_region.setdefault(
                code,
                dict.fromkeys(_COUNTS, 0) | {"alert_active": False, "alert_state": None},
            )
        kind = event["kind"]
        if kind.startswith("alert_"):
            continue
        tallies[column[kind]][event.get("weapon", "unknown")] += event.get("count", 1)
        if code is not None:
            by_region[code][column[kind]] += event.get("count", 1)
    for code, (_, active) in latest_alert.items():
        if active or code in by_region:
            by_region.setdefault(code, dict.fromkeys(_COUNTS, 0))
            by_region[code] |= {"alert_active": active, "alert_state": "full" if active else None}
    launched = sum(tallies["launched"].values())
    neutralized = sum(tallies["shot_down"].values()) + sum(tallies["suppressed"].values())
    return {
        "night": night,
        **tallies,
        "debris": 0,
        "neutralized_rate": neutralized / launched if launched else None,
        "active_alerts": sorted(code for code, (_, active) in latest_alert.items() if active),
        "by_region": dict(sorted(by_region.items())),
        "events": len(tonight),
        "official": None,  # no official report was posted
    }


def write_jsonl(path: Path, events: list[Record]) -> Path:
    """Write events as JSON Lines; the path."""
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
    return path


def skywatch_load(
    path: Path,
    *,
    url: str,
    token: str | None = TOKEN,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run the real `skywatch load` console script; its exit code and output."""
    command = [str(SKYWATCH), "load", str(path), "--url", url, *args]
    if token is not None:
        command += ["--token", token]
    return subprocess.run(
        command, env=environment(env or {}), capture_output=True, text=True, timeout=60, check=False
    )


def records(server: ServerProcess) -> list[Record]:
    """Every stored record, from the JSON Lines recording."""
    with server.client() as client:
        response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def stats(server: ServerProcess, night: str) -> Record:
    """GET /stats of a night."""
    with server.client() as client:
        response = client.get("/api/v1/stats", params={"night": night})
    assert response.status_code == 200, response.text
    body: Record = response.json()
    return body


def nights(server: ServerProcess) -> list[Record]:
    """GET /nights."""
    with server.client() as client:
        response = client.get("/api/v1/nights")
    assert response.status_code == 200, response.text
    body: list[Record] = response.json()
    return body


def without_server_bookkeeping(recording: list[Record]) -> list[Record]:
    """Records without seq and received_at, which differ between two servers by design."""
    return [
        {key: value for key, value in record.items() if key not in ("seq", "received_at")}
        for record in recording
    ]


def test_load_counts_match_stats_and_reload_changes_nothing(
    server: ServerProcess, tmp_path: Path
) -> None:
    events = make_events()
    path = write_jsonl(tmp_path / "night.jsonl", events)

    first = skywatch_load(path, url=server.url)
    assert first.returncode == 0, first.stderr
    assert f"{RECORDING_SIZE} events, {RECORDING_SIZE} accepted, 0 duplicates" in first.stdout
    before = {night: stats(server, night) for night in NIGHTS}
    for night in NIGHTS:
        assert before[night] == expected_stats(events, night), night
    assert sum(before[night]["events"] for night in NIGHTS) == RECORDING_SIZE

    again = skywatch_load(path, url=server.url)
    assert again.returncode == 0, again.stderr
    assert f"{RECORDING_SIZE} events, 0 accepted, {RECORDING_SIZE} duplicates" in again.stdout
    assert {night: stats(server, night) for night in NIGHTS} == before
    assert len(records(server)) == RECORDING_SIZE


def test_recording_round_trips_to_a_second_server(
    # second_database_url before server: fixtures tear down in reverse, so the servers stop
    # before the second PostgreSQL database is dropped.
    second_database_url: str,
    server: ServerProcess,
    start_server: StartServer,
    tmp_path: Path,
) -> None:
    loaded = skywatch_load(write_jsonl(tmp_path / "night.jsonl", make_events()), url=server.url)
    assert loaded.returncode == 0, loaded.stderr
    with server.client(**AUTH) as client:
        retracted = client.delete("/api/v1/events/sys-00042")
    assert retracted.status_code == 200, retracted.text
    with server.client() as client:
        recording = client.get("/api/v1/events", params={"format": "jsonl"})
    assert recording.status_code == 200
    path = tmp_path / "recording.jsonl"
    path.write_bytes(recording.content)
    from_a = [json.loads(line) for line in recording.text.splitlines()]

    server_b = start_server(second_database_url, name="server-b")
    load_b = skywatch_load(path, url=server_b.url)
    assert load_b.returncode == 0, load_b.stderr
    assert f"{RECORDING_SIZE} accepted, 0 duplicates, 1 retracted" in load_b.stdout
    from_b = records(server_b)

    assert without_server_bookkeeping(from_b) == without_server_bookkeeping(from_a)
    assert [record["id"] for record in from_b if record["retracted"]] == ["sys-00042"]
    for night in NIGHTS:
        assert stats(server_b, night) == stats(server, night), night
    assert nights(server_b) == nights(server)


def test_malformed_line_is_named_and_nothing_is_stored(
    server: ServerProcess, tmp_path: Path
) -> None:
    lines = [json.dumps(event) for event in make_events(10)]
    lines[6] = '{"id": "broken", "kind": '  # line 7
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = skywatch_load(path, url=server.url)
    assert result.returncode != 0
    assert f"{path}:7:" in result.stderr
    assert records(server) == []


def test_invalid_event_names_line_and_field_and_its_batch_is_not_stored(
    server: ServerProcess, tmp_path: Path
) -> None:
    events = make_events(20)
    events[11] = {**events[11], "count": 0}  # line 12, in the second batch of ten
    path = write_jsonl(tmp_path / "count0.jsonl", events)

    result = skywatch_load(path, url=server.url, args=("--batch-size", "10"))
    assert result.returncode != 0
    assert f"{path}:12:" in result.stderr
    assert "count" in result.stderr
    # Batches are atomic: the first one went in whole, the refused one not at all.
    assert [record["id"] for record in records(server)] == [e["id"] for e in events[:10]]


def test_wrong_token_is_refused(server: ServerProcess, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "few.jsonl", make_events(5))
    result = skywatch_load(path, url=server.url, token="not-the-token")
    assert result.returncode != 0
    assert "401" in result.stderr
    assert records(server) == []


def test_generated_token_is_saved_found_by_the_cli_and_kept(
    start_server: StartServer, tmp_path: Path
) -> None:
    # SQLite in the data dir (no SKYWATCH_DATABASE_URL) and no SKYWATCH_API_TOKENS: the
    # out-of-the-box setup of `make run`.
    server = start_server(None, name="tokenless", token=None)
    token_file = server.data_dir / "api-token"
    assert token_file.exists(), server.log_text()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text(encoding="utf-8").strip()
    assert len(token) >= 32
    assert token in server.log_text()
    saved = (token_file.read_bytes(), token_file.stat().st_mtime_ns)

    events = make_events(30)
    path = write_jsonl(tmp_path / "few.jsonl", events)
    local = {"SKYWATCH_DATA_DIR": str(server.data_dir)}
    first = skywatch_load(path, url=server.url, token=None, env=local)
    assert first.returncode == 0, first.stderr
    assert "30 events, 30 accepted" in first.stdout

    server.restart()
    assert (token_file.read_bytes(), token_file.stat().st_mtime_ns) == saved
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert server.log_text().count("Generated a write token") == 1
    # The restarted server still takes the saved token.
    again = skywatch_load(path, url=server.url, token=None, env=local)
    assert again.returncode == 0, again.stderr
    assert "30 events, 0 accepted, 30 duplicates" in again.stdout
    with httpx.Client(base_url=server.url) as client:
        refused = client.post(
            "/api/v1/events", json=events[0], headers={"Authorization": "Bearer wrong"}
        )
    assert refused.status_code == 401


def test_non_positive_batch_size_is_refused(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "few.jsonl", make_events(3))
    # Nothing listens on the port: a load that claims success cannot have loaded anything.
    result = skywatch_load(path, url=f"http://127.0.0.1:{free_port()}", args=("--batch-size", "-5"))
    assert result.returncode != 0
    assert "batch-size" in result.stderr


def test_unreachable_server_is_a_one_line_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "few.jsonl", make_events(3))
    result = skywatch_load(path, url=f"http://127.0.0.1:{free_port()}")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("skywatch load:"), result.stderr
