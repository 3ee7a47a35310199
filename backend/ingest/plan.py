"""Pure planning of a group commit: which rows are new, duplicates or conflicts, and their seqs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from backend.domain.records import IdConflictError, Row, content_of

# Ids per existence lookup (well under any driver's bound-parameter limit).
T = TypeVar("T")
LOOKUP_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """Committed result of one insert request."""

    accepted: int
    duplicates: int
    seqs: list[int]


@dataclass(frozen=True, slots=True)
class RetractOutcome:
    """Committed result of a retraction."""

    id: str
    seq: int
    retracted_seq: int
    newly_retracted: bool


@dataclass(frozen=True, slots=True)
class InsertRequest:
    """The rows of one POST, and the ids among them that the client chose."""

    rows: list[Row]
    # Ids the server generated (UUID4) cannot already exist, so only these are looked up.
    client_ids: list[str]


@dataclass(frozen=True, slots=True)
class Known:
    """An id already stored (or planned earlier in the group), with its seq and content."""

    seq: int
    content: tuple[Any, ...]


@dataclass(slots=True)
class Plan:
    """What one transaction inserts, and the answer for each request in the group."""

    next_seq: int
    known: dict[str, Known]
    new_rows: list[Row] = field(default_factory=list)
    answers: list[WriteOutcome | IdConflictError] = field(default_factory=list)

    @property
    def last_seq(self) -> int:
        """The highest seq this plan assigns (or the one before it, when it assigns none)."""
        return self.next_seq - 1


def lookup_ids(requests: Sequence[InsertRequest]) -> list[str]:
    """The distinct ids of the group that may already be stored."""
    return sorted({event_id for request in requests for event_id in request.client_ids})


def plan_group(
    requests: Sequence[InsertRequest], *, next_seq: int, known: dict[str, Known]
) -> Plan:
    """Plan every request in order; a request with a conflict is refused whole."""
    plan = Plan(next_seq=next_seq, known=known)
    for request in requests:
        _plan_request(plan, request)
    return plan


def _plan_request(plan: Plan, request: InsertRequest) -> None:
    seqs: list[int] = []
    new_rows: list[Row] = []
    local: dict[str, Known] = {}
    conflicts: list[tuple[int, str]] = []
    duplicates = 0
    next_seq = plan.next_seq
    # Only client-chosen ids can repeat; generated ones skip the content comparison entirely.
    comparable = set(request.client_ids)
    for index, row in enumerate(request.rows):
        event_id = row["id"]
        if event_id in comparable:
            content = content_of(row)
            known = local.get(event_id) or plan.known.get(event_id)
            if known is not None:
                if known.content == content:
                    seqs.append(known.seq)
                    duplicates += 1
                else:
                    conflicts.append((index, event_id))
                continue
            local[event_id] = Known(next_seq, content)
        row["seq"] = next_seq
        new_rows.append(row)
        seqs.append(next_seq)
        next_seq += 1
    if conflicts:
        for row in new_rows:
            del row["seq"]
        plan.answers.append(IdConflictError(conflicts))
        return
    plan.known.update(local)
    plan.new_rows.extend(new_rows)
    plan.next_seq = next_seq
    plan.answers.append(WriteOutcome(len(new_rows), duplicates, seqs))


class WriteTransaction(Protocol):
    """The few statements a write needs, inside one locked transaction of some store."""

    def latest_cursor(self) -> int:
        """The highest seq given so far."""
        ...

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        """The stored seq and content of each of these ids that exists."""
        ...

    def insert(self, rows: list[Row]) -> None:
        """Insert planned rows (each with its seq)."""
        ...

    def find(self, event_id: str) -> tuple[int, int | None] | None:
        """(seq, retracted_seq) of a stored event, or None."""
        ...

    def mark_retracted(self, event_id: str, retracted_seq: int, at: datetime) -> None:
        """Flag an event retracted under its own seq."""
        ...


class LockedWriteStore(ABC):
    """A store that runs work in one locked write transaction; what a write does is shared."""

    @abstractmethod
    async def transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run `work` in one locked transaction (retried when another process raced it)."""

    @abstractmethod
    async def close(self) -> None:
        """Release what the store holds of its own."""

    async def insert_group(self, requests: Sequence[InsertRequest]) -> Plan:
        """Plan and insert the group in one transaction."""
        return await self.transaction(lambda tx: insert_group(tx, requests))

    async def retract(self, event_id: str) -> RetractOutcome | None:
        """Mark one event retracted, giving the retraction its own seq."""
        return await self.transaction(lambda tx: retract(tx, event_id))


def insert_group(tx: WriteTransaction, requests: Sequence[InsertRequest]) -> Plan:
    """Plan the group against what is stored and insert what is new."""
    known = tx.lookup(lookup_ids(requests))
    plan = plan_group(requests, next_seq=tx.latest_cursor() + 1, known=known)
    if plan.new_rows:
        tx.insert(plan.new_rows)
    return plan


def retract(tx: WriteTransaction, event_id: str) -> RetractOutcome | None:
    """Retract one event (None when unknown); retracting twice changes nothing."""
    found = tx.find(event_id)
    if found is None:
        return None
    seq, retracted_seq = found
    if retracted_seq is not None:
        return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=False)
    retracted_seq = tx.latest_cursor() + 1
    tx.mark_retracted(event_id, retracted_seq, datetime.now(UTC))
    return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=True)
