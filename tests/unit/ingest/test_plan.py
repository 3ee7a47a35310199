"""Group-commit planning (backend/ingest/plan.py): seqs, duplicates, conflicts, retraction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from backend.domain.records import IdConflictError, Row, content_of, to_row
from backend.domain.schemas import EventIn
from backend.ingest.plan import (
    InsertRequest,
    Known,
    RetractOutcome,
    WriteOutcome,
    insert_group,
    lookup_ids,
    plan_group,
    retract,
)

RECEIVED_AT = datetime(2025, 7, 3, 19, 0, 1, tzinfo=UTC)


def row(event_id: str | None = None, *, count: int = 1) -> Row:
    """The row of a launch event (a server-generated id unless `event_id` is given)."""
    fields: dict[str, Any] = {
        "kind": "launch",
        "weapon": "drone",
        "count": count,
        "occurred_at": "2025-07-03T22:00:00+03:00",
    }
    if event_id is not None:
        fields["id"] = event_id
    return to_row(EventIn.model_validate(fields), received_at=RECEIVED_AT)


def request(*rows: Row) -> InsertRequest:
    """One POST of these rows, whose ids all count as client-chosen."""
    return InsertRequest(list(rows), [r["id"] for r in rows])


def generated(*rows: Row) -> InsertRequest:
    """One POST of these rows, all with server-generated ids."""
    return InsertRequest(list(rows), [])


class MemoryTransaction:
    """A WriteTransaction over a dict of rows: what a store does inside its locked transaction."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.retracted: dict[str, tuple[int, datetime]] = {}
        self.lookups: list[list[str]] = []
        self.inserts: list[list[Row]] = []

    def latest_cursor(self) -> int:
        seqs = [int(stored["seq"]) for stored in self.rows.values()]
        retractions = [seq for seq, _ in self.retracted.values()]
        return max([0, *seqs, *retractions])

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        self.lookups.append(list(ids))
        return {
            event_id: Known(self.rows[event_id]["seq"], content_of(self.rows[event_id]))
            for event_id in ids
            if event_id in self.rows
        }

    def insert(self, rows: list[Row]) -> None:
        self.inserts.append([dict(r) for r in rows])
        for new in rows:
            assert new["id"] not in self.rows, "a planned row must be new"
            self.rows[new["id"]] = dict(new)

    def find(self, event_id: str) -> tuple[int, int | None] | None:
        if event_id not in self.rows:
            return None
        retracted = self.retracted.get(event_id)
        return self.rows[event_id]["seq"], None if retracted is None else retracted[0]

    def mark_retracted(self, event_id: str, retracted_seq: int, at: datetime) -> None:
        assert event_id not in self.retracted, "an event is marked retracted once"
        self.retracted[event_id] = (retracted_seq, at)


# plan_group


def test_new_rows_get_consecutive_seqs_from_next_seq() -> None:
    rows = [row(), row(), row()]
    plan = plan_group([generated(*rows)], next_seq=41, known={})
    assert [r["seq"] for r in plan.new_rows] == [41, 42, 43]
    assert plan.new_rows == rows
    assert plan.answers == [WriteOutcome(accepted=3, duplicates=0, seqs=[41, 42, 43])]
    assert plan.next_seq == 44
    assert plan.last_seq == 43


def test_seqs_continue_across_the_requests_of_a_group_in_order() -> None:
    plan = plan_group(
        [generated(row(), row()), request(row("c1")), generated(row())], next_seq=1, known={}
    )
    assert plan.answers == [
        WriteOutcome(2, 0, [1, 2]),
        WriteOutcome(1, 0, [3]),
        WriteOutcome(1, 0, [4]),
    ]
    assert [r["seq"] for r in plan.new_rows] == [1, 2, 3, 4]


def test_a_plan_that_assigns_nothing_has_last_seq_before_next_seq() -> None:
    plan = plan_group([], next_seq=8, known={})
    assert plan.new_rows == []
    assert plan.answers == []
    assert plan.last_seq == 7


