"""The dashboard fold agrees with the backend's and builds the table, timeline and places."""

from __future__ import annotations

from backend.domain.tallies import stats_of
from dashboard.state import FEED_LENGTH, fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record


def test_counters_come_from_the_backend_fold() -> None:
    state = fold_records(NIGHT, RECORDS)
    stats = stats_of(state.tally, night=NIGHT)
    assert stats["launched"]["drone"] == 19
    assert stats["launched"]["ballistic_missile"] == 0  # retracted
    assert stats["shot_down"]["drone"] == 6
    assert stats["active_alerts"] == ["UA-30"]
    assert state.cursor == 9


def test_models_places_and_timeline() -> None:
    state = fold_records(NIGHT, RECORDS)
    shahed = state.models[("drone", "Shahed-136")]
    assert (shahed.launched, shahed.shot_down, shahed.not_neutralized) == (10, 6, 4)
    assert state.models[("drone", "")].suppressed == 3
    [kyiv] = state.places.values()
    assert (kyiv.label, kyiv.impacts, kyiv.debris, kyiv.total) == ("Kyiv", 2, 1, 3)
    # 20:00 UTC is 23:00 in Kyiv: 11 hours into the night that began at 12:00.
    assert state.timeline[66] == [15, 9]
    assert state.timeline[73] == [4, 0]


def test_feed_keeps_the_latest_newest_first() -> None:
    many = [record(seq, "launch", weapon="drone") for seq in range(1, 80)]
    state = fold_records(NIGHT, many)
    assert len(state.feed) == FEED_LENGTH
    assert state.feed[0]["seq"] == 79
