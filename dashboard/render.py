"""The page as data: every element's props for a state, and what changed since last time."""

from __future__ import annotations

from typing import Any

import orjson

from dashboard import ids
from dashboard.counters import counters
from dashboard.figures import feed_rows, map_figure, night_label, timeline_figure
from dashboard.interceptions import table_source, tally_rows
from dashboard.state import DashboardState

Props = dict[str, dict[str, Any]]
# The two figures cost a page most of its time per update (Plotly redraws them whole).


def render(state: DashboardState, *, figures: bool = True) -> Props:
    """Props of the live elements of the page for this state (the figures only if asked)."""
    props: Props = {}
    for element, counter in counters(state).items():
        props[element] = {"children": counter.value}
        props[ids.counter_label(element)] = {"children": counter.label}
        props[ids.counter_source(element)] = {"children": counter.caption}
    props[ids.NIGHT_LABEL] = {"children": night_label(state)}
    props[ids.TALLIES_SOURCE] = {"children": table_source(state)}
    props[ids.TALLIES] = {"data": tally_rows(state)}
    props[ids.FEED] = {"data": feed_rows(state)}
    if figures:
        props[ids.MAP] = {"figure": map_figure(state)}
        props[ids.TIMELINE] = {"figure": timeline_figure(state)}
    return props


def encoded(props: Props) -> dict[str, bytes]:
    """Each element's props as JSON, for cheap comparison and for sending."""
    return {
        element: orjson.dumps(values, option=orjson.OPT_NON_STR_KEYS)
        for element, values in props.items()
    }


def changed(previous: dict[str, bytes], current: dict[str, bytes]) -> dict[str, bytes]:
    """The elements whose props differ from before."""
    return {element: data for element, data in current.items() if previous.get(element) != data}


def message(kind: str, seq: int, elements: dict[str, bytes], **extra: Any) -> str:
    """A dashboard message: {"type", "seq", "props": {id: props}, ...} as JSON text."""
    head = orjson.dumps({"type": kind, "seq": seq, **extra})[:-1]
    body = b",".join(orjson.dumps(element) + b":" + data for element, data in elements.items())
    return (head + b',"props":{' + body + b"}}").decode()
