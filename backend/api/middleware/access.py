"""Who may read, from where, and under which page policy: one ASGI middleware for every route.

Sitting outside every router, it covers the API, the report, the dashboard page and both
websockets (including the Dash app mounted at "/" later) without any route opting in:

- With SKYWATCH_VIEW_TOKENS set, every request but the health checks and the sign-in page
  needs a view or write token: `Authorization: Bearer <token>`, or the session cookie the
  sign-in page sets. Writing still needs a write token, checked by the write routes.
- A websocket handshake from a browser page on an origin that is not allowed is refused.
- HTML answers without a Content-Security-Policy of their own get the dashboard's.

Tokens are only ever read from headers, never from the query string: uvicorn's access log
prints query strings, and nothing here logs a header.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect, cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.body import read_body
from backend.api.errors import ApiError, error_response
from backend.api.middleware.csp import HEADER, dashboard_policy
from backend.api.routes.signin import SIGN_IN, SIGN_OUT, safe_next, sign_in_page
from backend.auth import SESSION_SECONDS, TokenBook, session_digest, session_expiry
from backend.config import Settings
from backend.store.revocations import is_revoked, revoke_session

SESSION_COOKIE = "skywatch_session"
# Liveness probes run without credentials.
OPEN_PATHS = frozenset({"/healthz", "/api/v1/healthz"})
# A sign-in form is a token and a path; anything bigger is not one.
MAX_FORM_BYTES = 8 * 1024
# Close code for a refused handshake; sent before accept, the client sees HTTP 403.
POLICY_VIOLATION = 1008
# A handshake that cannot be checked now (the database is down): the client retries.
TRY_AGAIN_LATER = 1013


def allow_page_scripts(app: FastAPI, hashes: Iterable[str]) -> None:
    """Let the dashboard page run these inline scripts (CSP hashes, e.g. Dash's)."""
    app.state.page_script_hashes = tuple(hashes)


def install_readers(app: FastAPI, settings: Settings, write_tokens: TokenBook) -> None:
    """Accept view tokens (when configured) and write tokens for reading."""
    app.state.readers = write_tokens.including(settings.view_tokens)


def origin_allowed(headers: Headers, allowed: frozenset[str]) -> bool:
    """Whether a handshake's Origin may connect.

    No Origin: not a browser (the CLI, the `websockets` library), which no page can forge,
    so nothing to check. Otherwise the page must be the service's own (same host and port
    as the Host header) or one configured in SKYWATCH_ALLOWED_ORIGINS.
    """
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    host = headers.get("host", "").strip().lower()
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host


def _bearer(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _session(headers: Headers) -> str | None:
    return cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE) or None


def _session_cookie(value: str, *, secure: bool, max_age: int) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[SESSION_COOKIE] = value
    morsel = cookie[SESSION_COOKIE]
    morsel["path"] = "/"
    morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    # Only over https: a plain-http service (localhost, a private network) must still work.
    morsel["secure"] = secure
    return morsel.OutputString()


class AccessControl:
    """The middleware: sign-in pages, read access, websocket origins, page policy."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.guarded = bool(settings.view_tokens)
        self.allowed_origins = frozenset(
            origin.strip().lower().rstrip("/") for origin in settings.allowed_origins
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer sign-in and refusals here; pass everything else on."""
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in (SIGN_IN, SIGN_OUT):
            try:
                response = await self._sign_in(scope, receive, path)
            except ClientDisconnect:
                return  # left before the form was whole
            except (OSError, SQLAlchemyError):
                response = _unavailable()  # the sign-out could not be recorded: not signed out
            await response(scope, receive, send)
            return
        # Unguarded, nothing is parsed here: the ingest hot path pays only for a few checks.
        if self.guarded and path not in OPEN_PATHS:
            headers = Headers(scope=scope)
            try:
                allowed = await self._reader(scope, headers)
            except (OSError, SQLAlchemyError):
                await _unavailable()(scope, receive, send)
                return
            if not allowed:
                await self._refusal(scope, headers)(scope, receive, send)
                return
        if scope["method"] in ("GET", "HEAD"):
            send = self._with_page_policy(scope, send)
        await self.app(scope, receive, send)

    def _readers(self, scope: Scope) -> TokenBook | None:
        readers: TokenBook | None = getattr(scope["app"].state, "readers", None)
        return readers

    async def _reader(self, scope: Scope, headers: Headers) -> bool:
        readers = self._readers(scope)
        if readers is None:  # not started: refuse rather than serve unguarded
            return False
        token = _bearer(headers)
        if token is not None and readers.allows(token):
            return True
        session = _session(headers)
        if session is None or not readers.allows_session(session, now=time.time()):
            return False
        # Signed out on any worker: the database says so (a browser's requests only; tokens
        # and the ingest path never come here).
        return not await is_revoked(_engine(scope), session_digest(session))

    def _refusal(self, scope: Scope, headers: Headers) -> Response:
        wants_page = scope["method"] in ("GET", "HEAD") and "text/html" in headers.get("accept", "")
        if wants_page:
            target = scope["path"]
            if scope.get("query_string"):
                target += "?" + scope["query_string"].decode("latin-1")
            return RedirectResponse(f"{SIGN_IN}?next={quote(target, safe='')}", status_code=303)
        detail = (
            "invalid token"
            if _bearer(headers) is not None
            else "missing token: send Authorization: Bearer <token> (a view or write token)"
        )
        return error_response(401, detail, {"WWW-Authenticate": "Bearer"})

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        try:
            refused = not origin_allowed(headers, self.allowed_origins) or (
                self.guarded and not await self._reader(scope, headers)
            )
        except (OSError, SQLAlchemyError):
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": TRY_AGAIN_LATER, "reason": ""})
            return
        if refused:
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": ""})
            return
        await self.app(scope, receive, send)

    async def _sign_in(self, scope: Scope, receive: Receive, path: str) -> Response:
        secure = scope.get("scheme") == "https"
        if path == SIGN_OUT:
            await self._revoke(scope)
            response: Response = RedirectResponse(SIGN_IN, status_code=303)
            response.headers["Set-Cookie"] = _session_cookie("", secure=secure, max_age=0)
            return response
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        next_path = safe_next(query.get("next", ["/"])[0])
        if scope["method"] in ("GET", "HEAD"):
            if not self.guarded:
                return RedirectResponse(next_path, status_code=303)
            return sign_in_page(next_path)
        if scope["method"] != "POST":
            return error_response(405, f"method not allowed on {SIGN_IN}")
        headers = Headers(scope=scope)
        # A form posted from another site would sign this browser in with someone else's
        # token; only the service's own page (or an allowed origin) may post it.
        if not origin_allowed(headers, self.allowed_origins):
            return error_response(403, "sign-in from another origin refused")
        try:
            form = await _read_form(scope, receive)
        except ApiError as error:
            return error_response(error.status, error.detail, error.headers)
        next_path = safe_next(form.get("next"))
        if not self.guarded:
            return RedirectResponse(next_path, status_code=303)
        token = form.get("token", "").strip()
        readers = self._readers(scope)
        if readers is None or not token or not readers.allows(token):
            return sign_in_page(next_path, error="That token is not accepted.", status=401)
        response = RedirectResponse(next_path, status_code=303)
        session = readers.session(token, now=time.time())
        response.headers["Set-Cookie"] = _session_cookie(
            session, secure=secure, max_age=SESSION_SECONDS
        )
        return response

    async def _revoke(self, scope: Scope) -> None:
        # Clearing the cookie is not enough: a copy of it would be accepted until it expires.
        # Only a valid session is recorded, so anonymous sign-outs add nothing to the table.
        session = _session(Headers(scope=scope))
        readers = self._readers(scope)
        now = time.time()
        if session is None or readers is None or not readers.allows_session(session, now=now):
            return
        await revoke_session(
            _engine(scope),
            session_digest(session),
            expires_at=session_expiry(session),
            now=int(now),
        )

    def _with_page_policy(self, scope: Scope, send: Send) -> Send:
        hashes: tuple[str, ...] = getattr(scope["app"].state, "page_script_hashes", ())

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html") and (
                    HEADER not in headers
                ):
                    headers[HEADER] = dashboard_policy(hashes)
            await send(message)

        return send_with_policy


def _engine(scope: Scope) -> AsyncEngine:
    engine: AsyncEngine = scope["app"].state.services.engine
    return engine


def _unavailable() -> Response:
    return error_response(503, "database unavailable, retry", {"Retry-After": "5"})


async def _read_form(scope: Scope, receive: Receive) -> dict[str, str]:
    """The url-encoded form body, first value of each field; ApiError 413 when too large."""
    body = await read_body(scope, receive, limit=MAX_FORM_BYTES, what="sign-in form")
    fields = parse_qs(body.decode("utf-8", errors="replace"))
    return {name: values[0] for name, values in fields.items()}
