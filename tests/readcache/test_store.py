"""ReadCache on its own: per-topic epochs, age, size and the connected switch."""

from __future__ import annotations

import pytest

from practika.readcache import ReadCache, store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(max_bytes: int = 10_000, max_age: float = 60.0, clock: Clock | None = None) -> ReadCache:
    cache = ReadCache(max_bytes, max_age, clock=clock or Clock())
    cache.set_connected(True)
    return cache


def put(cache: ReadCache, key: str, value: object = None, *, topics=("t",), size=10, **kw) -> None:
    cache.put(
        key, key if value is None else value, topics=topics, epoch=cache.epoch, size=size, **kw
    )


def test_a_stored_answer_is_served_and_counted() -> None:
    cache = make()
    assert cache.get("k") is None
    put(cache, "k", {"v": 1})
    assert cache.get("k") == {"v": 1}
    assert cache.get("k") == {"v": 1}
    assert cache.stats() == {"entries": 1, "bytes": 10, "hits": 2, "misses": 1}


def test_an_answer_computed_while_an_invalidation_arrived_is_not_stored() -> None:
    cache = make()
    epoch = cache.epoch  # taken before reading the database
    cache.invalidate(["thread:1"])  # a write commits meanwhile
    cache.put("k", "stale", topics=["thread:1"], epoch=epoch, size=10)
    assert cache.get("k") is None
    assert cache.stats()["entries"] == 0


def test_an_invalidation_of_an_unrelated_topic_does_not_refuse_an_in_flight_put() -> None:
    # Epochs are per topic: a write elsewhere (another thread's comment) while this answer
    # was computed cannot have changed it. (An answer whose topics depend on what it read,
    # like progress's threads, also names the topic of that list: threads:<learner>.)
    cache = make()
    epoch = cache.epoch
    cache.invalidate(["thread:other"])
    cache.put("k", "v", topics=["thread:1"], epoch=epoch, size=10)
    assert cache.get("k") == "v"
    cache.invalidate(["thread:1"])
    assert cache.get("k") is None


def test_an_in_flight_put_is_refused_after_everything_even_for_a_new_topic() -> None:
    cache = make()
    epoch = cache.epoch
    cache.invalidate(["*"])
    cache.put("k", "v", topics=["never-seen"], epoch=epoch, size=10)
    assert cache.get("k") is None


def test_invalidating_a_topic_drops_exactly_the_entries_made_of_it() -> None:
    cache = make()
    put(cache, "a", topics=["thread:1", "people"])
    put(cache, "b", topics=["thread:2", "people"])
    put(cache, "c", topics=["catalog"])
    cache.invalidate(["thread:1"])
    assert cache.get("a") is None
    assert cache.get("b") == "b"
    assert cache.get("c") == "c"
    cache.invalidate(["people"])
    assert cache.get("b") is None
    assert cache.get("c") == "c"


def test_an_entry_stored_after_an_invalidation_is_served() -> None:
    cache = make()
    put(cache, "a", topics=["thread:1"])
    cache.invalidate(["thread:1"])
    assert cache.get("a") is None
    put(cache, "a", "fresh", topics=["thread:1"])  # computed after the write: current
    assert cache.get("a") == "fresh"
    cache.invalidate(["thread:1"])
    assert cache.get("a") is None


def test_everything_empties_the_cache() -> None:
    cache = make()
    for key, topic in (("a", "thread:1"), ("b", "user:2"), ("c", "catalog")):
        put(cache, key, topics=[topic])
    put(cache, "d", topics=[])
    cache.invalidate([store.EVERYTHING])
    assert [cache.get(k) for k in "abcd"] == [None] * 4
    assert cache.stats()["entries"] == 0
    assert cache.stats()["bytes"] == 0


def test_everything_among_other_topics_still_empties_the_cache() -> None:
    cache = make()
    put(cache, "a", topics=["catalog"])
    put(cache, "b", topics=["x"])
    cache.invalidate(["thread:9", store.EVERYTHING, "user:1"])
    assert cache.get("a") is None
    assert cache.get("b") is None


