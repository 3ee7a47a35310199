"""Write tokens: from SKYWATCH_API_TOKENS, or one generated and kept in the data directory."""

from __future__ import annotations

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


class TokenBook:
    """Checks presented tokens in constant time against every accepted one."""

    def __init__(self, tokens: list[str]) -> None:
        if not tokens:
            raise ValueError("at least one write token is needed")
        self._tokens = [token.encode() for token in tokens]

    def allows(self, presented: str) -> bool:
        """Whether the token is accepted; the time taken does not depend on where it differs."""
        candidate = presented.encode()
        matched = False
        for token in self._tokens:
            matched |= hmac.compare_digest(candidate, token)
        return matched
