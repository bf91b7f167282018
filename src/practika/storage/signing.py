"""Signed, expiring URLs for the app's own `/media/` routes (local storage mode)."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

PARTS_PREFIX = "/media/parts"
FILES_PREFIX = "/media/files"


def _signature(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def _message(method: str, path: str, expires: int, max_bytes: int | None) -> str:
    return f"{method}\n{path}\n{expires}\n{max_bytes if max_bytes is not None else ''}"


def sign(
    secret: bytes, method: str, path: str, *, expires_in: int, max_bytes: int | None = None
) -> str:
    """`path` plus the query that proves we issued it, valid for `expires_in` seconds."""
    expires = int(time.time()) + expires_in
    query: dict[str, str | int] = {"exp": expires}
    if max_bytes is not None:
        query["max"] = max_bytes
    query["sig"] = _signature(secret, _message(method, path, expires, max_bytes))
    return f"{quote(path)}?{urlencode(query)}"


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # "³".isdigit() too, but int("³") fails


def verify(
    secret: bytes, method: str, path: str, *, exp: str, sig: str, max_bytes: str | None = None
) -> str | None:
    """None when the signature holds and has not expired, else why not."""
    if not _number(exp) or (max_bytes is not None and not _number(max_bytes)):
        return "malformed"
    if not (sig.isascii() and len(sig) == 64):  # compare_digest refuses non-ASCII text
        return "bad signature"
    expected = _signature(
        secret, _message(method, path, int(exp), int(max_bytes) if max_bytes else None)
    )
    if not hmac.compare_digest(expected, sig):
        return "bad signature"
    if int(exp) < time.time():
        return "expired"
    return None