def test_a_stored_id_with_the_same_content_is_a_duplicate_answering_its_stored_seq() -> None:
    stored = row("known-1")
    known = {"known-1": Known(5, content_of(stored))}
    plan = plan_group([request(row("known-1"), row("fresh-1"))], next_seq=10, known=known)
    assert plan.answers == [WriteOutcome(accepted=1, duplicates=1, seqs=[5, 10])]
    assert [r["id"] for r in plan.new_rows] == ["fresh-1"]
    assert plan.next_seq == 11


def test_a_stored_id_with_other_content_is_a_conflict_naming_its_index_and_id() -> None:
    known = {"known-1": Known(5, content_of(row("known-1", count=1)))}
    posted = [row("fresh-1"), row("known-1", count=2)]
    plan = plan_group([request(*posted)], next_seq=10, known=known)
    [answer] = plan.answers
    assert isinstance(answer, IdConflictError)
    assert answer.conflicts == [(1, "known-1")]


def test_a_conflicting_request_contributes_nothing_and_later_requests_still_plan() -> None:
    known = {"known-1": Known(5, content_of(row("known-1", count=1)))}
    refused = request(row("fresh-1"), row("known-1", count=2), row("fresh-2"))
    later = request(row("fresh-1"), row("later-1"))
    plan = plan_group([refused, later], next_seq=10, known=known)
    first, second = plan.answers
    assert isinstance(first, IdConflictError)
    assert first.conflicts == [(1, "known-1")]
    # The refused request's rows got no seq, and their ids are free for the later request.
    assert all("seq" not in r for r in refused.rows)
    assert second == WriteOutcome(accepted=2, duplicates=0, seqs=[10, 11])
    assert [(r["id"], r["seq"]) for r in plan.new_rows] == [("fresh-1", 10), ("later-1", 11)]
    assert "fresh-2" not in plan.known
    assert plan.next_seq == 12


def test_a_conflict_lists_every_conflicting_row_of_the_request() -> None:
    known = {
        "a": Known(1, content_of(row("a", count=1))),
        "b": Known(2, content_of(row("b", count=1))),
    }
    plan = plan_group(
        [request(row("a", count=3), row("ok"), row("b", count=3))], next_seq=3, known=known
    )
    [answer] = plan.answers
    assert isinstance(answer, IdConflictError)
    assert answer.conflicts == [(0, "a"), (2, "b")]
    assert plan.new_rows == []
    assert plan.next_seq == 3


def test_the_same_id_twice_in_one_request_is_planned_once_then_a_duplicate() -> None:
    plan = plan_group([request(row("twice"), row("twice"))], next_seq=1, known={})
    assert plan.answers == [WriteOutcome(accepted=1, duplicates=1, seqs=[1, 1])]
    assert [r["id"] for r in plan.new_rows] == ["twice"]


def test_the_same_id_twice_in_one_request_with_other_content_conflicts() -> None:
    plan = plan_group([request(row("twice", count=1), row("twice", count=2))], next_seq=1, known={})
    [answer] = plan.answers
    assert isinstance(answer, IdConflictError)
    assert answer.conflicts == [(1, "twice")]
    assert plan.new_rows == []
    assert plan.next_seq == 1


def test_the_same_id_in_two_requests_of_a_group_is_a_duplicate_of_the_first() -> None:
    plan = plan_group([request(row("shared")), request(row("shared"))], next_seq=7, known={})
    assert plan.answers == [WriteOutcome(1, 0, [7]), WriteOutcome(0, 1, [7])]
    assert [r["id"] for r in plan.new_rows] == ["shared"]
    assert plan.known["shared"].seq == 7


def test_the_same_id_in_two_requests_of_a_group_with_other_content_conflicts() -> None:
    plan = plan_group(
        [request(row("shared", count=1)), request(row("shared", count=2))], next_seq=7, known={}
    )
    first, second = plan.answers
    assert first == WriteOutcome(1, 0, [7])
    assert isinstance(second, IdConflictError)
    assert second.conflicts == [(0, "shared")]
    assert len(plan.new_rows) == 1


