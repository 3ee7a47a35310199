"""`serve --demo` shows the official record's alerts of 3-4 July 2025, and an import of the
record over the demo stores each alert once.

Expected states come from the shipped CSV read with the csv module
(tests/helpers/alert_record.py), not from the importer nor the seed.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import date, datetime, timedelta
from typing import cast

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.cli import import_alerts as importer
from backend.cli import main as cli
from backend.config import Settings
from backend.domain.nights import night_window
from backend.ingest.demo import load_demo_if_empty
from tests.helpers.alert_record import MERGED, overlapping, record_alerts, under_alert
from tests.helpers.app_client import TOKEN

NIGHT = date(2025, 7, 4)


def test_the_demo_shows_the_record_s_alerts_and_an_import_adds_none(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(load_demo_if_empty(settings))
    from backend.main import create_app

    start, end = night_window(NIGHT)
    night_alerts = tuple(overlapping(record_alerts(MERGED), start, end))
    with TestClient(create_app(settings)) as client:
        for minutes in range(0, 24 * 60, 37):
            at = start + timedelta(minutes=minutes)
            answer = client.get("/api/v1/alerts", params={"at": at.isoformat()}).json()
            got = {item["region"]: (item["state"], item["areas"]) for item in answer["regions"]}
            assert got == under_alert(night_alerts, at), at
        intervals = client.get(f"/api/v1/nights/{NIGHT}/alerts").json()["intervals"]
        assert {
            (item["region"], item["area"], item["started_at"], item["ended_at"])
            for item in intervals
        } == {(alert.region, alert.area, _z(alert.start), _z(alert.end)) for alert in night_alerts}
        kyiv = [item for item in intervals if item["region"] == "UA-30"]
        assert ("2025-07-03T17:00:32Z", "2025-07-04T01:50:12Z") in {
            (item["started_at"], item["ended_at"]) for item in kyiv
        }
        posting = functools.partial(importer.post_events, client=cast(httpx.Client, client))
        monkeypatch.setattr(importer, "post_events", posting)
        span = ["--from", "2025-07-03", "--to", "2025-07-05"]
        assert cli.main(["import-alerts", str(MERGED), *span, "--token", TOKEN]) == 0
        out = capsys.readouterr().out
        # The night's 61 alerts were the demo's: duplicates; the nights around it are new.
        assert ", 122 duplicates" in out.splitlines()[-1]
        again = client.get(f"/api/v1/nights/{NIGHT}/alerts").json()["intervals"]
        assert len(again) == len(intervals) == len(night_alerts)


def _z(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
