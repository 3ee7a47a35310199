"""The wire contract: event records, ingest answers, stats and nights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from backend.domain.gazetteer import regions_of
from backend.domain.regions import REGIONS, resolve_region
from backend.domain.times import parse_night_label, parse_rfc3339

Kind = Literal["launch", "shot_down", "suppressed", "impact", "debris", "alert_start", "alert_end"]
Weapon = Literal["drone", "decoy", "cruise_missile", "ballistic_missile", "guided_bomb", "unknown"]
KINDS: tuple[str, ...] = get_args(Kind)
WEAPONS: tuple[str, ...] = get_args(Weapon)
WEAPON_REQUIRED_KINDS = frozenset({"launch", "shot_down", "suppressed"})
ALERT_KINDS = frozenset({"alert_start", "alert_end"})
EVENT_FIELDS = (
    "id",
    "kind",
    "weapon",
    "model",
    "count",
    "occurred_at",
    "region",
    "area",
    "city",
    "lat",
    "lon",
    "source",
    "note",
)


def region_code(value: str | None) -> str | None:
    """The ISO 3166-2 code of a region code or name (None stays None); ValueError if unknown."""
    if value is None:
        return None
    code = resolve_region(value)
    if code is None:
        raise ValueError(
            f"unknown region {value!r}: use an ISO 3166-2 code of Ukraine (UA-30 Kyiv city, "
            "UA-32 Kyiv oblast, ...) or an English or Ukrainian oblast name"
        )
    return code


EventId = Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$", examples=["kpszsu-0704-001"])]
RFC3339DateTime = Annotated[datetime, BeforeValidator(parse_rfc3339)]
NightLabel = Annotated[date, BeforeValidator(parse_night_label)]
# Bounded before it is resolved: resolve_region caches what it is given.
# The bounds of EventIn's fields, named once: ingest/event_rows.py's twin of EventIn uses them too.
PlaceText = Annotated[str, Field(min_length=1, max_length=100)]
ModelName = Annotated[str, Field(min_length=1, max_length=64)]
EventCount = Annotated[int, Field(ge=1, le=10_000)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
SourceText = Annotated[str, Field(max_length=100)]
NoteText = Annotated[str, Field(max_length=1000)]
RegionCode = Annotated[PlaceText, AfterValidator(region_code)]


class EventIn(BaseModel):
    """One event record as a client posts it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: EventId | None = None
    kind: Kind
    weapon: Weapon | None = Field(default=None, validate_default=True)
    model: ModelName | None = None
    count: EventCount = 1
    occurred_at: RFC3339DateTime
    region: RegionCode | None = Field(default=None, validate_default=True)
    area: PlaceText | None = Field(
        default=None,
        description="The raion or hromada a local alert covers; absent: the whole oblast.",
    )
    city: PlaceText | None = None
    lat: Latitude | None = None
    lon: Longitude | None = Field(default=None, validate_default=True)
    source: SourceText | None = None
    note: NoteText | None = None

    # PostgreSQL text cannot hold U+0000 (SQLite can): refused alike on both, never a 503.
    @field_validator("model", "region", "area", "city", "source", "note", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character (U+0000)")
        return value

    # Cross-field rules live on the field they concern so that the error names that field.
    @field_validator("weapon")
    @classmethod
    def _weapon_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind in WEAPON_REQUIRED_KINDS and value is None:
            raise ValueError(f"weapon is required for kind {kind!r} (one of {', '.join(WEAPONS)})")
        if kind in ALERT_KINDS and value is not None:
            raise ValueError(f"weapon is not allowed on {kind!r}")
        return value

    @field_validator("region")
    @classmethod
    def _region_on_alerts(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind in ALERT_KINDS and value is None:
            raise ValueError(f"region is required for kind {kind!r}")
        return value

    @field_validator("area")
    @classmethod
    def _area_on_alerts(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if value is not None and kind is not None and kind not in ALERT_KINDS:
            raise ValueError(f"area is only allowed on alert_start and alert_end, not {kind!r}")
        return value

    # A known city named with another region is a contradiction: counted in the region given,
    # drawn at the city's position. Refused, naming both, rather than guessing which is right.
    @field_validator("city")
    @classmethod
    def _city_in_region(cls, value: str | None, info: ValidationInfo) -> str | None:
        region = info.data.get("region")
        if value is None or region is None:
            return value
        known = regions_of(value)
        if known and region not in known:
            places = ", ".join(f"{code} ({REGIONS[code].name_en})" for code in sorted(known))
            raise ValueError(
                f"{value!r} lies in {places}, not in the region given, {region} "
                f"({REGIONS[region].name_en}): correct the city or the region"
            )
        return value

    @field_validator("lon")
    @classmethod
    def _lat_lon_together(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "lat" in info.data and (info.data["lat"] is None) != (value is None):
            raise ValueError("lat and lon must be given together")
        return value


class EventOut(BaseModel):
    """A stored event record as the service returns it."""

    id: str
    kind: Kind
    weapon: Weapon | None
    model: str | None
    count: int
    occurred_at: datetime
    region: str | None
    area: str | None = Field(description="A local alert's raion or hromada; null otherwise.")
    city: str | None
    lat: float | None
    lon: float | None
    source: str | None
    note: str | None
    seq: int = Field(description="Strictly increasing cursor, assigned at commit.")
    received_at: datetime
    night: date = Field(description="Kyiv-local date of the morning ending the 12:00-12:00 night.")
    retracted: bool


class IngestWarning(BaseModel):
    """An event accepted without the place it should have (its batch index, the field)."""

    index: int | None = None
    field: str
    msg: str


class IngestResult(BaseModel):
    """What POST /events answers once the events are committed."""

    accepted: int
    duplicates: int
    seqs: list[int] = Field(description="The seq of each posted event, in the order posted.")
    warnings: list[IngestWarning] = Field(
        default_factory=list,
        description="What was stored but could not be placed: an unknown city, no region.",
    )


class ErrorItem(BaseModel):
    """One problem with the request, naming the field (and the batch index)."""

    loc: list[str | int]
    index: int | None = None
    field: str | None = None
    msg: str
    type: str


class ErrorOut(BaseModel):
    """Error body: a message, or a list of problems."""

    detail: str | list[ErrorItem]


class RegionStats(BaseModel):
    """Tallies for one region."""

    launched: int
    shot_down: int
    suppressed: int
    impacts: int
    debris: int
    alert_active: bool = Field(description="An alert (whole-oblast or local) is on.")
    alert_state: Literal["full", "partial"] | None = Field(
        default=None, description="full: a whole-oblast alert is on; partial: only local ones."
    )


class OfficialOut(BaseModel):
    """A night's official figures: the sum of its counted national reports (see
    backend.domain.reports.official_of); a figure is null where no report states it."""

    report_ids: list[str]
    issuers: list[str]
    issued_at: datetime = Field(description="The latest issued_at of the counted reports.")
    launched: dict[str, int | None]
    shot_down: dict[str, int | None]
    suppressed: dict[str, int | None]
    neutralized: dict[str, int | None]
    neutralized_rate: float | None
    hit_locations: int | None
    debris_locations: int | None
    affected_regions: list[str]


class StatsOut(BaseModel):
    """Tallies of a night (or a range); counts are sums of `count`."""

    night: date | None
    launched: dict[str, int]
    shot_down: dict[str, int]
    suppressed: dict[str, int]
    impacts: dict[str, int]
    debris: int
    neutralized_rate: float | None
    active_alerts: list[str]
    by_region: dict[str, RegionStats]
    events: int
    official: OfficialOut | None = Field(
        default=None,
        description="Official reports' figures, never added to the observed ones above; null "
        "without a counted national report and for a range of date-times (GET /stats only).",
    )


class ObservedTotals(BaseModel):
    """A night's totals of observed events (the same figures as the summary's own fields)."""

    events: int
    launched: int
    shot_down: int
    suppressed: int
    impacts: int
    debris: int


class OfficialTotals(BaseModel):
    """A night's official figures summed over weapons; null where no report states them."""

    launched: int | None
    shot_down: int | None
    suppressed: int | None
    neutralized: int | None


class NightSummary(BaseModel):
    """One night in the store with its totals."""

    night: date
    events: int
    launched: int
    shot_down: int
    suppressed: int
    impacts: int
    debris: int
    first_at: datetime | None = Field(description="Null for a night with reports and no events.")
    last_at: datetime | None
    observed: ObservedTotals
    official: OfficialTotals | None


class RetractResult(BaseModel):
    """Answer to DELETE /events/{id}."""

    id: str
    seq: int
    retracted: bool


# Replay speeds: real time up to an hour a second.
MIN_SPEED = 1.0
MAX_SPEED = 3600.0
Speed = Annotated[float, Field(ge=MIN_SPEED, le=MAX_SPEED, allow_inf_nan=False)]


class ReplayCreate(BaseModel):
    """POST /replays: which night, how fast, and optionally where to start."""

    model_config = ConfigDict(extra="forbid")

    night: NightLabel
    speed: Speed = 60.0
    position: RFC3339DateTime | None = None


class ReplayControl(BaseModel):
    """POST /replays/{id}/control."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["play", "pause", "seek", "speed"]
    position: RFC3339DateTime | None = Field(default=None, validate_default=True)
    speed: Speed | None = Field(default=None, validate_default=True)

    @field_validator("position")
    @classmethod
    def _position_for_seek(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if info.data.get("action") == "seek" and value is None:
            raise ValueError("position is required for action 'seek'")
        return value

    @field_validator("speed")
    @classmethod
    def _speed_for_speed(cls, value: float | None, info: ValidationInfo) -> float | None:
        if info.data.get("action") == "speed" and value is None:
            raise ValueError("speed is required for action 'speed'")
        return value


class ReplayOut(BaseModel):
    """A replay session's clock as every screen computes it."""

    id: str
    night: date
    position: datetime
    speed: float
    paused: bool
    finished: bool
    start: datetime
    end: datetime
    version: int
