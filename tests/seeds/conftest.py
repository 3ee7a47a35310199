"""The API fixtures of tests/api, so that seeds are loaded through the real app."""

from __future__ import annotations

from tests.api import conftest as api

client = api.client
settings = api.settings
