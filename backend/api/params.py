"""Query parameters shared by several endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from backend.domain.regions import resolve_region
from backend.domain.schemas import NightLabel


def _region(value: str | None) -> str | None:
    if value is None:
        return None
    code = resolve_region(value)
    if code is None:
        raise ValueError(f"unknown region {value!r}: use an ISO 3166-2 code such as UA-30")
    return code


RegionParam = Annotated[
    str | None,
    Query(description="ISO 3166-2 code (UA-30) or oblast name.", min_length=1, max_length=100),
    AfterValidator(_region),
]
NightParam = Annotated[
    NightLabel | None, Query(description="A night label YYYY-MM-DD (the morning's date).")
]
