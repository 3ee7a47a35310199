"""Rendering the page as data and sending only what changed."""

from __future__ import annotations

import orjson

from dashboard import ids
from dashboard.render import changed, encoded, merged, message, render
from dashboard.state import fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record


def test_every_live_element_is_rendered() -> None:
    props = render(fold_records(NIGHT, RECORDS))
    for element in (*ids.COUNTERS, ids.NIGHT_LABEL, ids.TALLIES, ids.FEED, ids.MAP, ids.TIMELINE):
        assert element in props


def test_only_changed_elements_are_sent() -> None:
    state = fold_records(NIGHT, RECORDS)
    before = encoded(render(state))
    state.apply(record(10, "shot_down", weapon="drone", count=1))
    after = encoded(render(state))
    update = changed(before, after)
    assert ids.SHOT_DOWN in update
    assert ids.IMPACTS not in update
    assert ids.MAP not in update
    text = message("view", 10, update)
    decoded = orjson.loads(text)
    assert decoded["type"] == "view"
    assert decoded["seq"] == 10
    assert decoded["props"][ids.SHOT_DOWN] == {"children": "7"}


def test_only_changed_props_of_an_element_are_sent() -> None:
    before = {"empty-state": {"children": b'""', "className": b'"empty-state"'}}
    after = merged(before, {"empty-state": {"className": b'"empty-state hidden"'}})
    assert after["empty-state"]["children"] == b'""'  # left out: kept, as the page keeps it
    update = changed(before, after)
    assert update == {"empty-state": {"className": b'"empty-state hidden"'}}
    decoded = orjson.loads(message("view", 10, update))
    assert decoded["props"] == {"empty-state": {"className": "empty-state hidden"}}
