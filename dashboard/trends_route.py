"""GET /trends (the page) and GET /trends/csv (one figure's data): GET /api/v1/trends' rows,
read from the per-night summaries as that endpoint reads them."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from backend.api.errors import ApiError
from backend.api.middleware.csp import HEADER as CSP
from backend.api.middleware.csp import inline_policy
from backend.domain.nights import current_night
from backend.domain.schemas import WEAPONS
from backend.domain.trends import BY, trend_rows
from backend.store.summaries import summaries_in
from dashboard.i18n import language_of, texts
from dashboard.trends_page import FIGURES, figure_csv, trends_html


def _month(request: Request, field: str, *, end: bool) -> date | None:
    value = request.query_params.get(field)
    if not value:
        return None
    try:
        year, month = (int(part) for part in value.split("-"))
        if len(value) != 7 or not 2000 <= year <= 2999:
            raise ValueError
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    except ValueError:
        raise ApiError(422, f"{field}: must be a month YYYY-MM ({value[:20]!r})") from None


async def _rows(request: Request) -> tuple[list[dict[str, object]], dict[str, str]]:
    by = request.query_params.get("by", "month")
    if by not in BY:
        raise ApiError(422, f"by: must be one of {', '.join(BY)}")
    first = _month(request, "from", end=False)
    last = _month(request, "to", end=True) or current_night()
    engine = request.app.state.services.engine
    before, summaries = await summaries_in(engine, first or date.min, last)
    if first is None:
        first = summaries[0].night.replace(day=1) if summaries else last.replace(day=1)
    if first > last:
        raise ApiError(422, f"to: must not be before from ({first:%Y-%m} > {last:%Y-%m})")
    rows = trend_rows(
        summaries,
        before,
        first=first,
        last=last,
        by=by,
        weapons=list(WEAPONS),
        regions=None,
        now=datetime.now(UTC),
    )
    return rows, {"from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}", "by": by}


async def trends_page(request: Request) -> HTMLResponse:
    """The Trends page, in the language the request asks for."""
    lang = language_of(request.query_params.get("lang"), request.headers.get("accept-language"))
    rows, query = await _rows(request)
    page = trends_html(rows, texts(lang), lang, query)
    # Plotly draws a heat map into a canvas and shows it as a data: image.
    policy = inline_policy(page, plotly=True, data_images=True)
    return HTMLResponse(page, headers={CSP: policy})


async def trends_csv(request: Request) -> Response:
    """One figure's data as CSV."""
    figure = request.query_params.get("figure", "launched")
    if figure not in FIGURES:
        raise ApiError(422, f"figure: must be one of {', '.join(FIGURES)}")
    rows, query = await _rows(request)
    name = f"skywatch-trends-{figure}-{query['from']}-{query['to']}-{query['by']}.csv"
    return Response(
        figure_csv(rows, figure),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
