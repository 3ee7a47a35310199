"""A `skywatch serve` process with extra SKYWATCH_* settings, for the limits tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.system.conftest import TOKEN, ServerProcess


class LimitedServer(ServerProcess):
    """A server process whose environment adds `settings`."""

    def __init__(self, *, settings: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    def environment(self) -> dict[str, str]:
        """The base environment plus this server's settings."""
        return {**super().environment(), **self.settings}


def limited_server(tmp_path: Path, name: str, **settings: str) -> LimitedServer:
    """A server (not started yet) on a fresh SQLite file in tmp_path, with `settings`."""
    return LimitedServer(
        settings=settings,
        name=name,
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}",
        data_dir=tmp_path / f"{name}-data",
        log=tmp_path / f"{name}.log",
        token=TOKEN,
    )
