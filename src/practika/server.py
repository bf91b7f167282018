"""How `practika serve` runs uvicorn: connection deadlines and a drain that refuses.

Two things uvicorn (0.54) leaves open, closed here:

- **Slow clients.** uvicorn times out only an idle keep-alive connection; a connection
  that trickles its request line and headers (slowloris), or a body that stops
  arriving, is kept forever. `GuardedHttpToolsProtocol` gives the headers a deadline
  from the moment the request starts, a size limit, and the body an idle deadline
  (settings `http_*`, docs/runtime.md).
- **The drain.** With several worker processes the listening socket is opened by the
  parent and shared; on SIGTERM the workers stop accepting but the parent keeps it open,
  so a new connection is queued in the kernel's backlog where nothing accepts it, hangs
  for the whole grace period and is reset. `DrainingMultiprocess` closes the parent's
  copy first, so new connections are refused at once (the load balancer retries them on
  another task) while in-flight requests finish.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

STARTUP_FAILURE = 3  # uvicorn's exit status when a worker could not start


@dataclass(frozen=True)
class HttpLimits:
    header_timeout_s: float = 10.0
    body_idle_timeout_s: float = 30.0
    max_header_bytes: int = 64 * 1024


class PractikaConfig(uvicorn.Config):
    """uvicorn's config plus our connection limits (pickled to each worker process)."""

    def __init__(self, *args: Any, http_limits: HttpLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.http_limits = http_limits


def _status(code: int, reason: str) -> bytes:
    return (
        f"HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\n"
        "connection: close\r\ncontent-length: 0\r\n\r\n"
    ).encode()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines on reading a request.

    - headers: from the connection opening (or the next request's first byte on a
      kept-alive connection) to the end of the headers, at most `header_timeout_s`, and
      at most `max_header_bytes`; bytes trickling in do not extend it;
    - body: no byte for `body_idle_timeout_s` while the app waits for more (a slow but
      moving upload is fine; a pause because the app is not reading does not count).
    """

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.limits: HttpLimits = getattr(config, "http_limits", HttpLimits())
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._body_timer: asyncio.TimerHandle | None = None

    # The connection and the headers' deadline.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_headers()
        self._stop_body()
        super().connection_lost(exc)

    def _start_headers(self) -> None:
        if self._header_timer is None:
            self._header_bytes = 0
            self._header_timer = self.loop.call_later(
                self.limits.header_timeout_s, self._headers_too_slow
            )

    def _stop_headers(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.write(_status(408, "Request Timeout"))
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_timer is not None:  # still reading this request's headers
            self._header_bytes += len(data)
            if self._header_bytes > self.limits.max_header_bytes:
                self._stop_headers()
                if not self.transport.is_closing():
                    self.transport.write(_status(431, "Request Header Fields Too Large"))
                    self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_headers()

    def on_headers_complete(self) -> None:
        self._stop_headers()
        super().on_headers_complete()
        self._start_body()

    # The body's idle deadline.
    def _start_body(self) -> None:
        self._stop_body()
        self._body_timer = self.loop.call_later(self.limits.body_idle_timeout_s, self._body_stalled)

    def _stop_body(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _body_stalled(self) -> None:
        self._body_timer = None
        cycle = self.cycle
        if cycle is None or not cycle.more_body or self.transport.is_closing():
            return
        if self.flow.read_paused:  # the app has not read what it has: not the client's fault
            self._start_body()
            return
        # The app sees a disconnect; it answers nothing to a client that stopped sending.
        self.transport.close()

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        if self._body_timer is not None:
            self._start_body()

    def on_message_complete(self) -> None:
        self._stop_body()
        super().on_message_complete()


class DrainingMultiprocess(Multiprocess):
    """Closes the shared listening socket as soon as SIGTERM/SIGINT arrives."""

    def _stop_listening(self) -> None:
        for sock in self.sockets:
            sock.close()

    def handle_term(self) -> None:
        self._stop_listening()
        super().handle_term()

    def handle_int(self) -> None:
        self._stop_listening()
        super().handle_int()


def run(config: PractikaConfig) -> None:
    """uvicorn.run's serving part, with the draining supervisor for several workers."""
    server = uvicorn.Server(config=config)
    try:
        if config.workers > 1:
            DrainingMultiprocess(config, sockets=[config.bind_socket()]).run()
            return
        server.run()
    except KeyboardInterrupt:
        return
    if not server.started:
        sys.exit(STARTUP_FAILURE)
