"""The `skywatch follow` command as run: follows, logs no line per request, and Ctrl-C ends it
cleanly (exit 0, one line)."""

from __future__ import annotations

import signal
import subprocess
from datetime import UTC, datetime
from email.utils import format_datetime

from tests.helpers.alert_feed_server import FeedServer, fixture, json_answer
from tests.helpers.follow_rig import wait_state
from tests.helpers.server_process import SKYWATCH, TOKEN, ServerProcess, clean_environment


def test_follow_runs_until_ctrl_c(server: ServerProcess) -> None:
    with FeedServer() as feed:
        data = fixture("alerts_in_ua", "02_night.json")
        modified = format_datetime(datetime(2025, 7, 3, 20, 5, 12, tzinfo=UTC), usegmt=True)
        feed.play("/v1/alerts/active.json", json_answer(data, **{"Last-Modified": modified}))
        command = [
            str(SKYWATCH),
            "follow",
            "alerts-in-ua",
            "--url",
            feed.url,
            "--token",
            "t",
            "--interval",
            "0.1",
            "--to",
            server.url,
            "--write-token",
            TOKEN,
        ]
        process = subprocess.Popen(
            command,
            env=clean_environment({}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_state(server.url, fixture("alerts_in_ua", "expected.json")["02_night"])
            feed.wait_requests("/v1/alerts/active.json", 3)  # polls on, answered 304
        finally:
            process.send_signal(signal.SIGINT)
            _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    lines = err.strip().splitlines()
    assert lines[-1] == "skywatch follow: stopped; 7 events posted"
    assert "Traceback" not in err
    assert not [line for line in lines if "httpx" in line or "HTTP Request" in line]
    assert any("following alerts-in-ua" in line for line in lines)
    assert any(r.status == 304 for r in feed.requests("/v1/alerts/active.json"))
