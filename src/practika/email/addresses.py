"""Email addresses are normalised here, once, for every place that stores or compares one."""

from __future__ import annotations

import unicodedata

# Control characters (CR and LF above all) never reach a header: a name or subject holding
# them is flattened to one line, so nobody can add a header (Bcc:) through their name.
_CONTROL = {c: " " for c in range(0x20)} | {0x7F: " "}


def normalize_address(email: str) -> str:
    """NFC, no surrounding space, lower case: one spelling per address on every database."""
    return unicodedata.normalize("NFC", email).strip().lower()


def one_line(text: str, limit: int = 200) -> str:
    """A header-safe single line: control characters become spaces, runs of space one."""
    flat = " ".join(text.translate(_CONTROL).split())
    return flat[:limit]
