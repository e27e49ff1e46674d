"""A minimal Lambda Runtime API server for the cold-start benchmark (bench/coldstart.py).

It serves `http://127.0.0.1:PORT/2018-06-01/runtime/...` the way Lambda's does for one function
process: `GET invocation/next` hands out the queued events one at a time (and holds the request
open when none is queued, as Lambda's long poll does), `POST invocation/ID/response` and
`POST invocation/ID/error` record the outcome, `POST init/error` records an initialisation
failure. It notes when the first `next` request arrives (`time.perf_counter()`), which is where
a function's cold start ends.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

PREFIX = "/2018-06-01/runtime/"


@dataclass
class Outcome:
    """What the function answered for one invocation."""

    request_id: str
    ok: bool
    body: bytes
    arrived: float
    """`time.perf_counter()` when the answer arrived."""
    error_type: str | None = None


@dataclass
class _State:
    events: list[bytes] = field(default_factory=list)
    first_next: float | None = None
    init_error: bytes | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    closing: bool = False


class RuntimeAPI:
    """One Runtime API server on 127.0.0.1 for one function process (make a new one per process);
    `address` is what goes in `AWS_LAMBDA_RUNTIME_API`."""

    def __init__(self) -> None:
        self._state = _State()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self._state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def queue(self, event: dict | bytes) -> None:
        """Queues one event for the next `next` request."""
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        with self._state.changed:
            self._state.events.append(body)
            self._state.changed.notify_all()

    def wait_first_next(self, timeout: float, check: Callable[[], None] = lambda: None) -> float:
        """The `perf_counter()` time the first `next` arrived; raises on init error or timeout.

        `check` runs every 50 ms while waiting (it raises when the process has died)."""
        return self._wait(lambda s: s.first_next, timeout, check, "the first `next` request")

    def wait_outcome(self, timeout: float, check: Callable[[], None] = lambda: None) -> Outcome:
        """The first invocation's answer (response or error)."""
        return self._wait(lambda s: s.outcomes[0] if s.outcomes else None, timeout, check, "the invocation's answer")

    def _wait(self, pick, timeout: float, check: Callable[[], None], what: str):
        deadline = time.monotonic() + timeout
        with self._state.changed:
            while True:
                value = pick(self._state)
                if value is not None:
                    return value
                if self._state.init_error is not None:
                    raise RuntimeError(f"initialisation failed: {self._state.init_error.decode(errors='replace')}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {what} within {timeout:.0f} s")
                self._state.changed.wait(min(left, 0.05))
                check()

    def close(self) -> None:
        with self._state.changed:
            self._state.closing = True
            self._state.changed.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "RuntimeAPI":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A killed function process drops its connection mid-request: that is expected here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes

        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:
            arrived = time.perf_counter()
            if self.path != PREFIX + "invocation/next":
                return self._answer(404, b'{"errorMessage":"not found"}')
            with state.changed:
                if state.first_next is None:
                    state.first_next = arrived
                    state.changed.notify_all()
                while not state.events and not state.closing:
                    state.changed.wait()
                if state.closing:
                    return self._answer(410, b"{}")
                event = state.events.pop(0)
            headers = {
                "Lambda-Runtime-Aws-Request-Id": str(uuid.uuid4()),
                "Lambda-Runtime-Deadline-Ms": str(int((time.time() + 300) * 1000)),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:bench",
            }
            self._answer(200, event, headers)

        def do_POST(self) -> None:
            arrived = time.perf_counter()
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.removeprefix(PREFIX)
            with state.changed:
                if path == "init/error":
                    state.init_error = body
                elif path.startswith("invocation/") and path.endswith(("/response", "/error")):
                    request_id = path.split("/")[1]
                    ok = path.endswith("/response")
                    error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
                    state.outcomes.append(Outcome(request_id, ok, body, arrived, error_type))
                else:
                    return self._answer(404, b'{"errorMessage":"not found"}')
                state.changed.notify_all()
            self._answer(202, b'{"status":"OK"}')

        def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
