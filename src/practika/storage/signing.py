"""Signed, expiring URLs for the app's own `/media/` routes (local storage mode)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from urllib.parse import quote, urlencode

PARTS_PREFIX = "/media/parts"
FILES_PREFIX = "/media/files"
# Signed response overrides (like S3's response-content-type): what the file is served as.
RESPONSE_PARAMS = ("type", "name")


def _signature(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def _message(
    method: str, path: str, expires: int, max_bytes: int | None, response: Mapping[str, str]
) -> str:
    message = f"{method}\n{path}\n{expires}\n{max_bytes if max_bytes is not None else ''}"
    signed = {k: response[k] for k in RESPONSE_PARAMS if k in response}
    if signed:  # JSON: no value can pass for another field; none: older URLs still verify
        message += "\n" + json.dumps(signed, sort_keys=True)
    return message


def sign(
    secret: bytes,
    method: str,
    path: str,
    *,
    expires_in: int,
    max_bytes: int | None = None,
    response: Mapping[str, str] | None = None,
) -> str:
    """`path` plus the query that proves we issued it, valid for `expires_in` seconds;
    `response` (type, name) says how to serve it, under the same signature."""
    expires = int(time.time()) + expires_in
    extra = {k: response[k] for k in RESPONSE_PARAMS if response and k in response}
    query: dict[str, str | int] = {"exp": expires}
    if max_bytes is not None:
        query["max"] = max_bytes
    query.update(extra)
    query["sig"] = _signature(secret, _message(method, path, expires, max_bytes, extra))
    return f"{quote(path)}?{urlencode(query)}"


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # "³".isdigit() too, but int("³") fails


def verify(
    secret: bytes,
    method: str,
    path: str,
    *,
    exp: str,
    sig: str,
    max_bytes: str | None = None,
    response: Mapping[str, str] | None = None,
) -> str | None:
    """None when the signature holds and has not expired, else why not."""
    if not _number(exp) or (max_bytes is not None and not _number(max_bytes)):
        return "malformed"
    if not (sig.isascii() and len(sig) == 64):  # compare_digest refuses non-ASCII text
        return "bad signature"
    max_value = int(max_bytes) if max_bytes else None
    expected = _signature(secret, _message(method, path, int(exp), max_value, response or {}))
    if not hmac.compare_digest(expected, sig):
        return "bad signature"
    if int(exp) < time.time():
        return "expired"
    return None
