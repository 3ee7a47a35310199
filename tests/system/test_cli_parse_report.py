"""`skywatch parse-report --post` against a real server: the post's report stored, shown as
the night's official figures, and a second run a duplicate."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.air_force_posts import ISSUED, post_text
from tests.helpers.server_process import AUTH, SKYWATCH, TOKEN, sqlite_server
from tests.helpers.server_process import clean_environment as environment

POST = "02_2026-09-22_night_list.txt"


def test_parse_report_posts_to_a_server(tmp_path: Path) -> None:
    server = sqlite_server(tmp_path, "parse-report")
    server.start()
    try:
        path = tmp_path / "post.txt"
        path.write_text(post_text(POST), encoding="utf-8")
        command = [
            str(SKYWATCH),
            "parse-report",
            str(path),
            "--issued-at",
            ISSUED[POST].isoformat(),
            "--url",
            "https://t.me/kpszsu/41000",
            "--post",
            "--token",
            TOKEN,
            "--server",
            server.url,
        ]
        first = subprocess.run(command, env=environment({}), capture_output=True, text=True)
        assert first.returncode == 0, first.stderr
        assert " stored on " in first.stderr
        again = subprocess.run(command, env=environment({}), capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert "already stored" in again.stderr
        with server.client(**AUTH) as client:
            [report] = client.get("/api/v1/nights/2026-09-22/reports").json()
            official = client.get("/api/v1/stats", params={"night": "2026-09-22"}).json()
        assert report["url"] == "https://t.me/kpszsu/41000"
        assert report["text"] == post_text(POST)
        assert official["official"]["launched"]["drone"] == 212
        assert official["official"]["neutralized"]["cruise_missile"] == 9
    finally:
        server.stop()
