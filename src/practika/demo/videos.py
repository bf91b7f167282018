"""The demo's two videos: placeholders (facts without bytes) or real generated clips,
stored and processed like an upload so the demo really plays."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

from practika.config import Settings
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus


def placeholder_video(owner: User, name: str, duration_ms: int) -> Video:
    """A ready video's facts without its bytes; the media pipeline seeds real clips."""
    return Video(
        owner_id=owner.id,
        original_name=name,
        declared_content_type="video/mp4",
        detected_content_type="video/mp4",
        storage_key=f"demo/{uuid.uuid4()}/{name}",
        status=VideoStatus.READY,
        container="mp4",
        video_codec="h264",
        audio_codec="aac",
        duration_ms=duration_ms,
        width=720,
        height=1280,
        fps=30.0,
        rotation=0,
        size_bytes=duration_ms * 250,
    )


async def real_video(
    owner: User, name: str, duration_ms: int, settings: Settings, depth_deg: float, warp: bool
) -> Video:
    """A generated clip, stored and processed like an upload, so the demo really plays."""
    # The media extras load only here: placeholder demos need none of them.
    from practika.demo.clips import squat_clip
    from practika.media.tasks import asset_keys, process_file
    from practika.storage import build_storage
    from practika.storage.serving import original_key

    storage = build_storage(settings)
    video_id = uuid.uuid4()
    key = original_key(video_id)

    def make() -> tuple[int, object]:
        with tempfile.TemporaryDirectory() as tmp:
            # A figure the pose model tracks: the learner's squats are shallower and their
            # tempo drifts, so movement analysis has something to show (docs/analysis.md).
            clip = squat_clip(
                Path(tmp) / name,
                seconds=duration_ms / 1000,
                size=(360, 640),
                fps=24,
                period_s=4.0,
                depth_deg=depth_deg,
                warp=drifting_tempo if warp else None,
            )
            storage.put_file(key, clip, "video/mp4")
            return clip.stat().st_size, process_file(storage, settings, video_id, key)

    size, done = await asyncio.to_thread(make)
    facts, keys = done.probe, asset_keys(video_id)  # type: ignore[attr-defined]
    width, height = facts.display_size
    return Video(
        id=video_id,
        owner_id=owner.id,
        original_name=name,
        declared_content_type="video/mp4",
        detected_content_type=facts.content_type,
        size_bytes=size,
        sha256=done.sha256,  # type: ignore[attr-defined]
        storage_key=key,
        status=VideoStatus.READY,
        container=facts.container,
        video_codec=facts.video_codec,
        audio_codec=facts.audio_codec,
        duration_ms=facts.duration_ms,
        width=width,
        height=height,
        fps=facts.fps,
        rotation=facts.rotation,
        rendition_key=keys["rendition"],
        poster_key=keys["poster"],
        sprite_key=keys["sprite"],
        sprite_index=done.rendered.sprite_index,  # type: ignore[attr-defined]
    )


def drifting_tempo(t: float) -> float:
    """A learner who starts slow and speeds up: movement time at clip time t."""
    return 0.8 * t + 0.012 * t * t
