"""The package installs: a wheel built from the checkout runs on its own, away from it.

The wheel is installed (not editable) into a fresh virtual environment in a temporary
directory, and everything runs from there: `skywatch db upgrade`, `skywatch serve --demo`
(migrations, seeds, region data and page assets all come from the installed package) and
the dashboard page in Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.helpers.counters import counters_from_stats
from tests.helpers.server_process import TOKEN, ServerProcess, clean_environment

CHECKOUT = Path(__file__).resolve().parents[2]
DEMO_NIGHT = "2025-07-04"
# Building and installing with every dependency (from pip's cache after the first run).
INSTALL_SECONDS = 600
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "*.egg-info", "__pycache__", "*_cache", "test-artifacts"
)


@dataclass(frozen=True)
class Installation:
    """A virtual environment holding the installed wheel, and a directory to run in."""

    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "venv" / "bin"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        """Run a command of the installation from its own directory, never the checkout."""
        environment = clean_environment({"SKYWATCH_DATA_DIR": str(self.data_dir)})
        environment.pop("PYTHONPATH", None)
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=INSTALL_SECONDS,
            check=False,
        )


def _checked(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"{result.args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    root = tmp_path_factory.mktemp("installed")
    dist = root / "dist"
    # Built from a copy of the working tree: an in-tree build/ left by an earlier build would
    # put modules since deleted into the wheel.
    source = root / "source"
    shutil.copytree(CHECKOUT, source, symlinks=True, ignore=_NOT_SOURCE)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _checked(
        subprocess.run(
            [*pip, "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
            capture_output=True,
            text=True,
            timeout=INSTALL_SECONDS,
            check=False,
        )
    )
    [wheel] = dist.glob("skywatch-*.whl")
    _checked(
        subprocess.run(
            [sys.executable, "-m", "venv", str(root / "venv")],
            capture_output=True,
            text=True,
            check=False,
        )
    )
    installation = Installation(root)
    _checked(installation.run("python", "-m", "pip", "install", "-q", str(wheel)))
    return installation


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installation) -> None:
    probe = (
        "import backend, dashboard, json; print(json.dumps([backend.__file__, dashboard.__file__]))"
    )
    files = json.loads(_checked(installed.run("python", "-c", probe)).stdout)
    for file in files:
        assert Path(file).is_relative_to(installed.root / "venv"), file


def test_db_upgrade_runs_from_the_installed_package(installed: Installation) -> None:
    result = _checked(installed.run("skywatch", "db", "upgrade"))
    assert (installed.data_dir / "skywatch.db").exists(), result.stderr


@pytest.fixture(scope="module")
def demo_server(installed: Installation) -> Iterator[ServerProcess]:
    server = ServerProcess(
        name="installed",
        database_url=None,
        data_dir=installed.data_dir,
        log=installed.root / "server.log",
        token=TOKEN,
        serve_args=("--demo",),
        executable=installed.bin / "skywatch",
        cwd=installed.root,
    )
    server.start()
    yield server
    server.stop()


def test_serve_demo_loads_the_seed_night_and_the_page_shows_it(
    demo_server: ServerProcess, browser: Browser
) -> None:
    stats = httpx.get(f"{demo_server.url}/api/v1/stats", params={"night": DEMO_NIGHT}).json()
    assert stats["launched"]["drone"] + stats["launched"]["decoy"] > 0, stats
    page = browser.new_page()
    try:
        page.goto(f"{demo_server.url}/?night={DEMO_NIGHT}")
        # A past night: the archive, never "live" (issue 14).
        expect(page.locator("#connection-status")).to_have_text("archive", timeout=20_000)
        for element, text in counters_from_stats(stats).items():
            expect(page.locator(f"#{element}")).to_have_text(text, timeout=10_000)
        # Styles and scripts came from the installed package's assets.
        assert httpx.get(f"{demo_server.url}/assets/style.css").status_code == 200
    finally:
        page.close()
