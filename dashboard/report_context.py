"""The report's context section: the night against the 30 nights before it (launched, the
neutralization rate), from backend/domain/night_context.py. A figure not stated shows as
"not reported", never 0."""

from __future__ import annotations

import html

from backend.domain.night_context import NightContext
from dashboard.i18n import Texts


def context_section(context: NightContext | None, t: Texts) -> str:
    """A heading, the span compared, and a table: this night against the nights before."""
    if context is None:
        return ""
    missing = t("not reported")

    def count(value: float | None) -> str:
        return missing if value is None else t.number(round(value))

    def rate(value: float | None) -> str:
        return missing if value is None else t.percent(value)

    span = t(
        "{first} to {last}: {n} nights state launched; launched is their mean per night, "
        "the rate is over all of them",
        first=t.date(context.first),
        last=t.date(context.last),
        n=t.number(context.stated_nights),
    )
    rows = (
        (t("Launched"), count(context.launched), count(context.mean_launched)),
        (t("Neutralization rate"), rate(context.rate), rate(context.rate_before)),
    )
    body = "".join(
        f'<tr><td class="text">{html.escape(name)}</td><td>{html.escape(mine)}</td>'
        f"<td>{html.escape(theirs)}</td></tr>"
        for name, mine, theirs in rows
    )
    head = (
        f'<th scope="col" class="text"></th><th scope="col">{html.escape(t("This night"))}</th>'
        f'<th scope="col">{html.escape(t("The 30 nights before"))}</th>'
    )
    return (
        f"<h2>{html.escape(t('Against the 30 nights before'))}</h2>"
        f'<p class="source">{html.escape(span)}</p>'
        f'<table id="report-context"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
