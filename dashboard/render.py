"""The page as data: every element's props for a state, and what changed since last time."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from dashboard import ids
from dashboard.alert_list import alert_count, alert_items
from dashboard.counters import counters
from dashboard.figures import feed_rows, map_figure, night_label, timeline_figure
from dashboard.i18n import Texts, texts
from dashboard.interceptions import table_source, tally_rows
from dashboard.state import DashboardState

Props = dict[str, dict[str, Any]]
# Each element's props as JSON, prop by prop.
Encoded = dict[str, dict[str, bytes]]
# The two figures cost a page most of its time per update (Plotly redraws them whole).
FIGURES = frozenset({ids.MAP, ids.TIMELINE})


@dataclass(frozen=True, slots=True)
class Moment:
    """Where in the night the page stands: `now` the live clock or a replay's position (None
    for a past night, read at its end); `in_progress` while the attack may be in the air."""

    now: datetime | None = None
    in_progress: bool = False
    live: bool = False


def _last_event(state: DashboardState, t: Texts, moment: Moment) -> dict[str, Any]:
    if state.last_at is None:
        return {"children": t("no events yet"), "data-at": ""}
    text = t("last event {time}", time=t.time(state.last_at))
    # The page adds "(n min ago)" on the live night, counting on its own clock.
    return {"children": text, "data-at": state.last_at.isoformat() if moment.live else ""}


def _empty(state: DashboardState, t: Texts, moment: Moment) -> dict[str, Any]:
    if state.last_at is not None or state.official is not None:
        return {"children": "", "className": "empty-state hidden"}
    text = t("No events yet tonight") if moment.in_progress else t("No events recorded this night")
    return {"children": text, "className": "empty-state"}


def render(
    state: DashboardState,
    t: Texts | None = None,
    *,
    figures: Collection[str] = FIGURES,
    moment: Moment | None = None,
) -> Props:
    """Props of the live elements of the page for this state (of the figures those named), in
    a language (English by default)."""
    t = t or texts("en")
    moment = moment or Moment()
    props: Props = {}
    for element, counter in counters(state, t, in_progress=moment.in_progress).items():
        props[element] = {"children": counter.value}
        props[ids.counter_label(element)] = {"children": counter.label}
        props[ids.counter_source(element)] = {"children": counter.caption}
    props[ids.NIGHT_LABEL] = {"children": night_label(state, t)}
    props[ids.TALLIES_SOURCE] = {"children": table_source(state, t)}
    props[ids.TALLIES] = {"data": tally_rows(state, t, in_progress=moment.in_progress)}
    props[ids.FEED] = {"data": feed_rows(state, t)}
    props[ids.LAST_EVENT] = _last_event(state, t, moment)
    props[ids.EMPTY_STATE] = _empty(state, t, moment)
    as_of = moment.now or state.window_end
    props[ids.ALERT_COUNT] = {"children": alert_count(state, t)}
    props[ids.ALERT_LIST] = {"children": alert_items(state, t, as_of)}
    if ids.MAP in figures:
        props[ids.MAP] = {"figure": map_figure(state, t)}
    if ids.TIMELINE in figures:
        now = moment.now if moment.in_progress else None
        props[ids.TIMELINE] = {"figure": timeline_figure(state, t, now=now)}
    return props


def encoded(props: Props) -> Encoded:
    """Each prop of each element as JSON, for cheap comparison and for sending."""
    return {
        element: {
            name: orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
            for name, value in values.items()
        }
        for element, values in props.items()
    }


def merged(previous: Encoded, current: Encoded) -> Encoded:
    """What the page holds after `current` is set on it: props left out keep their values."""
    held = dict(previous)
    for element, values in current.items():
        held[element] = {**previous.get(element, {}), **values}
    return held


def changed(previous: Encoded, current: Encoded) -> Encoded:
    """The props that differ from before, per element (a figure's layout alone, say, is not
    sent again with its data)."""
    update: Encoded = {}
    for element, values in current.items():
        before = previous.get(element, {})
        props = {name: data for name, data in values.items() if before.get(name) != data}
        if props:
            update[element] = props
    return update


def message(kind: str, seq: int, elements: Encoded, **extra: Any) -> str:
    """A dashboard message: {"type", "seq", "props": {id: props}, ...} as JSON text."""
    head = orjson.dumps({"type": kind, "seq": seq, **extra})[:-1]
    body = b",".join(
        orjson.dumps(element)
        + b":{"
        + b",".join(orjson.dumps(name) + b":" + data for name, data in values.items())
        + b"}"
        for element, values in elements.items()
    )
    return (head + b',"props":{' + body + b"}}").decode()
