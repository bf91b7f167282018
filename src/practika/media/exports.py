"""The export stage: render a voice-over review or an annotated attempt into one MP4.

Both are plans for the one compositor (media/compose.py), over the attempt's
rendition (already upright, capped, a keyframe a second). The result is stored
next to the attempt's video (`videos/<id>/exports/<export id>.mp4`), so it goes
with the video and the orphan sweep accounts for it.
"""

from __future__ import annotations

import bisect
import logging
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
from sqlalchemy import select

from practika.domain import reviews
from practika.domain.comments import Comment, CommentKind
from practika.domain.exports import ExportKind, ExportStatus, MediaExport
from practika.domain.threads import Attempt
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.media.compose import Composed, ComposeOptions, Layers, Shape, compose
from practika.media.measuring import Measures
from practika.media.tasks import Handler, MediaContext
from practika.observability.metrics import metrics
from practika.storage import Storage, scratch, video_prefix

log = logging.getLogger("practika.media")
RENDER_EXPORT = "render_export"
# A comment on one moment shows its caption and drawing this long in an export (a
# single frame would flash by unread).
MIN_SHOWN_MS = 2500
MAX_CAPTION_CHARS = 200


def export_key(video_id: object, export_id: object) -> str:
    return f"{video_prefix(video_id)}exports/{export_id}.mp4"


@dataclass(frozen=True)
class Measured:
    """A comment's measuring tools and the part of the video they are shown over."""

    start_ms: int
    end_ms: int
    measures: Measures


class ReviewPlan:
    """A voice-over as the coach made it: the voice's clock, the coach's playhead. As in
    the player's replay, the measuring tools of the comments holding the frame shown are
    drawn over it (the review's own actions draw shapes only)."""

    def __init__(
        self,
        timeline: reviews.Timeline,
        duration_ms: int,
        measured: tuple[Measured, ...] = (),
        fps: float | None = None,
    ) -> None:
        self.timeline, self.duration_ms = timeline, duration_ms
        self.measured = measured
        self.frame_ms = 1000 / (fps if fps and fps > 0 else 30)
        # The drawings change only at draw and clear actions: the layers between them.
        self._at: list[int] = [0]
        self._layers: list[Layers] = [Layers()]
        shapes: tuple[Shape, ...] = ()
        for event in timeline.events:
            if event.action == reviews.Action.CLEAR:
                shapes = ()
            elif event.action == reviews.Action.DRAW and event.shape is not None:
                shapes = (*shapes, Shape.of(event.shape))
            else:
                continue
            self._at.append(event.at_ms)
            self._layers.append(Layers(shapes))

    def source_ms(self, t_ms: float) -> float:
        return self.timeline.state_at(t_ms).position_ms

    def layers_at(self, t_ms: float) -> Layers:
        drawn = self._layers[bisect.bisect_right(self._at, t_ms) - 1]
        if not self.measured:
            return drawn
        at = self.source_ms(t_ms)
        # The player's rule (drawingsAt in web/src/features/review/drawing.ts): from half a
        # frame before the start, a comment on one moment for one frame.
        shown = tuple(
            m.measures
            for m in self.measured
            if m.start_ms - self.frame_ms / 2
            <= at
            < (m.end_ms if m.end_ms > m.start_ms else m.start_ms + self.frame_ms)
        )
        return Layers(drawn.shapes, drawn.captions, shown)


@dataclass(frozen=True)
class Annotation:
    start_ms: int
    end_ms: int
    caption: str | None
    shapes: tuple[Shape, ...]
    measures: Measures | None = None


class AnnotatedPlan:
    """The attempt as it is, with each comment's caption and drawing over its range."""

    def __init__(self, annotations: list[Annotation], duration_ms: int) -> None:
        self.annotations, self.duration_ms = annotations, duration_ms

    def source_ms(self, t_ms: float) -> float:
        return t_ms

    def layers_at(self, t_ms: float) -> Layers:
        shown = [a for a in self.annotations if a.start_ms <= t_ms < a.end_ms]
        return Layers(
            tuple(s for a in shown for s in a.shapes),
            tuple(a.caption for a in shown if a.caption),
            tuple(a.measures for a in shown if a.measures),
        )


def annotations_of(
    comments: list[tuple[Comment, str]], duration_ms: int, fps: float | None = None
) -> list[Annotation]:
    """Each live comment (with its author's name) as an annotation, in timeline order;
    `fps` is the video's, which its stopwatches count frames in."""
    found = []
    for comment, author in sorted(comments, key=lambda c: (c[0].t_start_ms, c[0].created_at)):
        if comment.deleted_at is not None:
            continue
        end = comment.t_end_ms
        if end <= comment.t_start_ms:
            end = comment.t_start_ms + MIN_SHOWN_MS
        text = " ".join(comment.body.split())
        if len(text) > MAX_CAPTION_CHARS:
            text = text[: MAX_CAPTION_CHARS - 1] + "…"
        shapes = tuple(Shape.of(s) for s in (comment.drawing or {}).get("shapes", []))
        found.append(
            Annotation(
                comment.t_start_ms,
                min(end, duration_ms),
                f"{author}: {text}",
                shapes,
                Measures.of(comment.drawing, fps),
            )
        )
    return found


