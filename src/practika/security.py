"""Password hashing, opaque tokens and HMAC signatures."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from practika.config import Settings
from practika.domain.errors import Overloaded

T = TypeVar("T")

# How much lower the hashing threads' CPU priority is than the rest of the process's.
HASH_NICENESS = 10


def _below_requests() -> None:
    """Runs in each hashing thread: nice +10 (about a tenth of a core's share when the
    cores are contended). A burst of sign-ins fills every core with hashing; without this
    a health check or a cheap read, which needs a fraction of a millisecond, waits behind
    them for whole time slices. Linux keeps a nice value per thread (the thread's id is
    a process id there); elsewhere the threads keep the process's priority."""
    if sys.platform == "linux":
        me = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + HASH_NICENESS)
        )


class Passwords:
    """argon2id hashing with the configured cost; rehashes when the cost changes.

    Requests use the `*_async` forms: a hash is ~0.2 s of CPU, so it runs in a small
    thread pool (argon2-cffi releases the GIL) instead of stalling the event loop, and
    at most `password_hash_workers + password_hash_queue` are admitted at once; the
    rest are shed with `Overloaded` rather than queued without bound.
    """

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        # Verified against on unknown emails, so that timing does not reveal which exist.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        self._pool = ThreadPoolExecutor(
            max_workers=settings.password_hash_workers,
            thread_name_prefix="argon2",
            initializer=_below_requests,
        )
        self._admitted = threading.BoundedSemaphore(
            settings.password_hash_workers + settings.password_hash_queue
        )

    async def _off_loop(self, work: Callable[[], T]) -> T:
        if not self._admitted.acquire(blocking=False):
            raise Overloaded(
                "The server is handling many sign-ins at once; try again in a moment.",
                retry_after_s=2,
            )

        def run() -> T:
            # Released when the hash is done, not when the request gives up waiting,
            # so the bound holds even for requests cut off mid-hash.
            try:
                return work()
            finally:
                self._admitted.release()

        try:
            future = self._pool.submit(run)
        except BaseException:
            self._admitted.release()
            raise
        return await asyncio.wrap_future(future)

    async def hash_async(self, password: str) -> str:
        return await self._off_loop(lambda: self.hash(password))

    async def verify_async(self, password_hash: str | None, password: str) -> bool:
        return await self._off_loop(lambda: self.verify(password_hash, password))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def verify_signature(key: bytes, message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(key, message), signature)


def csrf_token_for(key: bytes, session_token: str) -> str:
    """The CSRF token is derived from the session, so nothing extra is stored."""
    return sign(key, f"csrf:{token_hash(session_token)}")
