"""The OpenAPI document, with the refusals `skywatch serve` answers before any route runs.

backend/server/http_protocol.py refuses a request head over SKYWATCH_MAX_HEADER_BYTES with
431 and one not received in time with 408, whatever the path: every operation can answer
them, so every operation documents them (clients and the schema check know them all).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backend.domain.schemas import ErrorOut

SERVER_REFUSALS = {
    "408": "The request head or body did not arrive in time (SKYWATCH_HEADER_TIMEOUT, "
    "SKYWATCH_BODY_TIMEOUT).",
    "431": "The request line and headers are over SKYWATCH_MAX_HEADER_BYTES.",
}
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})


def document_server_refusals(app: FastAPI) -> None:
    """Make app.openapi() add SERVER_REFUSALS to every operation (built once, as FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
            schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
                "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
            )
            for operations in schema.get("paths", {}).values():
                for method, operation in operations.items():
                    if method not in _METHODS:
                        continue
                    responses = operation.setdefault("responses", {})
                    for status, description in SERVER_REFUSALS.items():
                        responses.setdefault(status, {"description": description, "content": error})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
