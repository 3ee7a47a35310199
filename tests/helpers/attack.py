"""Hostile clients for the attack tests (tests/system/test_hostile_*.py) and bench/attacks.py:
raw sockets on 127.0.0.1 that send what no honest client sends, and the server's memory."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from pathlib import Path


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class PeakRss:
    """Samples a process's RSS every 50 ms in the background while in use; `.peak` in MiB."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = rss_mb(pid)
        self.samples: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        start = time.monotonic()
        while True:
            value = rss_mb(self.pid)
            self.peak = max(self.peak, value)
            self.samples.append((time.monotonic() - start, value))
            await asyncio.sleep(0.05)

    async def __aenter__(self) -> PeakRss:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def open_raw(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A plain TCP connection to the server."""
    return await asyncio.open_connection("127.0.0.1", port)


async def send_until_refused(writer: asyncio.StreamWriter, data: bytes, *, piece: int) -> int:
    """Send `data` in pieces until done or the server stops taking it; bytes sent."""
    sent = 0
    try:
        for start in range(0, len(data), piece):
            writer.write(data[start : start + piece])
            await writer.drain()
            sent += piece
    except (ConnectionError, OSError):
        pass
    return sent


async def answer_of(reader: asyncio.StreamReader, *, wait: float) -> bytes | None:
    """What the server sent before closing: b'' if it closed (or reset) without a word;
    None if it kept the connection open for `wait` seconds."""
    try:
        async with asyncio.timeout(wait):
            return await reader.read()
    except TimeoutError:
        return None
    except (ConnectionError, OSError):
        return b""


def unfinished_head(path: str, size: int) -> bytes:
    """A request head that never ends: one header `size` bytes long, no blank line."""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ".encode() + b"a" * size


def blocking_answer(port: int, request: bytes, *, timeout: float) -> bytes:
    """Send a whole request on a fresh socket; everything answered until close or timeout."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        with contextlib.suppress(ConnectionError):
            conn.sendall(request)
        answer = b""
        with contextlib.suppress(ConnectionError, TimeoutError):
            while data := conn.recv(65536):
                answer += data
        return answer
