"""Official reports: what an issuer (the Air Force, an air command) states about a night.

A report states totals. It is never folded into the observed events (backend.domain.tallies):
the two are kept side by side so a briefing can compare them. This module holds the wire
models and `official_of`, the one pure fold from a night's reports to its official figures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from backend.domain.schemas import (
    EventId,
    RegionCode,
    RFC3339DateTime,
    Weapon,
)
from backend.domain.times import parse_night_label

Issuer = Literal[
    "air_force",
    "air_command_south",
    "air_command_east",
    "air_command_west",
    "air_command_center",
    "general_staff",
    "other",
]
Scope = Literal["national", "regional"]
# Null (or absent) is "not reported", never zero: an issuer that does not split shot down
# from suppressed has not said that nothing was suppressed.
MAX_FIGURE = 1_000_000
Figure = Annotated[int, Field(ge=0, le=MAX_FIGURE)] | None
ListText = Annotated[str, Field(min_length=1, max_length=200)]
FIGURES = ("launched", "shot_down", "suppressed", "neutralized")


def _utc(value: datetime) -> datetime:
    # Stored and compared in UTC: the same instant with another offset is the same content.
    return value.astimezone(UTC)


Instant = Annotated[RFC3339DateTime, AfterValidator(_utc)]


def _night_date(value: object) -> object:
    # schemas.NightLabel leaves the checked label a string, which a strict model refuses.
    checked = parse_night_label(value)
    return date.fromisoformat(checked) if isinstance(checked, str) else checked


Night = Annotated[date, BeforeValidator(_night_date)]


class ReportLine(BaseModel):
    """One weapon's figures in a report."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    weapon: Weapon
    model: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    launched: Figure = None
    shot_down: Figure = None
    suppressed: Figure = None
    # Shot down or suppressed, for issuers that do not split them; derived when both are given.
    neutralized: Figure = Field(default=None, validate_default=True)
    still_in_air: Figure = None

    @field_validator("neutralized")
    @classmethod
    def _neutralized_adds_up(cls, value: int | None, info: ValidationInfo) -> int | None:
        shot_down = info.data.get("shot_down")
        suppressed = info.data.get("suppressed")
        if shot_down is None or suppressed is None:
            return value
        if value is None:
            if shot_down + suppressed > MAX_FIGURE:
                raise ValueError(f"shot_down + suppressed must be at most {MAX_FIGURE}")
            return int(shot_down) + int(suppressed)
        if value != shot_down + suppressed:
            raise ValueError(
                f"must equal shot_down + suppressed ({shot_down} + {suppressed}) when all three "
                "are given"
            )
        return value


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class ReportIn(BaseModel):
    """One official report as a client posts it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: EventId | None = None
    night: Night
    issuer: Issuer
    scope: Scope
    issued_at: Instant
    window_start: Instant | None = None
    window_end: Instant | None = Field(default=None, validate_default=True)
    url: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    text: Annotated[str, Field(max_length=20_000)] | None = None
    note: Annotated[str, Field(max_length=1000)] | None = None
    supersedes: EventId | None = Field(default=None, validate_default=True)
    lines: Annotated[list[ReportLine], Field(min_length=1, max_length=50)]
    hit_locations: Figure = None
    debris_locations: Figure = None
    affected_regions: Annotated[
        list[RegionCode], Field(max_length=50), AfterValidator(_unique)
    ] = []
    launch_areas: Annotated[list[ListText], Field(max_length=50)] = []
    main_targets: Annotated[list[ListText], Field(max_length=50)] = []

    @field_validator("window_end")
    @classmethod
    def _window_in_order(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("window_start")
        if value is not None and start is not None and value < start:
            raise ValueError("must not be before window_start")
        return value

    @field_validator("supersedes")
    @classmethod
    def _not_itself(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("id"):
            raise ValueError("a report cannot supersede itself")
        return value

    def content(self) -> dict[str, Any]:
        """The report as stored and answered, its id included (derived when it had none)."""
        data = self.model_dump(mode="json")
        if data["id"] is None:
            data["id"] = derived_id(data)
        return data


def canonical(content: dict[str, Any]) -> bytes:
    """The bytes two contents are compared by: same report, same bytes."""
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)


def derived_id(content: dict[str, Any]) -> str:
    """A stable id from the content, so reposting an id-less report is a duplicate."""
    digest = hashlib.sha256(canonical({**content, "id": None})).hexdigest()
    return f"r-{digest[:40]}"


class ReportOut(BaseModel):
    """A stored report as the service returns it."""

    id: str
    night: date
    issuer: Issuer
    scope: Scope
    issued_at: datetime
    window_start: datetime | None
    window_end: datetime | None
    url: str | None
    text: str | None
    note: str | None
    supersedes: str | None
    lines: list[ReportLine]
    hit_locations: int | None
    debris_locations: int | None
    affected_regions: list[str]
    launch_areas: list[str]
    main_targets: list[str]
    received_at: datetime
    superseded: bool = Field(description="A report of the same night names it in supersedes.")
    retracted: bool


class ReportsResult(BaseModel):
    """What POST /reports answers once the reports are committed."""

    accepted: int
    duplicates: int
    ids: list[str] = Field(description="The id of each posted report, in the order posted.")


class ReportRetracted(BaseModel):
    """Answer to DELETE /reports/{id}."""

    id: str
    retracted: bool


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report's content (ReportIn.content()) and whether it was retracted."""

    content: dict[str, Any]
    retracted: bool = False
