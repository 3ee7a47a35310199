"""backend/main.py: what the composition root does around the app's life."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from backend.config import Settings
from backend.main import create_app


def test_start_up_objects_leave_the_collector_for_the_app_s_life(settings: Settings) -> None:
    gc.unfreeze()
    with TestClient(create_app(settings)) as client:
        # The app, its routes and its services are built by now: frozen, out of full passes.
        assert gc.get_freeze_count() > 10_000
        assert client.get("/healthz").status_code == 200
    # Given back at shutdown, so an app built and discarded (as tests do) can be collected.
    assert gc.get_freeze_count() == 0
