"""Apply and inspect Alembic migrations from inside the service and the CLI."""

from __future__ import annotations

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from alembic import command
from backend.resources import resource_dir

# Any fixed number: it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 7_140_425


def alembic_config() -> Config:
    """The Alembic configuration of the installed migrations (alembic.ini is for the CLI)."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("alembic")))
    config.set_main_option("path_separator", "os")
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Several workers or hosts may start at once: let one migrate, the others wait.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade_database(engine: AsyncEngine) -> None:
    """Bring the database schema to the newest revision."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current_revision)


def head_revision() -> str | None:
    """The newest revision among the migration scripts."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
