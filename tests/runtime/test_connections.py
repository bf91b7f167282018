"""The real server process and its connections: slow clients are cut off, the SIGTERM
drain refuses new connections at once, finishes what is in flight, and counts what it
had to cut as cancelled (not as a 500)."""

from __future__ import annotations

import json
import selectors
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer
from tests.support import PASSWORD

# Generous: these bound how long the test may take, never how fast the server must be.
DEADLINE = 60.0


def sqlite_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
        "PRACTIKA_WEB_DIST": str(tmp_path / "no-web"),
        "PRACTIKA_LOG_FORMAT": "json",
        "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
        "PRACTIKA_ARGON2_TIME_COST": "1",
        "PRACTIKA_RUN_WORKER": "false",
        # The embedded default prints a summary line; these tests read the EMF documents.
        "PRACTIKA_METRICS_FORMAT": "emf",
        **extra,
    }


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator:
    started: list[LiveServer] = []

    def start(name: str = "server", **extra: str) -> LiveServer:
        server = LiveServer(
            env=sqlite_env(tmp_path, **extra), log_path=tmp_path / f"{name}.log"
        ).start()
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process and server.process.poll() is None:
            server.stop(signal.SIGKILL)


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE)


def read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    sock.settimeout(DEADLINE)
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def refused_within(port: int, deadline: float) -> bool:
    """Whether a new connection is refused (ECONNREFUSED) before the deadline. A queued,
    never-accepted connection counts as not refused: that is the hang being tested."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            probe = socket.create_connection(("127.0.0.1", port), timeout=1)
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        else:
            probe.close()
        time.sleep(0.1)
    return False


def signin_headers(server: LiveServer, body: bytes) -> bytes:
    return (
        f"POST /api/v1/auth/signin HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()


def signed_up(server: LiveServer, email: str = "ana@example.com") -> bytes:
    r = httpx.post(
        f"{server.url}/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "display_name": "Ana"},
        timeout=DEADLINE,
    )
    assert r.status_code == 201, r.text
    return json.dumps({"email": email, "password": PASSWORD}).encode()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_drain_refuses_new_connections_and_finishes_in_flight_requests(
    server_factory, workers: str
) -> None:
    server = server_factory(PRACTIKA_SERVER_WORKERS=workers, PRACTIKA_SHUTDOWN_GRACE_SECONDS="30")
    body = signed_up(server)
    in_flight = connect(server)
    # A request under way: headers and half its body sent.
    in_flight.sendall(signin_headers(server, body) + body[: len(body) // 2])
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    assert refused_within(server.port, 15), "a new connection during the drain was not refused"
    in_flight.sendall(body[len(body) // 2 :])
    answer = read_until_closed(in_flight)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert server.process.wait(timeout=DEADLINE) in (0, -signal.SIGTERM)


def test_a_request_cut_by_the_drain_is_counted_as_cancelled_not_as_a_500(
    server_factory,
) -> None:
    server = server_factory(
        PRACTIKA_SHUTDOWN_GRACE_SECONDS="1", PRACTIKA_METRICS_FLUSH_SECONDS="600"
    )
    body = signed_up(server)
    stuck = connect(server)
    stuck.sendall(signin_headers(server, body) + body[:5])  # and never the rest
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    answer = read_until_closed(stuck)
    assert server.process.wait(timeout=DEADLINE) in (0, -signal.SIGTERM)
    assert answer.startswith(b"HTTP/1.1 503"), answer[:300]
    assert b"shutting_down" in answer and b"retry-after: 1" in answer.lower()

    lines = json_lines(server.logs())
    cut = [x for x in lines if x.get("event") == "request cancelled"]
    assert [(x["route"], x["status"], x["cancelled_by"]) for x in cut] == [
        ("/api/v1/auth/signin", 499, "shutdown")
    ]
    assert not [x for x in lines if x.get("event") == "request" and x["status"] >= 500]
    assert "Exception in ASGI application" not in server.logs()
    emf = [x for x in lines if "_aws" in x]
    assert not [x for x in emf if "Requests" in x and x.get("StatusClass") == "5xx"]
    cancelled = [x for x in emf if "RequestsCancelled" in x]
    assert [(x["Route"], x["Reason"]) for x in cancelled] == [("/api/v1/auth/signin", "shutdown")]


def test_hundreds_of_slow_clients_are_cut_off_while_others_are_served(
    server_factory,
) -> None:
    server = server_factory(
        PRACTIKA_HTTP_HEADER_TIMEOUT_SECONDS="2", PRACTIKA_HTTP_BODY_IDLE_TIMEOUT_SECONDS="2"
    )
    selector = selectors.DefaultSelector()
    slow: dict[socket.socket, str] = {}
    for n in range(300):
        sock = connect(server)
        if n % 3 == 0:  # the headers trickle in, a line at a time, and never end
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            slow[sock] = "headers"
        elif n % 3 == 1:  # connected, and then nothing at all
            slow[sock] = "silent"
        else:  # headers done, the body stops arriving
            sock.sendall(
                b"POST /api/v1/auth/signin HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )
            slow[sock] = "body"
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)

    # While they hang on, others are served.
    with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/exercises").status_code == 200

    closed: set[socket.socket] = set()
    end = time.monotonic() + DEADLINE
    next_trickle = 0.0
    while len(closed) < len(slow) and time.monotonic() < end:
        if time.monotonic() >= next_trickle:
            next_trickle = time.monotonic() + 0.5
            for sock, kind in slow.items():
                if kind == "headers" and sock not in closed:
                    try:
                        sock.send(b"X-Slow: 1\r\n")
                    except OSError:
                        closed.add(sock)
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed.add(sock)
                selector.unregister(sock)
    still_open = {kind for sock, kind in slow.items() if sock not in closed}
    for sock in slow:
        sock.close()
    assert not still_open, f"slow connections kept: {still_open}"
    with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:
        assert client.get("/healthz").status_code == 200


def test_oversized_headers_are_refused(server_factory) -> None:
    server = server_factory(PRACTIKA_HTTP_MAX_HEADER_BYTES="4096")
    sock = connect(server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 8192)
    assert read_until_closed(sock).startswith(b"HTTP/1.1 431")