def measured_of(comments: list[Comment], fps: float | None) -> tuple[Measured, ...]:
    """The live comments' measuring tools with their ranges, for a review's render."""
    found = []
    for comment in comments:
        group = None if comment.deleted_at is not None else Measures.of(comment.drawing, fps)
        if group is not None:
            found.append(Measured(comment.t_start_ms, comment.t_end_ms, group))
    return tuple(found)


@dataclass
class _Job:
    export: MediaExport
    source_key: str
    audio_key: str | None  # the voice's rendition; None: the source's own sound
    plan: ReviewPlan | AnnotatedPlan


async def _load(ctx: MediaContext, export_id: uuid.UUID) -> _Job | str | None:
    """What to render, a reason it cannot be, or None when there is nothing to do."""
    async with ctx.sessions() as db:
        export = await db.get(MediaExport, export_id)
        if export is None or export.status in (ExportStatus.READY, ExportStatus.FAILED):
            return None
        row = (
            await db.execute(
                select(Attempt, Video)
                .join(Video, Video.id == Attempt.video_id)
                .where(Attempt.id == export.attempt_id)
            )
        ).one_or_none()
        if row is None:
            return None
        attempt, video = row
        if video.status != VideoStatus.READY or not video.rendition_key or not video.duration_ms:
            return "The attempt's video is not ready."
        export.status = ExportStatus.RENDERING
        await db.commit()
        rows = (
            await db.execute(
                select(Comment, User.display_name)
                .join(User, User.id == Comment.author_id)
                .where(Comment.video_id == video.id, Comment.thread_id == attempt.thread_id)
            )
        ).all()
        notes = [(c, name) for c, name in rows]
        if export.kind == ExportKind.REVIEW:
            comment = await db.get(Comment, export.comment_id) if export.comment_id else None
            voice = await db.get(Video, comment.media_video_id) if comment else None
            if (
                comment is None
                or comment.deleted_at is not None
                or comment.kind != CommentKind.REVIEW
                or voice is None
                or not voice.rendition_key
                or not voice.duration_ms
            ):
                return "The review was deleted or its voice-over is missing."
            timeline = reviews.from_json(comment.review or {}, video.duration_ms)
            measured = measured_of([c for c, _ in notes], video.fps)
            plan: ReviewPlan | AnnotatedPlan = ReviewPlan(
                timeline, voice.duration_ms, measured, video.fps
            )
            return _Job(export, video.rendition_key, voice.rendition_key, plan)
        plan = AnnotatedPlan(annotations_of(notes, video.duration_ms, video.fps), video.duration_ms)
        return _Job(export, video.rendition_key, None, plan)


def render_file(storage: Storage, job: _Job, options: ComposeOptions, key: str) -> Composed:
    """The blocking part: fetch the rendition (and voice), compose, store the MP4."""
    with tempfile.TemporaryDirectory(dir=scratch.folder()) as tmp:
        with storage.local_copy(job.source_key) as source:
            if job.audio_key is None:
                done = compose(
                    source, Path(tmp) / "export.mp4", job.plan, audio=source, options=options
                )
            else:
                with storage.local_copy(job.audio_key) as voice:
                    done = compose(
                        source, Path(tmp) / "export.mp4", job.plan, audio=voice, options=options
                    )
        storage.put_file(key, done.path, "video/mp4")
        return done


async def render_export(ctx: MediaContext, payload: dict[str, Any]) -> None:
    export_id = uuid.UUID(payload["export_id"])
    job = await _load(ctx, export_id)
    if job is None:
        return
    if isinstance(job, str):
        await _finish(ctx, export_id, failure=job)
        return
    async with ctx.sessions() as db:
        video_id = await db.scalar(
            select(Attempt.video_id).where(Attempt.id == job.export.attempt_id)
        )
    key = export_key(video_id, export_id)
    options = ComposeOptions(crf=ctx.settings.rendition_crf, preset=ctx.settings.rendition_preset)
    started = time.perf_counter()
    try:
        done = await ctx.storage.run(render_file, job, options, key)
    except (ValueError, av.FFmpegError) as exc:
        await _finish(ctx, export_id, failure=f"The export could not be rendered: {exc}")
        return
    metrics.timing(
        "ExportRenderTime", (time.perf_counter() - started) * 1000, Kind=job.export.kind.value
    )
    size = await ctx.storage.size(key)
    await _finish(ctx, export_id, key=key, duration_ms=done.duration_ms, size=size)
    log.info("export %s ready (%s, %d ms)", export_id, job.export.kind.value, done.duration_ms)


async def _finish(
    ctx: MediaContext,
    export_id: uuid.UUID,
    *,
    failure: str | None = None,
    key: str | None = None,
    duration_ms: int | None = None,
    size: int | None = None,
) -> None:
    async with ctx.sessions() as db:
        export = await db.get(MediaExport, export_id)
        if export is None:  # its attempt went meanwhile: the video's prefix goes with it
            return
        if failure is not None:
            export.status, export.failure_reason = ExportStatus.FAILED, failure[:500]
        else:
            export.status, export.storage_key = ExportStatus.READY, key
            export.duration_ms, export.size_bytes = duration_ms, size
        await db.commit()


async def give_up_export(ctx: MediaContext, payload: dict[str, Any], error: str) -> None:
    await _finish(
        ctx,
        uuid.UUID(payload["export_id"]),
        failure="Rendering failed repeatedly on our side; please ask for the export again.",
    )


HANDLERS: dict[str, Handler] = {RENDER_EXPORT: render_export}
GIVE_UP = {RENDER_EXPORT: give_up_export}
