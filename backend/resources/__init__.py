"""Files the service reads at run time that live at the project's top level.

The migrations (`alembic/`) and the recorded nights (`seeds/`) sit at the top of the
repository, where the Alembic command line and people look for them; the links in this
package make them package data, so that an installed wheel carries them and finds them
with importlib.resources exactly as a checkout does.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The directory of one resource ("alembic" or "seeds") as a filesystem path."""
    path = Path(str(files(__name__).joinpath(name)))
    if not path.is_dir():
        raise FileNotFoundError(f"skywatch resource {name!r} missing at {path}")
    return path
