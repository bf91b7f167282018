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


class _Malformed(Exception):
    """A range-spec that does not parse: the whole header is ignored."""


def judge(header: str | None, size: int) -> Judged:
    """What to serve for this `Range` header on a file of `size` bytes."""
    specs = _byte_range_specs(header)
    if not specs:
        return None
    try:
        spans = [span for spec in specs if (span := _span(spec, size)) is not None]
    except _Malformed:
        return None
    if not spans:
        return Unsatisfiable(size)
    merged = _coalesced(spans)
    if len(merged) > MAX_RANGES:
        return None
    return Ranges(tuple(merged))


def _byte_range_specs(header: str | None) -> list[str]:
    """The non-empty range-specs of a `bytes=` header; none for another unit, no header
    or too many specs (each of which means: ignore the header)."""
    if header is None:
        return []
    unit, eq, spec_set = header.partition("=")
    if not eq or unit.strip(_OWS).lower() != "bytes":
        return []
    specs = spec_set.split(",")
    if len(specs) > MAX_SPECS:
        return []
    # The list rule allows empty elements.
    return [spec for raw in specs if (spec := raw.strip(_OWS))]


def _span(spec: str, size: int) -> tuple[int, int] | None:
    """One range-spec clamped to the file, None where it asks only for bytes past the end;
    raises _Malformed where it does not parse."""
    first_text, dash, last_text = spec.partition("-")
    if not dash:
        raise _Malformed
    if first_text == "":
        return _suffix_span(last_text, size)
    first = _position(first_text)
    last = _position(last_text) if last_text else _HUGE
    if first is None or last is None or last < first:
        raise _Malformed
    return (first, min(last, size - 1)) if first < size else None


def _suffix_span(length_text: str, size: int) -> tuple[int, int] | None:
    """A suffix-range: the last N bytes."""
    length = _position(length_text)
    if length is None:
        raise _Malformed
    if length > 0 and size > 0:
        return (max(0, size - length), size - 1)
    return None


def _coalesced(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or adjacent spans merged into one."""
    spans = sorted(spans)
    merged = [spans[0]]
    for first, last in spans[1:]:
        if first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
