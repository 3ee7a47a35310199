"""Write tokens: configured, generated once and kept, checked against every accepted one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from backend.auth import TokenBook, ensure_write_tokens
from backend.config import Settings


def test_configured_tokens_win(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_tokens=["a", "b"])
    assert ensure_write_tokens(settings) == (["a", "b"], False)
    assert not settings.token_file.exists()


def test_token_is_generated_once_owner_only_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    tokens, generated = ensure_write_tokens(settings)
    assert generated
    assert len(tokens[0]) >= 32
    assert stat.S_IMODE(settings.token_file.stat().st_mode) == 0o600
    assert ensure_write_tokens(settings) == (tokens, False)


def test_env_list_is_split_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKYWATCH_API_TOKENS", " one, two ,,")
    assert Settings().api_tokens == ["one", "two"]


def test_token_book_accepts_only_exact_tokens() -> None:
    book = TokenBook(["alpha-token", "beta-token"])
    assert book.allows("alpha-token")
    assert book.allows("beta-token")
    for wrong in ("", "alpha", "alpha-token ", "ALPHA-TOKEN", "gamma-token"):
        assert not book.allows(wrong)
    with pytest.raises(ValueError, match="at least one"):
        TokenBook([])
