"""A TCP proxy in front of PostgreSQL that can freeze: a network partition on demand.

Frozen, it forwards nothing in either direction and closes nothing: connections stay
open, bytes sent into it get no answer, new connections are accepted by the kernel and
then hear nothing, which is what a client sees when the database host stops answering.
Thawed, whatever was held is delivered, as a healed partition would.
"""

from __future__ import annotations

import selectors
import socket
import threading
from contextlib import suppress
from types import TracebackType


class FreezeProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._thawed = threading.Event()
        self._thawed.set()
        self._stop = threading.Event()
        self._pairs: dict[socket.socket, socket.socket] = {}
        self._clients: set[socket.socket] = set()
        self._freeze_after: bytes | None = None
        self._thread = threading.Thread(target=self._run, name="freeze-proxy", daemon=True)

    def __enter__(self) -> FreezeProxy:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.thaw()
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in list(self._pairs):
            sock.close()
        self._listener.close()

    def freeze(self) -> None:
        self._thawed.clear()

    def thaw(self) -> None:
        self._thawed.set()

    def freeze_after(self, marker: bytes) -> None:
        """Freeze right after forwarding a client's message containing `marker` (e.g.
        b"COMMIT"): the server acts on it, its answer never reaches the client."""
        self._freeze_after = marker

    @property
    def frozen(self) -> bool:
        return not self._thawed.is_set()

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ)
        while not self._stop.is_set():
            if not self._thawed.is_set():
                # Frozen: read nothing, accept nothing (the kernel's backlog still takes
                # the handshake, as a server's SYN queue would before it stops answering).
                self._thawed.wait(0.05)
                continue
            for key, _ in selector.select(timeout=0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._listener:
                    self._accept(selector)
                    continue
                peer = self._pairs.get(sock)
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data or peer is None:
                    self._drop(selector, sock)
                    continue
                try:
                    peer.sendall(data)
                except OSError:
                    self._drop(selector, sock)
                    continue
                marker = self._freeze_after
                if marker is not None and sock in self._clients and marker in data:
                    self._freeze_after = None
                    self.freeze()
                    break
        selector.close()

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.setblocking(True)
            sock.settimeout(5)
        self._pairs[client], self._pairs[upstream] = upstream, client
        self._clients.add(client)
        selector.register(client, selectors.EVENT_READ)
        selector.register(upstream, selectors.EVENT_READ)

    def _drop(self, selector: selectors.BaseSelector, sock: socket.socket) -> None:
        peer = self._pairs.pop(sock, None)
        for s in (sock, peer):
            if s is None:
                continue
            self._pairs.pop(s, None)
            self._clients.discard(s)
            with suppress(KeyError, ValueError):
                selector.unregister(s)
            s.close()
