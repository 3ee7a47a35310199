"""A local HTTP server that plays recorded alert-feed answers, for `skywatch follow` tests.

Each path answers what was last set for it with play(): a status, a body, headers, a delay.
An answer with a Last-Modified is a 304 to a request whose If-Modified-Since is that date, as
alerts.in.ua does. stop() closes the port (the feed is down), start() opens it again on the
same port. Every request is recorded: path, headers, monotonic time, the status answered.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alert_feeds"


@dataclass(frozen=True)
class Answer:
    """What a path answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    """A request the server took."""

    path: str
    headers: dict[str, str]
    at: float
    status: int


def json_answer(value: Any, **headers: str) -> Answer:
    """A 200 with `value` as JSON."""
    body = json.dumps(value, ensure_ascii=False).encode()
    return Answer(200, body, {"Content-Type": "application/json", **headers})


def fixture(*parts: str) -> Any:
    """A recorded answer of tests/fixtures/alert_feeds."""
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


class FeedServer:
    """The server; use as a context manager."""

    def __init__(self) -> None:
        self._answers: dict[str, Answer] = {}
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def play(self, path: str, answer: Answer) -> None:
        """From now on `path` answers `answer`."""
        with self._lock:
            self._answers[path] = answer

    def requests(self, path: str | None = None) -> list[Request]:
        """The requests taken so far (of `path`)."""
        with self._lock:
            return [item for item in self._requests if path is None or item.path == path]

    def wait_requests(
        self, path: str, count: int, *, token: str | None = None, timeout: float = 60.0
    ) -> list[Request]:
        """Wait until `path` has had `count` more requests than now (with the Authorization
        `token`, when given); the new ones."""

        def taken() -> list[Request]:
            return [
                item
                for item in self.requests(path)
                if token is None or item.headers.get("authorization", "").endswith(token)
            ]

        start = len(taken())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = taken()
            if len(now) >= start + count:
                return now[start:]
            time.sleep(0.02)
        raise AssertionError(f"{path}: fewer than {count} requests in {timeout} s")

    def _answer(self, path: str, headers: dict[str, str]) -> Answer:
        with self._lock:
            answer = self._answers.get(path, Answer(404, b'{"message": "not found"}'))
        modified = answer.headers.get("Last-Modified")
        if answer.status == 200 and modified and headers.get("if-modified-since") == modified:
            return Answer(304, b"", {"Last-Modified": modified}, answer.delay)
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {key.lower(): value for key, value in self.headers.items()}
                answer = server._answer(self.path, headers)
                with server._lock:
                    server._requests.append(
                        Request(self.path, headers, time.monotonic(), answer.status)
                    )
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> None:
        """Listen (on the previous port after a stop())."""
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the port: connections are refused until start()."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
