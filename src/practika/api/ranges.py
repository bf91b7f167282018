"""The `Range` header of a media GET, judged as RFC 9110 §14 says.

A header that does not parse (another unit, garbage, a last position before the
first) is ignored: the whole file is served with 200. One that parses but asks only
for bytes past the end is unsatisfiable: 416 with `Content-Range: bytes */<size>`.
Otherwise the satisfiable ranges are kept, clamped to the file and coalesced.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_RANGES = 16  # more (after coalescing) is ignored: a broken client or a DoS attempt
MAX_SPECS = 100  # range-specs looked at before the header is ignored
_DIGITS = frozenset("0123456789")
_HUGE = 1 << 64  # any position this large is past the end of any file we store
_OWS = " \t"


@dataclass(frozen=True)
class Unsatisfiable:
    size: int


@dataclass(frozen=True)
class Ranges:
    """Byte ranges, each `(first, last)` inclusive, sorted and not touching."""

    spans: tuple[tuple[int, int], ...]

    def header(self) -> str:
        return "bytes=" + ",".join(f"{first}-{last}" for first, last in self.spans)


Judged = Ranges | Unsatisfiable | None  # None: ignore the header, serve the whole file


def _position(text: str) -> int | None:
    if not text or not set(text) <= _DIGITS:
        return None
    return int(text) if len(text) <= 20 else _HUGE  # int() refuses > 4300 digits


def judge(header: str | None, size: int) -> Judged:
    """What to serve for this `Range` header on a file of `size` bytes."""
    if header is None:
        return None
    unit, eq, spec_set = header.partition("=")
    if not eq or unit.strip(_OWS).lower() != "bytes":
        return None
    specs = spec_set.split(",")
    if len(specs) > MAX_SPECS:
        return None
    wanted: list[tuple[int, int]] = []
    seen_any = False
    for raw in specs:
        spec = raw.strip(_OWS)
        if not spec:
            continue  # the list rule allows empty elements
        seen_any = True
        first_text, dash, last_text = spec.partition("-")
        if not dash:
            return None
        if first_text == "":  # suffix-range: the last N bytes
            length = _position(last_text)
            if length is None:
                return None
            if length > 0 and size > 0:
                wanted.append((max(0, size - length), size - 1))
            continue
        first = _position(first_text)
        last = _position(last_text) if last_text else _HUGE
        if first is None or last is None or last < first:
            return None
        if first < size:
            wanted.append((first, min(last, size - 1)))
    if not seen_any:
        return None
    if not wanted:
        return Unsatisfiable(size)
    wanted.sort()
    merged = [wanted[0]]
    for first, last in wanted[1:]:
        if first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    if len(merged) > MAX_RANGES:
        return None
    return Ranges(tuple(merged))
