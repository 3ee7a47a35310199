"""backend/logs.py: JSON lines with the request id, and query secrets blanked."""

from __future__ import annotations

import logging
import sys

import orjson

from backend.logs import (
    REQUEST_ID,
    JsonFormatter,
    RedactAccess,
    WebSocketAccess,
    log_config,
    redact_query,
)


def _record(name: str, msg: str, args: tuple[object, ...]) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_secret_query_values_are_blanked_and_the_rest_kept() -> None:
    assert redact_query("/api/v1/stats?night=2025-07-03&token=abc&access_token=def") == (
        "/api/v1/stats?night=2025-07-03&token=redacted&access_token=redacted"
    )
    assert redact_query("/signin?next=%2F&session=s3cret") == "/signin?next=%2F&session=redacted"
    assert redact_query("/api/v1/events") == "/api/v1/events"


def test_the_access_filter_rewrites_the_target_only() -> None:
    record = _record(
        "uvicorn.access", '%s - "%s %s HTTP/%s" %d', ("1.2.3.4:5", "GET", "/x?token=t", "1.1", 200)
    )
    assert RedactAccess().filter(record)
    assert record.getMessage() == '1.2.3.4:5 - "GET /x?token=redacted HTTP/1.1" 200'


def test_a_json_line_carries_the_request_id_of_its_context() -> None:
    formatter = JsonFormatter()
    reset = REQUEST_ID.set("abc123")
    try:
        line = orjson.loads(formatter.format(_record("backend.x", "stored %d", (3,))))
    finally:
        REQUEST_ID.reset(reset)
    assert line["level"] == "INFO"
    assert line["logger"] == "backend.x"
    assert line["message"] == "stored 3"
    assert line["request_id"] == "abc123"
    assert line["time"].endswith("+00:00")
    outside = orjson.loads(formatter.format(_record("backend.x", "idle", ())))
    assert outside["request_id"] is None


def test_a_traceback_stays_on_the_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("b", logging.ERROR, __file__, 1, "failed", (), None)

        record.exc_info = sys.exc_info()
    text = JsonFormatter().format(record)
    assert "\n" not in text
    assert "ValueError: boom" in orjson.loads(text)["exception"]


def test_websocket_handshake_lines_follow_the_access_log_with_secrets_blanked() -> None:
    accepted = ('%s - "WebSocket %s" [accepted]', ("1.2.3.4:5", "/api/v1/stream?token=t"))
    lines = [accepted, ("connection open", ()), ("connection closed", ())]
    quiet = WebSocketAccess(access_log=False)
    assert not any(quiet.filter(_record("uvicorn.error", msg, args)) for msg, args in lines)
    logged = WebSocketAccess(access_log=True)
    record = _record("uvicorn.error", *accepted)
    assert logged.filter(record)
    assert record.getMessage() == '1.2.3.4:5 - "WebSocket /api/v1/stream?token=redacted" [accepted]'
    # Everything else uvicorn says (startup, errors) passes untouched either way.
    other = _record("uvicorn.error", "Exception in ASGI application\n", ())
    assert quiet.filter(other)
    assert other.getMessage() == "Exception in ASGI application\n"


def test_uvicorn_error_carries_the_handshake_filter_for_the_access_log_setting() -> None:
    for access_log in (False, True):
        config = log_config("text", access_log=access_log)
        assert config["loggers"]["uvicorn.error"]["filters"] == ["websocket_access"]
        assert config["filters"]["websocket_access"]["access_log"] is access_log


def test_text_is_the_default_and_json_covers_every_logger() -> None:
    text = log_config("text")
    assert "JsonFormatter" not in str(text["formatters"])
    assert text["loggers"]["uvicorn.access"]["filters"] == ["redact"]
    json = log_config("json")
    assert {f["()"] for f in json["formatters"].values()} == {"backend.logs.JsonFormatter"}
    assert json["root"]["handlers"] == ["default"]
