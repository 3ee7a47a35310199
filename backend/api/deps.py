"""Request dependencies: the app's services and the write-token check."""

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


ServicesDep = Annotated[Services, Depends(get_services)]


def require_write_token(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """401 unless the request carries an accepted write token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "missing write token: send Authorization: Bearer <token>", bearer=True)
    if not services.write_tokens.allows(credentials.credentials):
        raise ApiError(401, "invalid write token", bearer=True)


WriteAccess = Depends(require_write_token)
