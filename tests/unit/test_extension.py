"""The extension seam (backend/extension.py): the dashboard is found as an entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from fastapi import APIRouter

from backend import extension as extension_module
from backend.config import Settings
from backend.extension import ENTRY_POINT_GROUP, Extension, ExtensionFactory, installed_extensions

ROOT = Path(__file__).parents[2]


def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        data_dir=tmp_path / "data",
        api_tokens=["t"],
    )


def test_the_dashboard_is_registered_under_the_entry_point_group() -> None:
    points = {point.name: point.value for point in entry_points(group=ENTRY_POINT_GROUP)}
    assert points.get("dashboard") == "dashboard.app:extension"


def test_the_installed_extensions_include_the_dashboard_with_a_page_and_a_lifespan(
    tmp_path: Path,
) -> None:
    found = installed_extensions(settings(tmp_path))
    by_name = {extension.name: extension for extension in found}
    assert "dashboard" in by_name
    dashboard = by_name["dashboard"]
    assert isinstance(dashboard, Extension)
    assert isinstance(dashboard.router, APIRouter)
    assert dashboard.page is not None
    assert callable(dashboard.page)
    assert dashboard.lifespan is not None
    assert all(isinstance(digest, str) for digest in dashboard.page_script_hashes)
    # At most one extension may serve the page at "/".
    assert sum(extension.page is not None for extension in found) == 1


@dataclass
class FakeEntryPoint:
    """An installed entry point: a name and the factory it loads."""

    name: str
    factory: ExtensionFactory

    def load(self) -> ExtensionFactory:
        return self.factory


def test_every_extension_is_built_for_the_settings_in_name_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_for: list[tuple[str, Settings]] = []

    def factory(name: str) -> ExtensionFactory:
        def build(given: Settings) -> Extension:
            built_for.append((name, given))
            return Extension(name=name, router=APIRouter())

        return build

    points = [FakeEntryPoint(name, factory(name)) for name in ("zeta", "alpha", "mid")]
    groups: list[str] = []

    def fake_entry_points(*, group: str) -> list[FakeEntryPoint]:
        groups.append(group)
        return points

    monkeypatch.setattr(extension_module, "entry_points", fake_entry_points)
    given = settings(tmp_path)
    found = installed_extensions(given)
    assert groups == [ENTRY_POINT_GROUP]
    assert [extension.name for extension in found] == ["alpha", "mid", "zeta"]
    assert [name for name, _ in built_for] == ["alpha", "mid", "zeta"]
    assert all(built is given for _, built in built_for)


def test_the_backend_builds_the_app_without_importing_the_dashboard_itself(
    tmp_path: Path,
) -> None:
    # A fresh interpreter: the app without extensions loads no dashboard module at all, and
    # only installed_extensions (through the entry point) brings it in.
    program = f"""
import json, sys
from backend.config import Settings
from backend.main import create_app
from backend.extension import installed_extensions
settings = Settings(
    database_url="sqlite+aiosqlite:///:memory:", data_dir={str(tmp_path / "data")!r},
    api_tokens=["t"],
)
create_app(settings, extensions=[])
before = sorted(name for name in sys.modules if name.split(".")[0] == "dashboard")
names = [extension.name for extension in installed_extensions(settings)]
print(json.dumps({{"before": before, "names": names, "after": "dashboard.app" in sys.modules}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["before"] == []
    assert "dashboard" in seen["names"]
    assert seen["after"] is True
