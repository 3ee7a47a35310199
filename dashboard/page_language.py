"""The page's language for the request Dash is serving: `?lang=`, else the page's cookie,
else Accept-Language (dashboard/i18n.py). The page itself and the layout Dash fetches
after it are two requests; the cookie, set when a page is asked for with `?lang=`, carries
the choice from the first to the second (and to the next visit)."""

from __future__ import annotations

from dash.backends._fastapi import get_current_request
from starlette.requests import Request
from starlette.responses import Response

from dashboard.i18n import Lang, language_of, supported

COOKIE = "skywatch-lang"
COOKIE_SECONDS = 365 * 24 * 3600


def language_for(request: Request) -> Lang:
    """The language a request to the page wants."""
    chosen = supported(request.query_params.get("lang")) or supported(request.cookies.get(COOKIE))
    return chosen or language_of(None, request.headers.get("accept-language"))


def request_language() -> Lang:
    """The language of the request Dash is serving now (English outside a request)."""
    try:
        request = get_current_request()
    except RuntimeError:
        return "en"
    return language_for(request)


def remember(request: Request, response: Response) -> None:
    """Keep a `?lang=` choice for the layout request that follows and later visits."""
    chosen = supported(request.query_params.get("lang"))
    if chosen is not None:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_SECONDS, samesite="lax", httponly=True)
