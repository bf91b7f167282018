"""The cache itself: entries bounded by size and age, checked against topic generations."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

EVERYTHING = "*"
# Generations are kept per topic ever invalidated; past this many the cache starts over
# rather than grow without bound (an empty cache is always correct).
MAX_TRACKED_TOPICS = 200_000


@dataclass(slots=True)
class Entry:
    value: Any
    size: int
    topics: tuple[tuple[str, int], ...]  # (topic, its generation when computed)
    expires_at: float


class ReadCache:
    """Answers `get` only while it can be told about every write (`connected`)."""

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
        self._generations: dict[str, int] = {}
        self._epoch = 0
        self._connected = False
        self.hits = self.misses = 0

    @property
    def connected(self) -> bool:
        return self._connected

    def set_connected(self, connected: bool) -> None:
        """Called by the listener: whatever happened while it was away is unknown."""
        self._connected = connected
        self.invalidate([EVERYTHING])

    @property
    def epoch(self) -> int:
        """Take before reading the database; pass to `put` so that a value computed while
        an invalidation arrived is dropped instead of stored."""
        return self._epoch

    def get(self, key: Hashable) -> Any | None:
        if not self._connected:
            return None
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        generations = self._generations
        if self._clock() >= entry.expires_at or any(
            generations.get(topic, 0) != seen for topic, seen in entry.topics
        ):
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
        if not self._connected or epoch != self._epoch or size > self._entries.maxsize:
            return
        generations = self._generations
        seen = tuple((topic, generations.get(topic, 0)) for topic in set(topics))
        age = self.max_age if max_age is None else min(max_age, self.max_age)
        self._entries[key] = Entry(value, size, seen, self._clock() + age)

    def invalidate(self, topics: Iterable[str]) -> None:
        self._epoch += 1
        generations = self._generations
        for topic in topics:
            if topic == EVERYTHING or len(generations) >= MAX_TRACKED_TOPICS:
                self._entries.clear()
                generations.clear()
                return
            generations[topic] = generations.get(topic, 0) + 1

    def stats(self) -> dict[str, int]:
        return {
            "entries": len(self._entries),
            "bytes": int(self._entries.currsize),
            "hits": self.hits,
            "misses": self.misses,
        }
