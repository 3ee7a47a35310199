"""Service settings, read from SKYWATCH_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the SQLite file and the generated token live unless told otherwise."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "skywatch"


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="SKYWATCH_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    api_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Unset: reading is open to anyone who can reach the service; set: every read needs one
    # of these (or a write token), as a bearer header or through the sign-in page's cookie.
    view_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Pages on other origins whose websocket handshakes are accepted; the service's own origin
    # always is, and clients that send no Origin (not browsers) are never refused for it.
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Host headers answered (DNS rebinding); unset: localhost and the address serve binds,
    # which `skywatch serve` passes on as SKYWATCH_BOUND_HOST (backend/api/middleware/hosts.py).
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    bound_host: str | None = None
    redis_url: str | None = None
    # Event batches and reports, after their write token; every other route's body (a replay
    # control, a dashboard callback) is at most max_control_bytes.
    max_body_bytes: int = 8 * 1024 * 1024
    max_control_bytes: int = Field(default=64 * 1024, ge=1024)
    max_batch_events: int = 10_000
    # FULL fsyncs the WAL at every commit: a 2xx then survives power loss, not only a crash.
    sqlite_synchronous: str = "FULL"
    # Seconds PostgreSQL may take to connect or run a statement before the request gets a 503.
    database_timeout: float = Field(default=15.0, gt=0)
    group_commit_max_events: int = 20_000
    # Changes a live-stream client may have queued before it is cut off (close code 4008).
    stream_queue_limit: int = 10_000
    # A frame the client has not taken within this many seconds cuts it off too.
    stream_send_timeout: float = 10.0
    # Websockets one client address may hold open at once, per worker (over it: HTTP 429).
    max_streams_per_client: int = 50
    # Distinct views (nights, replay sessions) streamed at once, per worker and per address
    # (over either, a stream opening a new one: HTTP 429); joining an open view is free.
    max_views: int = Field(default=32, ge=1)
    max_views_per_address: int = Field(default=8, ge=1)
    # Websockets set up at once per worker, from handshake to first frame; the others wait
    # their turn, so a burst of handshakes never queues ahead of ingest (stream_admission.py).
    stream_setups_at_once: int = Field(default=4, ge=1)
    # How often each worker checks the database for commits it was not told about.
    hub_poll_interval: float = 1.0
    # Refused tokens (401s) one address may collect within the window before it gets 429s.
    max_token_failures: int = Field(default=20, ge=1)
    token_failure_window: float = Field(default=60.0, gt=0)
    # What one anonymous connection may make a worker hold (docs/reliability.md, "Limits"):
    # a request head (request line and headers) over this many bytes is a 431,
    max_header_bytes: int = Field(default=32 * 1024, ge=1024)
    # a head not whole within this many seconds is a 408 (slowloris), a body likewise,
    header_timeout: float = Field(default=10.0, gt=0)
    body_timeout: float = Field(default=30.0, gt=0)
    # connections open at once per worker (unset: the descriptor limit less 128),
    max_connections: int | None = Field(default=None, ge=1)
    # and a websocket message from a client over this many bytes closes it (1009): the
    # service never reads what clients send on a stream.
    ws_max_bytes: int = Field(default=16 * 1024, ge=1024)
    # An address that breaks that rule (or sends a malformed frame) may open no new stream
    # for this many seconds (429 to its handshakes; 0: no bans; backend/server/stream_bans.py).
    ws_ban_seconds: float = Field(default=30.0, ge=0)
    # A replay session unused (no read, control or stream) this long is gone (404), and one
    # address may create at most max_replays_per_address within the window (429).
    replay_idle_seconds: float = Field(default=24 * 3600.0, gt=0)
    max_replays_per_address: int = Field(default=30, ge=1)
    replay_create_window: float = Field(default=3600.0, gt=0)
    # GET /metrics only on this host:port (its own listener, no token) when set; else on the
    # main port, behind the view token when view tokens are set (backend/metrics.py).
    metrics_bind: str | None = None
    # "text" (the default) or "json": one JSON object per log line (backend/logs.py).
    log_format: Literal["text", "json"] = "text"

    @field_validator("api_tokens", "view_tokens", "allowed_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_tokens(cls, value: object) -> object:
        if isinstance(value, str):
            return [token.strip() for token in value.split(",") if token.strip()]
        return value

    @field_validator("sqlite_synchronous")
    @classmethod
    def _check_synchronous(cls, value: str) -> str:
        allowed = {"OFF", "NORMAL", "FULL", "EXTRA"}
        if value.upper() not in allowed:
            raise ValueError(f"must be one of {sorted(allowed)}")
        return value.upper()

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'skywatch.db'}"

    @property
    def token_file(self) -> Path:
        """Where a generated write token is kept for the local CLI."""
        return self.data_dir / "api-token"
