"""The one way a request body is read: whole, up to a limit, refused the moment it is over.

uvicorn does not bound a request body. Starlette's `max_body_size` (FastAPI's sits on it)
does, but answers its 413 in plain text, and only inside routing, while the ingest fast path
and the sign-in form are answered by middleware before routing. So every reader (ingest,
the routed API, sign-in) goes through `read_body`, and every refusal is the API's JSON error.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope

from backend.api.errors import ApiError


def require_json(request: Request) -> None:
    """415 unless the request says its body is JSON (application/json or any +json type)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        shown = media_type or "none"
        raise ApiError(415, f"Content-Type must be application/json, got {shown}")


def declared_length(scope: Scope) -> int | None:
    """The Content-Length the client declared, when it is a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def has_body(scope: Scope) -> bool:
    """Whether the request announces a body at all (a length above 0, or chunks)."""
    length = declared_length(scope)
    if length is not None:
        return length > 0
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def too_large(limit: int, *, declared: int | None = None, what: str = "request body") -> ApiError:
    """The 413 for a body over `limit` bytes."""
    size = f"{declared} bytes > {limit}" if declared is not None else f"more than {limit} bytes"
    error = ApiError(413, f"{what} too large: {size}")
    # The rest of an oversized body is never read into this connection.
    error.headers["Connection"] = "close"
    return error


async def read_body(
    scope: Scope, receive: Receive, *, limit: int, what: str = "request body"
) -> bytes:
    """The whole body; ApiError 413 as soon as it exceeds `limit` bytes, declared or not.

    Raises ClientDisconnect when the client leaves before the body ends.
    """
    declared = declared_length(scope)
    if declared is not None and declared > limit:
        raise too_large(limit, declared=declared, what=what)
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientDisconnect
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit, what=what)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replayed(body: bytes, receive: Receive) -> Receive:
    """A receive that yields an already read body once, then what the server sends next."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
