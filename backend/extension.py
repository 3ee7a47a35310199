"""The seam through which parts of the product outside the backend join the app.

The backend never imports the dashboard: it finds it as an installed entry point of the group
`skywatch.extensions` (pyproject.toml), calls it with the settings, and gets an Extension back.
An extension contributes routes, a lifespan hook that runs once the services are open, and
optionally the page app served at "/" for every path the API does not take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp

from backend.config import Settings
from backend.services import Services

ENTRY_POINT_GROUP = "skywatch.extensions"

LifespanHook = Callable[[FastAPI, Services], AbstractAsyncContextManager[None]]


@dataclass(frozen=True, slots=True)
class Extension:
    """What one part of the product adds to the app."""

    name: str
    router: APIRouter
    lifespan: LifespanHook | None = None
    # Served at "/" below the API; at most one extension may have one.
    page: ASGIApp | None = None
    # Inline scripts the page may run (Content-Security-Policy hashes).
    page_script_hashes: Sequence[str] = field(default_factory=tuple)


ExtensionFactory = Callable[[Settings], Extension]


def installed_extensions(settings: Settings) -> list[Extension]:
    """Every installed extension, built for these settings, in name order."""
    factories: Iterable[tuple[str, ExtensionFactory]] = (
        (point.name, point.load()) for point in entry_points(group=ENTRY_POINT_GROUP)
    )
    return [factory(settings) for _, factory in sorted(factories, key=lambda item: item[0])]
