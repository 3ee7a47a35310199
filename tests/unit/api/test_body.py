"""The body reader (backend/api/body.py): whole bodies, 413 the moment one is over, disconnects."""

from __future__ import annotations

import pytest
from starlette.requests import ClientDisconnect
from starlette.types import Message, Scope

from backend.api.body import declared_length, has_body, read_body, too_large
from backend.api.errors import ApiError


def scope(*headers: tuple[bytes, bytes]) -> Scope:
    """An HTTP request scope with these headers."""
    return {"type": "http", "method": "POST", "path": "/api/v1/events", "headers": list(headers)}


def length(value: int | str) -> tuple[bytes, bytes]:
    return (b"content-length", str(value).encode())


CHUNKED = (b"transfer-encoding", b"chunked")


class Receive:
    """An ASGI receive that hands out the given messages, counting how many were taken."""

    def __init__(self, *messages: Message) -> None:
        self._messages = list(messages)
        self.taken = 0

    async def __call__(self) -> Message:
        assert self.taken < len(self._messages), "read past the end of the request"
        message = self._messages[self.taken]
        self.taken += 1
        return message


def chunks(*parts: bytes) -> Receive:
    """A body sent in these parts, the last one ending it."""
    return Receive(
        *(
            {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
            for index, part in enumerate(parts)
        )
    )


# declared_length and has_body


def test_declared_length_is_the_content_length_header() -> None:
    assert declared_length(scope(length(123))) == 123
    assert declared_length(scope((b"host", b"x"), length(0))) == 0


def test_declared_length_is_none_without_a_numeric_content_length() -> None:
    assert declared_length(scope()) is None
    assert declared_length(scope(CHUNKED)) is None
    assert declared_length(scope(length("twelve"))) is None
    assert declared_length(scope(length("-1"))) is None


def test_a_body_is_announced_by_a_positive_length_or_by_chunks() -> None:
    assert has_body(scope(length(1)))
    assert has_body(scope(CHUNKED))
    assert not has_body(scope(length(0)))
    assert not has_body(scope())


def test_a_declared_length_of_zero_outweighs_a_transfer_encoding() -> None:
    assert not has_body(scope(length(0), CHUNKED))


# read_body


async def test_a_body_in_one_message_is_read_whole() -> None:
    receive = chunks(b'{"kind": "launch"}')
    assert await read_body(scope(length(18)), receive, limit=100) == b'{"kind": "launch"}'
    assert receive.taken == 1


async def test_a_body_across_chunks_is_joined_in_order() -> None:
    receive = chunks(b"ab", b"", b"cd", b"e")
    assert await read_body(scope(CHUNKED), receive, limit=100) == b"abcde"
    assert receive.taken == 4


async def test_a_message_without_a_body_key_counts_as_empty() -> None:
    receive = Receive(
        {"type": "http.request", "more_body": True},
        {"type": "http.request", "body": b"x"},
    )
    assert await read_body(scope(CHUNKED), receive, limit=10) == b"x"


async def test_an_empty_body_is_empty() -> None:
    assert await read_body(scope(), chunks(b""), limit=0) == b""


async def test_a_body_of_exactly_the_limit_is_read() -> None:
    body = await read_body(scope(length(10)), chunks(b"12345", b"67890"), limit=10)
    assert body == b"1234567890"


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    receive = chunks(b"x" * 11)
    with pytest.raises(ApiError) as refused:
        await read_body(scope(length(11)), receive, limit=10)
    assert receive.taken == 0
    assert refused.value.status == 413
    assert refused.value.detail == "request body too large: 11 bytes > 10"
    assert refused.value.headers["Connection"] == "close"


async def test_the_refusal_names_what_was_read() -> None:
    with pytest.raises(ApiError) as refused:
        await read_body(scope(length(2048)), chunks(b""), limit=1024, what="sign-in form")
    assert refused.value.detail == "sign-in form too large: 2048 bytes > 1024"


async def test_a_chunked_body_over_the_limit_is_refused_at_the_chunk_that_crosses_it() -> None:
    receive = chunks(b"12345", b"67890", b"x", b"never read")
    with pytest.raises(ApiError) as refused:
        await read_body(scope(CHUNKED), receive, limit=10)
    assert receive.taken == 3
    assert refused.value.status == 413
    assert refused.value.detail == "request body too large: more than 10 bytes"
    assert refused.value.headers["Connection"] == "close"


async def test_a_body_longer_than_declared_is_refused_when_it_crosses_the_limit() -> None:
    receive = chunks(b"1234", b"5678", b"9", b"never read")
    with pytest.raises(ApiError) as refused:
        await read_body(scope(length(4)), receive, limit=8)
    assert receive.taken == 3
    assert refused.value.status == 413


async def test_a_disconnect_before_the_body_raises_client_disconnect() -> None:
    with pytest.raises(ClientDisconnect):
        await read_body(scope(length(5)), Receive({"type": "http.disconnect"}), limit=10)


async def test_a_disconnect_in_the_middle_of_the_body_raises_client_disconnect() -> None:
    receive = Receive(
        {"type": "http.request", "body": b"abc", "more_body": True},
        {"type": "http.disconnect"},
    )
    with pytest.raises(ClientDisconnect):
        await read_body(scope(CHUNKED), receive, limit=10)
    assert receive.taken == 2


# too_large


def test_too_large_without_a_declared_size_says_more_than_the_limit() -> None:
    error = too_large(8, what="request body")
    assert (error.status, error.detail) == (413, "request body too large: more than 8 bytes")
    assert error.headers == {"Connection": "close"}
