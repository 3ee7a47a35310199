"""Request dependencies: the app's services and the write-token check.

Dependencies are async on purpose: FastAPI runs plain `def` dependencies in a thread pool,
which costs more than the whole ingest of an event.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.api.errors import ApiError
from backend.services import Services

_bearer = HTTPBearer(auto_error=False, description="A write token (SKYWATCH_API_TOKENS).")


def get_services(request: Request) -> Services:
    """The services of the app serving this request."""
    services: Services = request.app.state.services
    return services


async def _services(request: Request) -> Services:
    return get_services(request)


ServicesDep = Annotated[Services, Depends(_services)]


def check_write_token(request: Request, services: Services) -> None:
    """401 unless the request carries an accepted write token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "missing write token: send Authorization: Bearer <token>", bearer=True)
    if not services.write_tokens.allows(token.strip()):
        raise ApiError(401, "invalid write token", bearer=True)


async def require_write_token(
    request: Request,
    services: ServicesDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Dependency form of check_write_token; also declares the scheme in the OpenAPI page."""
    check_write_token(request, services)


WriteAccess = Depends(require_write_token)