def test_server_generated_ids_are_never_compared_with_what_is_known() -> None:
    # A generated id is not looked up, so even a colliding `known` entry does not apply to it.
    fresh = row()
    known = {fresh["id"]: Known(3, ("other",))}
    plan = plan_group([generated(fresh)], next_seq=4, known=known)
    assert plan.answers == [WriteOutcome(1, 0, [4])]


# lookup_ids


def test_lookup_ids_are_the_distinct_client_ids_of_the_group_sorted() -> None:
    requests = [
        InsertRequest([row("b"), row("a"), row()], ["b", "a"]),
        InsertRequest([row("a"), row("c")], ["a", "c"]),
        generated(row()),
    ]
    assert lookup_ids(requests) == ["a", "b", "c"]


def test_lookup_ids_of_generated_ids_only_is_empty() -> None:
    assert lookup_ids([generated(row(), row())]) == []


# insert_group over a transaction


def test_insert_group_numbers_after_the_latest_cursor_and_inserts_the_new_rows() -> None:
    tx = MemoryTransaction()
    first = insert_group(tx, [request(row("a"), row("b"))])
    assert first.answers == [WriteOutcome(2, 0, [1, 2])]
    second = insert_group(tx, [request(row("a"), row("c"))])
    assert second.answers == [WriteOutcome(1, 1, [1, 3])]
    assert tx.lookups == [["a", "b"], ["a", "c"]]
    assert [[r["id"] for r in rows] for rows in tx.inserts] == [["a", "b"], ["c"]]
    assert {event_id: stored["seq"] for event_id, stored in tx.rows.items()} == {
        "a": 1,
        "b": 2,
        "c": 3,
    }


def test_insert_group_refuses_a_conflict_against_what_is_stored() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a", count=1))])
    plan = insert_group(tx, [request(row("a", count=9)), request(row("b"))])
    first, second = plan.answers
    assert isinstance(first, IdConflictError)
    assert first.conflicts == [(0, "a")]
    assert second == WriteOutcome(1, 0, [2])
    assert tx.rows["a"]["count"] == 1


def test_insert_group_inserts_nothing_when_nothing_is_new() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a"))])
    plan = insert_group(tx, [request(row("a"))])
    assert plan.answers == [WriteOutcome(0, 1, [1])]
    assert len(tx.inserts) == 1


def test_insert_group_numbers_after_a_retraction_too() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a"))])
    assert retract(tx, "a") == RetractOutcome("a", 1, 2, newly_retracted=True)
    plan = insert_group(tx, [generated(row())])
    assert plan.answers == [WriteOutcome(1, 0, [3])]


# retract over a transaction


def test_a_retraction_takes_the_seq_after_the_latest_cursor() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a"), row("b"), row("c"))])
    before = datetime.now(UTC)
    outcome = retract(tx, "a")
    assert outcome == RetractOutcome(id="a", seq=1, retracted_seq=4, newly_retracted=True)
    retracted_seq, at = tx.retracted["a"]
    assert retracted_seq == 4
    assert at.tzinfo is not None
    assert at >= before
    assert retract(tx, "b") == RetractOutcome("b", 2, 5, newly_retracted=True)


def test_retracting_twice_changes_nothing_and_answers_the_same_retracted_seq() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a"))])
    first = retract(tx, "a")
    insert_group(tx, [generated(row())])  # the cursor moves on meanwhile
    second = retract(tx, "a")
    assert first == RetractOutcome("a", 1, 2, newly_retracted=True)
    assert second == RetractOutcome("a", 1, 2, newly_retracted=False)
    assert tx.latest_cursor() == 3


def test_retracting_an_unknown_id_answers_none_and_marks_nothing() -> None:
    tx = MemoryTransaction()
    insert_group(tx, [request(row("a"))])
    assert retract(tx, "nope") is None
    assert tx.retracted == {}
    assert tx.latest_cursor() == 1
