"""Tokens: write tokens (SKYWATCH_API_TOKENS, or one generated and kept in the data
directory), view tokens (SKYWATCH_VIEW_TOKENS), and the browser session cookie derived from
either."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from backend.config import Settings


def read_token_file(path: Path) -> str | None:
    """The token saved at path, if there is one."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


def ensure_write_tokens(settings: Settings) -> tuple[list[str], bool]:
    """The accepted write tokens, and whether one was generated just now."""
    if settings.api_tokens:
        return list(settings.api_tokens), False
    saved = read_token_file(settings.token_file)
    if saved is not None:
        return [saved], False
    token = secrets.token_urlsafe(32)
    settings.token_file.parent.mkdir(parents=True, exist_ok=True)
    # Create with owner-only permissions from the start, never world-readable for a moment.
    fd = os.open(settings.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return [token], True


# A signed-in browser stays signed in this long (wall screens run for weeks), then signs in
# again; removing its token from the configuration ends the session at once.
SESSION_SECONDS = 30 * 24 * 3600
_SESSION_CONTEXT = b"skywatch-session-v1:"


def _session_mac(token: bytes, signed: str) -> str:
    mac = hmac.new(token, _SESSION_CONTEXT + signed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def session_digest(value: str) -> str:
    """What a signed-out session is remembered by: never the cookie itself."""
    return hashlib.sha256(value.encode()).hexdigest()


def session_expiry(value: str) -> int:
    """The expiry (Unix seconds) of a session value that allows_session accepted."""
    return int(value.partition(".")[0])


class TokenBook:
    """Checks presented tokens in constant time against every accepted one."""

    def __init__(self, tokens: list[str]) -> None:
        if not tokens:
            raise ValueError("at least one write token is needed")
        self._tokens = [token.encode() for token in tokens]

    def including(self, tokens: list[str]) -> TokenBook:
        """A book accepting these tokens as well as this book's."""
        return TokenBook([*(token.decode() for token in self._tokens), *tokens])

    def session(self, token: str, *, now: float) -> str:
        """The session cookie value for an accepted token: `<expiry>.<nonce>.<HMAC of both>`.

        The cookie is keyed by the token but does not contain it, so a leaked cookie never
        gives away a token (a write token least of all), and any worker or host holding the
        same tokens can check it without shared session state. The nonce makes each sign-in
        its own session, so signing out one browser (a revocation of that value) leaves
        another signed in with the same token.
        """
        expires = int(now) + SESSION_SECONDS
        signed = f"{expires}.{secrets.token_urlsafe(12)}"
        return f"{signed}.{_session_mac(token.encode(), signed)}"

    def allows_session(self, value: str, *, now: float) -> bool:
        """Whether a session cookie value was made from an accepted token and is unexpired
        (not whether it was signed out since: see backend/store/revocations.py)."""
        signed, _, mac = value.rpartition(".")
        expiry = signed.partition(".")[0]
        if not expiry.isdigit() or len(expiry) > 12 or not mac or len(value) > 200:
            return False
        matched = False
        for token in self._tokens:
            matched |= hmac.compare_digest(mac.encode(), _session_mac(token, signed).encode())
        return matched and int(expiry) > now

    def allows(self, presented: str) -> bool:
        """Whether the token is accepted; the time taken does not depend on where it differs."""
        candidate = presented.encode()
        matched = False
        for token in self._tokens:
            matched |= hmac.compare_digest(candidate, token)
        return matched
