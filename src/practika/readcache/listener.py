"""Keeps the process's cache told about every committed write, or switched off.

One dedicated asyncpg connection LISTENs on the cache channel. The cache is used only
while it is up; when it drops (or stops answering pings) notifications may have been
missed, so the cache is emptied and bypassed until LISTEN is established again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from practika.readcache.store import EVERYTHING, ReadCache
from practika.readcache.topics import CHANNEL

log = logging.getLogger("practika.readcache")

PING_SECONDS = 5.0  # a silently dead connection is noticed this fast
RETRY_SECONDS = (0.5, 1, 2, 5)


class Listener:
    def __init__(self, cache: ReadCache, connect: Callable[[], Awaitable[Any]]) -> None:
        self.cache = cache
        self._connect = connect
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="readcache-listener")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            with suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, 5)

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("origin") == self.cache.origin:
            return  # this process's own write: its cache applied it at commit
        topics = message.get("topics") if isinstance(message, dict) else message
        self.cache.invalidate(topics if isinstance(topics, list) else [EVERYTHING])

    async def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            connection = None
            try:
                connection = await self._connect()
                lost = asyncio.Event()

                def closed(_connection: Any, lost: asyncio.Event = lost) -> None:
                    self.cache.set_connected(False)  # at once, not at the next ping
                    lost.set()

                connection.add_termination_listener(closed)
                await connection.add_listener(CHANNEL, self._on_notify)
                self.cache.set_connected(True)
                failures = 0
                await self._watch(connection, lost)
            except Exception as exc:  # any failure: bypass the cache, then try again
                failures += 1
                log.warning("read cache listener down (%s); reads go to the database", exc)
            finally:
                self.cache.set_connected(False)
                if connection is not None:
                    with suppress(Exception):
                        await asyncio.wait_for(connection.close(), 2)
            delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)

    async def _watch(self, connection: Any, lost: asyncio.Event) -> None:
        """Until stopped: ping every few seconds, and reconnect as soon as it is lost."""
        while not self._stop.is_set():
            waits = [asyncio.ensure_future(e.wait()) for e in (self._stop, lost)]
            try:
                await asyncio.wait(waits, timeout=PING_SECONDS, return_when="FIRST_COMPLETED")
            finally:
                for waiting in waits:
                    waiting.cancel()
            if self._stop.is_set():
                return
            if lost.is_set() or connection.is_closed():
                raise ConnectionError("LISTEN connection closed")
            await asyncio.wait_for(connection.fetchval("SELECT 1"), PING_SECONDS)
