"""What a valid time range on a video is."""

from __future__ import annotations

from practika.domain.errors import Conflict, Invalid


def format_ms(ms: int) -> str:
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}"


def check_range(t_start_ms: int, t_end_ms: int, duration_ms: int | None) -> None:
    """Raise unless 0 ≤ start ≤ end ≤ the video's probed duration."""
    if t_start_ms < 0:
        raise Invalid("The start time cannot be negative.", {"field": "t_start_ms"})
    if t_end_ms < t_start_ms:
        raise Invalid(
            f"The range ends ({format_ms(t_end_ms)}) before it starts ({format_ms(t_start_ms)}).",
            {"field": "t_end_ms"},
        )
    if duration_ms is None:
        raise Conflict(
            "This video has not been processed yet, so its length is unknown; "
            "comment once it is ready.",
            code="video_not_ready",
        )
    if t_end_ms > duration_ms:
        raise Invalid(
            f"The range ends at {format_ms(t_end_ms)}, after the video ends "
            f"({format_ms(duration_ms)}).",
            {"field": "t_end_ms", "duration_ms": duration_ms},
        )
