"""backend/store/read_worker.py, and the event pages read through it (store/queries.py
events_page, events_lines), on both databases: a long page from the worker process is the
page read in the server, byte for byte; a short answer never starts the worker; a recording
in JSON Lines is every record once, in order; the worker runs at a lower CPU priority, and
one that dies is replaced."""

from __future__ import annotations

import os
import signal

import orjson

from backend.store.queries import EventFilter, encoded_events, events_lines, events_page
from backend.store.read_worker import NICENESS
from tests.helpers.rig import Rig


async def test_a_long_page_from_the_worker_is_the_page_read_here(rig: Rig) -> None:
    await rig.post(1_200)
    reads = rig.services().reads
    here = await encoded_events(rig.engine, EventFilter(), limit=1_000)
    there = await events_page(rig.engine, reads, EventFilter(), limit=1_000)
    assert reads.started
    assert there == here
    assert there.count == 1_000
    assert there.last_seq == orjson.loads(here.body)[-1]["seq"]


async def test_a_short_answer_never_starts_the_worker(rig: Rig) -> None:
    await rig.post(10)
    reads = rig.services().reads
    page = await events_page(rig.engine, reads, EventFilter(), limit=10_000)
    assert page.count == 10
    assert not reads.started


async def test_a_recording_is_every_record_once_in_order(rig: Rig) -> None:
    await rig.post(4_500)
    reads = rig.services().reads
    chunks = [chunk async for chunk in events_lines(rig.engine, reads, EventFilter())]
    seqs = [orjson.loads(line)["seq"] for chunk in chunks for line in chunk.splitlines()]
    assert len(chunks) == 3  # pages of 2,000
    assert len(seqs) == 4_500
    assert seqs == sorted(set(seqs))
    limited = [chunk async for chunk in events_lines(rig.engine, reads, EventFilter(), limit=2_500)]
    assert [orjson.loads(line)["seq"] for c in limited for line in c.splitlines()] == seqs[:2_500]


async def test_the_worker_yields_the_cores_to_the_server(rig: Rig) -> None:
    pid = await rig.services().reads.pid()
    assert pid != os.getpid()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, own + NICENESS)


async def test_a_worker_that_died_is_replaced(rig: Rig) -> None:
    await rig.post(600)
    reads = rig.services().reads
    first = await reads.pid()
    os.kill(first, signal.SIGKILL)
    page = await events_page(rig.engine, reads, EventFilter(), limit=600)
    assert page.count == 600
    assert await reads.pid() != first
