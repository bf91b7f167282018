"""The cache itself: entries bounded by size and age, checked against per-topic epochs."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

EVERYTHING = "*"
# Epochs are kept per topic ever invalidated; past this many the cache starts over
# rather than grow without bound (an empty cache is always correct).
MAX_TRACKED_TOPICS = 200_000


@dataclass(slots=True)
class Entry:
    value: Any
    size: int
    topics: tuple[str, ...]
    mark: int  # the cache's epoch when its computation began
    expires_at: float


class ReadCache:
    """Answers `get` only while it can be told about every write (`connected`).

    Every invalidation advances one counter (the epoch) and records it against each
    topic it names. An answer is valid while none of its topics has been invalidated
    since its computation began: a write to another topic, even one that arrives while
    the answer is being computed, costs it nothing.
    """

    def __init__(
        self,
        max_bytes: int,
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age = max_age_seconds
        self._clock = clock
        self._entries: LRUCache[Hashable, Entry] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda entry: entry.size
        )
        self._changed: dict[str, int] = {}  # topic -> the epoch of its last invalidation
        self._cleared = 0  # the epoch of the last "everything"
        self._epoch = 0
        self._connected = False
        self.hits = self.misses = 0
        # Names this cache in the notifications of its own process's writes, which it
        # applies itself at commit: their echo through LISTEN is then skipped, instead
        # of evicting what was computed after the write (topics.py, listener.py).
        self.origin = uuid.uuid4().hex

    @property
    def connected(self) -> bool:
        return self._connected

    def set_connected(self, connected: bool) -> None:
        """Called by the listener: whatever happened while it was away is unknown."""
        self._connected = connected
        self.invalidate([EVERYTHING])

    @property
    def epoch(self) -> int:
        """Take before reading the database; pass to `put`, which refuses the value if
        one of its topics was invalidated since (it may have been read before the write)."""
        return self._epoch

    def _moved(self, topics: Iterable[str], mark: int) -> bool:
        changed = self._changed
        return any(changed.get(topic, 0) > mark for topic in topics)

    def get(self, key: Hashable) -> Any | None:
        if not self._connected:
            return None
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if self._clock() >= entry.expires_at or self._moved(entry.topics, entry.mark):
            self._entries.pop(key, None)
            self.misses += 1
            return None
        self.hits += 1
        return entry.value

    def put(
        self,
        key: Hashable,
        value: Any,
        *,
        topics: Iterable[str],
        epoch: int,
        size: int,
        max_age: float | None = None,
    ) -> None:
        names = tuple(set(topics))
        if (
            not self._connected
            or epoch < self._cleared
            or size > self._entries.maxsize
            or self._moved(names, epoch)
        ):
            return
        age = self.max_age if max_age is None else min(max_age, self.max_age)
        self._entries[key] = Entry(value, size, names, epoch, self._clock() + age)

    def invalidate(self, topics: Iterable[str]) -> None:
        self._epoch += 1
        epoch, changed = self._epoch, self._changed
        for topic in topics:
            if topic == EVERYTHING or len(changed) >= MAX_TRACKED_TOPICS:
                self._entries.clear()
                changed.clear()
                self._cleared = epoch
                return
            changed[topic] = epoch

    def stats(self) -> dict[str, int]:
        return {
            "entries": len(self._entries),
            "bytes": int(self._entries.currsize),
            "hits": self.hits,
            "misses": self.misses,
        }
