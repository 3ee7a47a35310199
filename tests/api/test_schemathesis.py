"""Schemathesis against the service's own OpenAPI schema: hostile input never gets a 5xx.

The schema is the one `skywatch serve` publishes (the product app, dashboard included); the
requests go to a real server process, so uvicorn's parsing is part of what is fuzzed. Every
operation gets valid and invalid data (Schemathesis' positive and negative modes), with the
write token, and every answer must be documented: no 5xx, a declared status code, a declared
content type and headers, a body matching its schema, invalid data refused with a 4xx.

One check is left out, positive_data_acceptance: a schema cannot say which region names exist
or that a launch needs a weapon, so schema-valid data may rightly get a documented 422.

Deterministic: Hypothesis derandomized (a seed fixed per operation), no example database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backend.main import create_app
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.server_process import AUTH, TOKEN, ServerProcess

# Per operation and database: about 25 s for the whole module on two cores.
EXAMPLES = 50


def _product_schema() -> dict[str, Any]:
    """The OpenAPI document of what `skywatch serve` runs; nothing is opened to build it."""
    return create_app().openapi()


CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # 413 is how this API refuses a batch over the limit (documented); the check's
            # default list of rejections lacks it.
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428]
            },
        }
    }
)
schema = schemathesis.openapi.from_dict(_product_schema(), config=CONFIG)
# Why this one is left out: see the module docstring.
EXCLUDED: list[CheckFunction] = [positive_data_acceptance]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One server per database kind for the whole module: the fuzzing shares its store."""
    directory = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    database_url = (
        f"sqlite+aiosqlite:///{directory / 'fuzz.db'}"
        if request.param == "sqlite"
        else create_postgres_database()
    )
    server = ServerProcess(
        name=f"fuzz-{request.param}",
        database_url=database_url,
        data_dir=directory / "data",
        log=directory / "server.log",
        token=TOKEN,
        # The fuzzer sends wrong tokens by the thousand on purpose and expects 401 for each;
        # the failed-token throttle's 429 has tests of its own (tests/api/test_throttle.py).
        settings={"SKYWATCH_MAX_TOKEN_FAILURES": "1000000000"},
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if request.param == "postgresql":
            drop_postgres_database(database_url)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_input_as_documented(
    case: schemathesis.Case[Any], fuzzed_server: ServerProcess
) -> None:
    try:
        case.call_and_validate(
            base_url=fuzzed_server.url, headers=AUTH, excluded_checks=EXCLUDED, timeout=30
        )
    except Exception as error:
        error.add_note(f"server log, last lines:\n{fuzzed_server.log_text()[-3000:]}")
        raise
