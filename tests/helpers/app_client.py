"""An in-process app (what `skywatch serve` runs) on a real database, with a known write token.

The `settings` and `client` fixtures are registered for the whole suite in tests/conftest.py:
the API tests, and the tests that load data through the real app (tests/seeds, tests/unit/cli).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.config import Settings
from backend.main import create_app

TOKEN = "test-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for an app on the test database with a known write token."""
    return Settings(database_url=database_url, data_dir=tmp_path / "data", api_tokens=[TOKEN])


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of a running app (lifespan entered)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client
