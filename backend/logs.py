"""The server's log: uvicorn's plain text by default, one JSON object a line on request.

SKYWATCH_LOG_FORMAT=json writes every line (uvicorn's, the access log's, the service's own)
as {"time", "level", "logger", "message", "request_id"}; the request id is the one
RequestId (backend/api/middleware/request_id.py) gives a request and answers as X-Request-ID,
so a request's lines can be found together. Whatever the format, the access log's query
strings have their secrets blanked: tokens and cookies are never written.
"""

from __future__ import annotations

import copy
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

REQUEST_ID: ContextVar[str | None] = ContextVar("skywatch_request_id", default=None)
# Query parameters whose values are secrets, whatever a client meant by sending them.
_SECRET_PARAM = re.compile(
    r"(?i)(^|[?&])([^=&]*(?:token|key|secret|password|session|cookie|auth)[^=&]*)=[^&]*"
)


def redact_query(target: str) -> str:
    """A request target with every secret-looking query value replaced by "redacted"."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    return path + "?" + _SECRET_PARAM.sub(r"\1\2=redacted", query)


def _redact_target(record: logging.LogRecord, index: int) -> None:
    """Blank the secrets of the request target a record carries as args[index]."""
    args = record.args
    target = args[index] if isinstance(args, tuple) and len(args) > index else None
    if isinstance(args, tuple) and isinstance(target, str):
        record.args = (*args[:index], redact_query(target), *args[index + 1 :])


class RedactAccess(logging.Filter):
    """On uvicorn.access: its records' targets (args[2]) with the secrets blanked."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the target in place; never drops a record."""
        _redact_target(record, 2)
        return True


# uvicorn's and websockets' lines for each websocket handshake, written to uvicorn.error at
# INFO whatever --access-log says: an access log of streams, one or two lines a connection.
_HANDSHAKE_LINES = frozenset(
    {
        '%s - "WebSocket %s" [accepted]',
        '%s - "WebSocket %s" %d',
        '%s - "WebSocket %s" 403',
        "connection open",
        "connection closed",
    }
)


class WebSocketAccess(logging.Filter):
    """On uvicorn.error: the per-handshake lines only with the access log, secrets blanked.

    Without it a client reconnecting as fast as it is closed wrote two lines a connection
    (a flood of 255 handshakes a second: 510 lines a second), and the target logged there
    was the raw one, query string and all.
    """

    def __init__(self, *, access_log: bool = False) -> None:
        super().__init__()
        self.access_log = access_log

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop or redact a handshake line; pass every other record as it is."""
        if record.msg not in _HANDSHAKE_LINES:
            return True
        if not self.access_log:
            return False
        _redact_target(record, 1)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record; a traceback goes in "exception", not on extra lines."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": REQUEST_ID.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def _message(record: logging.LogRecord) -> str:
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
        client, method, target, version, status = record.args
        return f'{client} - "{method} {target} HTTP/{version}" {status}'
    return record.getMessage()


def log_config(log_format: str, *, access_log: bool = False) -> dict[str, Any]:
    """uvicorn's log_config for the format: its own text one, or JSON for every logger."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {
        "redact": {"()": "backend.logs.RedactAccess"},
        "websocket_access": {"()": "backend.logs.WebSocketAccess", "access_log": access_log},
    }
    config["loggers"]["uvicorn.access"]["filters"] = ["redact"]
    config["loggers"]["uvicorn.error"]["filters"] = ["websocket_access"]
    if log_format == "json":
        json_formatter = {"()": "backend.logs.JsonFormatter"}
        config["formatters"] = {"default": json_formatter, "access": json_formatter}
        # The service's own loggers (backend.*, dashboard.*) propagate to the root: JSON too.
        config["root"] = {"handlers": ["default"], "level": "INFO"}
    return config
