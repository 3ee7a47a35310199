"""The demo night plus an import of the whole dataset: observed and official side by side.

The expected official figures are computed from the CSV with the csv module
(tests/helpers/dataset.official_sums), not with the product's conversion.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import cast

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.cli import import_csv as importer
from backend.cli import main as cli
from backend.config import Settings
from backend.ingest.demo import load_demo_if_empty
from tests.helpers.app_client import TOKEN
from tests.helpers.dataset import dataset, official_sums

NIGHT = "2025-07-04"
MISSILES = ("cruise_missile", "ballistic_missile")


def test_demo_plus_whole_import_keeps_observed_and_adds_official(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = Path(__file__).parents[2] / "seeds" / f"{NIGHT}.jsonl"
    assert asyncio.run(load_demo_if_empty(settings)) == len(seed.read_text().splitlines())
    from backend.main import create_app

    with TestClient(create_app(settings)) as client:
        before = client.get("/api/v1/stats", params={"night": NIGHT}).json()
        assert before["official"]["report_ids"] == ["csv-dc2d50fa2b56c572"]
        http = cast(httpx.Client, client)
        posting = functools.partial(importer.post_reports, client=http)
        monkeypatch.setattr(importer, "post_reports", posting)
        assert cli.main(["import-csv", str(dataset()), "--token", TOKEN]) == 0
        first = capsys.readouterr().out
        assert "0 duplicates" not in first  # the demo's report was one
        assert cli.main(["import-csv", str(dataset()), "--token", TOKEN]) == 0
        assert " 0 reports accepted" in " " + capsys.readouterr().out.splitlines()[-1]

        stats = client.get("/api/v1/stats", params={"night": NIGHT}).json()
        observed = stats["launched"]
        assert observed["drone"] + observed["decoy"] == 539
        assert sum(observed[weapon] for weapon in MISSILES) == 11
        official = stats["official"]
        assert official["report_ids"] == ["csv-dc2d50fa2b56c572"]
        assert official["launched"] == {"ballistic_missile": 7, "cruise_missile": 4, "drone": 539}
        assert official["shot_down"] == {"ballistic_missile": 0, "cruise_missile": 2, "drone": 268}
        assert official["suppressed"] == {
            "ballistic_missile": None,
            "cruise_missile": None,
            "drone": 208,
        }
        assert (official["hit_locations"], official["debris_locations"]) == (8, 33)
        [report] = [
            r
            for r in client.get(f"/api/v1/nights/{NIGHT}/reports").json()
            if r["scope"] == "national"
        ]
        for line in report["lines"]:
            if line["weapon"] in MISSILES:  # not_reach_goal blank on the missile rows
                assert (line["suppressed"], line["neutralized"]) == (None, None)

        nights = {night["night"]: night for night in client.get("/api/v1/nights").json()}
        expected = official_sums()
        for night, sums in expected.items():
            assert nights[str(night)]["official"] == sums, night
        # A figure no row states is null everywhere, never 0.
        stated_zero = {
            (str(night), figure)
            for night, sums in expected.items()
            for figure, v in sums.items()
            if v is None
        }
        for label, figure in stated_zero:
            assert nights[label]["official"][figure] is None
