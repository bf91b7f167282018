"""Password hashing, opaque tokens and HMAC signatures."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from practika.config import Settings


class Passwords:
    """argon2id hashing with the configured cost; rehashes when the cost changes."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        # Verified against on unknown emails, so that timing does not reveal which exist.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

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
