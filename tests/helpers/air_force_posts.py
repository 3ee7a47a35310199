"""The Air Force posts shipped as fixtures (tests/fixtures/air-force-posts/, see SOURCES.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "air-force-posts"
# When each post was issued (its morning, Kyiv time): the parser takes the year from it.
ISSUED = {
    "02_2026-09-22_night_list.txt": datetime.fromisoformat("2026-09-22T08:10:00+03:00"),
    "03_2025-06-23_night.txt": datetime.fromisoformat("2025-06-23T09:20:00+03:00"),
    "04_2025-06-01_night.txt": datetime.fromisoformat("2025-06-01T13:45:00+03:00"),
}


def post_text(name: str) -> str:
    """The post as published: the fixture's text after its source header."""
    _header, text = (FIXTURES / name).read_text(encoding="utf-8").split("---\n", 1)
    return text
