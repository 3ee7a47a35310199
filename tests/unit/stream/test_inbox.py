"""The bounded inbox (backend/stream/inbox.py): order, size units, overflow, bounded waits."""

from __future__ import annotations

import asyncio

import pytest

from backend.stream.inbox import BoundedInbox, SubscriberOverflowError


async def test_items_come_out_in_arrival_order_all_at_once() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(10)
    for item in (3, 1, 2):
        assert inbox.push(item)
    assert not inbox.empty
    assert await inbox.next() == [3, 1, 2]
    assert inbox.empty


async def test_next_takes_everything_so_the_limit_counts_only_what_is_pending() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(2)
    assert inbox.push(1)
    assert inbox.push(2)
    assert await inbox.next() == [1, 2]
    assert inbox.push(3)
    assert inbox.push(4)
    assert await inbox.next() == [3, 4]
    assert not inbox.overflowed


async def test_filling_the_limit_exactly_does_not_overflow() -> None:
    inbox: BoundedInbox[str] = BoundedInbox(3)
    assert all(inbox.push(item) for item in "abc")
    assert not inbox.overflowed
    assert await inbox.next() == ["a", "b", "c"]


async def test_items_take_their_size_of_the_limit() -> None:
    inbox: BoundedInbox[list[int]] = BoundedInbox(5, size=len)
    assert inbox.push([1, 2])
    assert inbox.push([3, 4, 5])  # 5 of 5
    assert not inbox.overflowed
    assert await inbox.next() == [[1, 2], [3, 4, 5]]
    assert inbox.push([1, 2, 3, 4])
    assert not inbox.push([5, 6])  # 6 of 5
    assert inbox.overflowed


async def test_an_item_larger_than_the_limit_fits_an_empty_inbox() -> None:
    inbox: BoundedInbox[list[int]] = BoundedInbox(3, size=len)
    assert inbox.push(list(range(100)))
    assert not inbox.overflowed
    assert await inbox.next() == [list(range(100))]
    # Once taken, the inbox is empty again and takes another oversized burst.
    assert inbox.push(list(range(50)))
    assert await inbox.next() == [list(range(50))]


async def test_an_item_larger_than_the_limit_overflows_a_non_empty_inbox() -> None:
    inbox: BoundedInbox[list[int]] = BoundedInbox(3, size=len)
    assert inbox.push([1])
    assert not inbox.push(list(range(100)))
    assert inbox.overflowed


async def test_overflow_drops_the_items_and_next_raises() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(2)
    assert inbox.push(1)
    assert inbox.push(2)
    assert not inbox.push(3)
    assert inbox.overflowed
    assert inbox.empty
    with pytest.raises(SubscriberOverflowError):
        await inbox.next()


async def test_an_overflowed_inbox_refuses_everything_and_keeps_raising() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(1)
    inbox.push(1)
    inbox.push(2)
    assert not inbox.push(3)
    assert inbox.empty
    for _ in range(2):
        with pytest.raises(SubscriberOverflowError):
            await inbox.next(max_wait=0)


async def test_next_on_an_overflowed_inbox_raises_without_waiting() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(1)
    inbox.push(1)
    inbox.push(2)
    # No max_wait: it would wait forever if it waited at all.
    async with asyncio.timeout(5):
        with pytest.raises(SubscriberOverflowError):
            await inbox.next()


async def test_next_returns_an_empty_list_when_nothing_came_within_max_wait() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(10)
    async with asyncio.timeout(5):
        assert await inbox.next(max_wait=0.01) == []
        assert await inbox.next(max_wait=0) == []
    assert inbox.push(1)
    assert await inbox.next(max_wait=0) == [1]


async def test_next_waits_for_an_item_pushed_later() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(10)
    async with asyncio.timeout(5):
        waiting = asyncio.create_task(inbox.next())
        await asyncio.sleep(0)
        assert not waiting.done()
        inbox.push(7)
        inbox.push(8)
        assert await waiting == [7, 8]


async def test_a_waiting_next_is_woken_by_overflow() -> None:
    inbox: BoundedInbox[list[int]] = BoundedInbox(1, size=len)
    inbox.push([1])
    assert await inbox.next() == [[1]]
    async with asyncio.timeout(5):
        waiting = asyncio.create_task(inbox.next())
        await asyncio.sleep(0)
        inbox.push([2])
        inbox.push([3])  # over the limit: overflow
        with pytest.raises(SubscriberOverflowError):
            await waiting


async def test_a_waiting_next_with_max_wait_sees_an_item_pushed_in_time() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(10)
    async with asyncio.timeout(5):
        waiting = asyncio.create_task(inbox.next(max_wait=4))
        await asyncio.sleep(0)
        inbox.push(1)
        assert await waiting == [1]


async def test_after_next_an_empty_inbox_waits_again() -> None:
    inbox: BoundedInbox[int] = BoundedInbox(10)
    inbox.push(1)
    assert await inbox.next() == [1]
    # The wake-up of the first push is spent: nothing is returned twice.
    async with asyncio.timeout(5):
        assert await inbox.next(max_wait=0.01) == []