def test_an_entry_expires_at_the_cache_max_age() -> None:
    clock = Clock()
    cache = make(max_age=30, clock=clock)
    put(cache, "k")
    clock.now += 29.9
    assert cache.get("k") == "k"
    clock.now += 0.1
    assert cache.get("k") is None
    assert cache.stats()["entries"] == 0


def test_an_entry_max_age_is_capped_by_the_cache_max_age() -> None:
    clock = Clock()
    cache = make(max_age=30, clock=clock)
    put(cache, "short", max_age=5)
    put(cache, "long", max_age=3600)
    clock.now += 5
    assert cache.get("short") is None
    assert cache.get("long") == "long"
    clock.now += 25
    assert cache.get("long") is None


def test_an_entry_whose_max_age_has_passed_already_is_never_served() -> None:
    clock = Clock()
    cache = make(clock=clock)
    put(cache, "k", max_age=0)
    assert cache.get("k") is None
    put(cache, "k", max_age=-10)  # e.g. a sign-in session that just ended
    assert cache.get("k") is None


def test_the_size_bound_evicts_the_least_recently_used_by_bytes() -> None:
    cache = make(max_bytes=100)
    put(cache, "a", size=40)
    put(cache, "b", size=40)
    assert cache.get("a") == "a"  # a is now the most recently used
    put(cache, "c", size=40)  # 120 > 100: the least recently used (b) goes
    assert cache.get("b") is None
    assert cache.get("a") == "a"
    assert cache.get("c") == "c"
    assert cache.stats()["bytes"] == 80
    put(cache, "d", size=90)  # needs both others gone
    assert cache.get("a") is None
    assert cache.get("c") is None
    assert cache.get("d") == "d"
    assert cache.stats()["bytes"] <= 100


def test_an_entry_larger_than_the_whole_cache_is_not_stored_and_evicts_nothing() -> None:
    cache = make(max_bytes=100)
    put(cache, "a", size=60)
    put(cache, "huge", size=101)
    assert cache.get("huge") is None
    assert cache.get("a") == "a"


def test_nothing_is_stored_or_served_while_disconnected() -> None:
    cache = ReadCache(10_000, 60, clock=Clock())
    assert cache.connected is False  # a new cache waits for its listener
    put(cache, "k")
    assert cache.stats()["entries"] == 0
    cache.set_connected(True)
    put(cache, "k")
    assert cache.get("k") == "k"
    cache.set_connected(False)
    assert cache.get("k") is None
    put(cache, "j")
    assert cache.get("j") is None
    assert cache.stats()["entries"] == 0


def test_connecting_empties_the_cache_and_refuses_puts_begun_before() -> None:
    cache = make()
    put(cache, "k")
    epoch = cache.epoch
    cache.set_connected(False)
    cache.set_connected(True)
    # what was cached before the gap may have missed notifications
    assert cache.get("k") is None
    assert cache.stats()["entries"] == 0
    # a value computed across the gap is not stored either
    cache.put("j", "j", topics=["t"], epoch=epoch, size=10)
    assert cache.get("j") is None


def test_set_connected_true_again_still_empties_the_cache() -> None:
    cache = make()
    put(cache, "k")
    cache.set_connected(True)
    assert cache.get("k") is None


def test_tracked_topics_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_TRACKED_TOPICS", 3)
    cache = make()
    put(cache, "a", topics=["x"])
    cache.invalidate(["t1", "t2", "t3"])
    assert cache.get("a") == "a"
    cache.invalidate(["t4"])  # one too many: start over, with an empty cache
    assert cache.get("a") is None
    assert len(cache._changed) <= 3
    # and the cache still works afterwards
    put(cache, "b", topics=["t1"])
    assert cache.get("b") == "b"
    cache.invalidate(["t1"])
    assert cache.get("b") is None


def test_an_entry_made_of_no_topic_lives_until_everything_or_age() -> None:
    clock = Clock()
    cache = make(max_age=10, clock=clock)
    put(cache, "k", topics=[])
    cache.invalidate(["thread:1", "user:1", "catalog"])
    assert cache.get("k") == "k"
    clock.now += 10
    assert cache.get("k") is None
