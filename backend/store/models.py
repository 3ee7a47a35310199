"""Database schema: the events with their seq cursor, replay sessions, official reports and
the per-night summaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_epoch_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime, exactly (no float rounding)."""
    return (value - EPOCH) // _MICROSECOND


def from_epoch_micros(value: int) -> datetime:
    """The aware UTC datetime of an epoch-microseconds integer."""
    return EPOCH + timedelta(microseconds=value)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out.

    PostgreSQL keeps them as timestamptz. SQLite has no date type: there they are integer
    microseconds since the epoch, which sort and compare like the instants and cost a
    fraction of the text form to write (the ingest path writes two per event).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime reached the database layer")
        if dialect.name == "sqlite":
            return to_epoch_micros(value)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, int):
            return from_epoch_micros(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only aliases rowid for INTEGER PRIMARY KEY; BIGINT elsewhere.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of the schema."""


class Event(Base):
    """One event record. `seq` is assigned by the writer under a lock, so it is commit-ordered."""

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    weapon: Mapped[str | None] = mapped_column(String(24))
    model: Mapped[str | None] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    region: Mapped[str | None] = mapped_column(String(8))
    # The raion or hromada of a local alert; null on a whole-oblast alert and on other kinds.
    area: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float(precision=53))
    lon: Mapped[float | None] = mapped_column(Float(precision=53))
    source: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(1000))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    night: Mapped[date] = mapped_column(Date)
    # A retraction takes its own seq from the same counter, so a resuming reader sees it.
    retracted_seq: Mapped[int | None] = mapped_column(SeqType)
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_events_night_occurred_at", "night", "occurred_at"),
        Index(
            "ix_events_alerts_occurred_at",
            "occurred_at",
            sqlite_where=text("kind IN ('alert_start', 'alert_end')"),
            postgresql_where=text("kind IN ('alert_start', 'alert_end')"),
        ),
        # Partial: most events are never retracted, and their NULLs need no index entries.
        Index(
            "ux_events_retracted_seq",
            "retracted_seq",
            unique=True,
            sqlite_where=text("retracted_seq IS NOT NULL"),
            postgresql_where=text("retracted_seq IS NOT NULL"),
        ),
    )


class ReplaySession(Base):
    """A briefing replay's clock, shared by every screen and every worker through the store."""

    __tablename__ = "replay_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    night: Mapped[date] = mapped_column(Date)
    anchor_position: Mapped[datetime] = mapped_column(UTCDateTime())
    anchor_wall: Mapped[datetime] = mapped_column(UTCDateTime())
    speed: Mapped[float] = mapped_column(Float(precision=53))
    paused: Mapped[bool] = mapped_column(Boolean)
    # Bumped at every control, so screens notice a change without comparing clocks.
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Unix seconds of the last use, touched at most once a minute: idle sessions expire.
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class RevokedSession(Base):
    """A signed-out session cookie (its SHA-256), refused by every worker until it expires."""

    __tablename__ = "revoked_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class Report(Base):
    """An official report, kept apart from the events: its totals are never folded into them.

    `content` is the validated report as JSON (backend.domain.reports.ReportIn.content()),
    compared byte for byte for idempotency; the columns beside it are what queries filter on.
    """

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    night: Mapped[date] = mapped_column(Date, index=True)
    issuer: Mapped[str] = mapped_column(String(24))
    scope: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    supersedes: Mapped[str | None] = mapped_column(String(64))
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NightSummaryRow(Base):
    """A night's summary (backend/domain/summaries.py) as JSON: what range answers read."""

    __tablename__ = "night_summaries"

    night: Mapped[date] = mapped_column(Date, primary_key=True)
    content: Mapped[str] = mapped_column(Text)


class NightDirty(Base):
    """A night a write changed since its summary was folded; `token` changes at every mark."""

    __tablename__ = "night_dirty"

    night: Mapped[date] = mapped_column(Date, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


night_summaries_table: Table = NightSummaryRow.__table__  # type: ignore[assignment]
night_dirty_table: Table = NightDirty.__table__  # type: ignore[assignment]
reports_table: Table = Report.__table__  # type: ignore[assignment]
replay_sessions_table: Table = ReplaySession.__table__  # type: ignore[assignment]
revoked_sessions_table: Table = RevokedSession.__table__  # type: ignore[assignment]
events_table: Table = Event.__table__  # type: ignore[assignment]
