"""The views on screen, one per key (a night, a replay session), shared by every page on it.

A view is created on first use, kept while pages show it and stopped when the last leaves.
It is registered before it has loaded, so that a page leaving meanwhile never strands a
view that nobody could find again to release.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from dashboard.views.shared import SharedView

K = TypeVar("K")
V = TypeVar("V", bound=SharedView)


class ViewRegistry(Generic[K, V]):
    """Running views by key; `create` builds one (None: there is nothing to show)."""

    def __init__(self, create: Callable[[K], Awaitable[V | None]]) -> None:
        self._create = create
        self._views: dict[K, V] = {}
        self._lock = asyncio.Lock()

    async def get(self, key: K) -> V | None:
        """The running view of `key`, loaded; None when `create` found nothing to show."""
        async with self._lock:
            view = self._views.get(key)
            if view is None:
                view = await self._create(key)
                if view is None:
                    return None
                self._views[key] = view
                view.launch()
        await view.loaded()
        return view

    def __contains__(self, key: object) -> bool:
        """Whether a view of `key` is kept."""
        return key in self._views

    async def release(self, key: K, *, keep: K | None = None) -> None:
        """Stop the view of `key` when no page shows it any more (unless it is `keep`)."""
        async with self._lock:
            view = self._views.get(key)
            if view is not None and view.viewer_count == 0 and key != keep:
                del self._views[key]
                await view.stop()

    async def close(self) -> None:
        """Stop every view."""
        for view in self._views.values():
            await view.stop()
        self._views.clear()
