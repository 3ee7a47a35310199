"""Query parameters shared by several endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from backend.domain.schemas import NightLabel, region_code

RegionParam = Annotated[
    str | None,
    Query(description="ISO 3166-2 code (UA-30) or oblast name.", min_length=1, max_length=100),
    AfterValidator(region_code),
]
NightParam = Annotated[
    NightLabel | None, Query(description="A night label YYYY-MM-DD (the morning's date).")
]
