"""A thread's (or one video's) feedback as files: CSV and JSON for the record, WebVTT
captions for a player. Readable by whoever may read the thread; deleted comments are left
out (their text lives in history, not in an export)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from practika.domain import measures
from practika.domain.comments import Comment
from practika.domain.errors import Invalid
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.videos import Video
from practika.services import threads

Format = Literal["csv", "json", "vtt"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "vtt": "text/vtt; charset=utf-8",
}
CSV_COLUMNS = (
    "comment_id",
    "video",
    "start",
    "end",
    "t_start_ms",
    "t_end_ms",
    "author",
    "kind",
    "text",
    "tags",
    "shapes",
    "tools",
    "reply_to_id",
    "created_at",
)


@dataclass(frozen=True)
class Item:
    comment: Comment
    video_label: str  # "reference" or "attempt <n>"
    tools: list[str]  # each measure's label, as the player shows it


@dataclass(frozen=True)
class Feedback:
    thread: PracticeThread
    video_id: uuid.UUID | None
    items: list[Item]


async def gather(
    db: AsyncSession, actor: Any, thread_id: uuid.UUID, video_id: uuid.UUID | None
) -> Feedback:
    thread = await threads.get_visible(db, actor, thread_id)
    attempts = (
        await db.scalars(
            select(Attempt).where(Attempt.thread_id == thread.id).order_by(Attempt.created_at)
        )
    ).all()
    names = {a.video_id: f"attempt {n}" for n, a in enumerate(attempts, start=1)}
    if thread.exercise.reference_video_id:
        names[thread.exercise.reference_video_id] = "reference"
    if video_id is not None and video_id not in names:
        raise Invalid(
            "Export the feedback of this thread's reference or one of its attempts.",
            {"field": "video_id"},
        )
    stmt = (
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.thread_id == thread.id, Comment.deleted_at.is_(None))
        .order_by(Comment.t_start_ms, Comment.created_at, Comment.id)
    )
    if video_id is not None:
        stmt = stmt.where(Comment.video_id == video_id)
    rows = (await db.scalars(stmt)).all()
    shown = {c.video_id for c in rows}
    facts = {v.id: v for v in (await db.scalars(select(Video).where(Video.id.in_(shown)))).all()}
    items = []
    for c in rows:
        video = facts.get(c.video_id)
        aspect = video.width / video.height if video and video.width and video.height else 1.0
        tools = measures.labels(
            (c.drawing or {}).get("measures") or [],
            aspect=aspect,
            fps=video.fps if video else None,
        )
        items.append(Item(c, names.get(c.video_id, "video"), tools))
    return Feedback(thread, video_id, items)


def _timecode(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _record(item: Item) -> dict[str, Any]:
    c = item.comment
    drawing = c.drawing or {}
    return {
        "comment_id": str(c.id),
        "video_id": str(c.video_id),
        "video": item.video_label,
        "start": _timecode(c.t_start_ms),
        "end": _timecode(c.t_end_ms),
        "t_start_ms": c.t_start_ms,
        "t_end_ms": c.t_end_ms,
        "author": c.author.display_name,
        "kind": c.kind.value if c.kind else None,
        "text": c.body,
        "tags": list(c.tags or []),
        "shapes": len(drawing.get("shapes") or []),
        "tools": item.tools,
        "measures": drawing.get("measures") or [],
        "compare": drawing.get("compare"),
        "reply_to_id": str(c.reply_to_id) if c.reply_to_id else None,
        "created_at": c.created_at.isoformat(),
    }


def to_json(feedback: Feedback) -> str:
    t = feedback.thread
    return json.dumps(
        {
            "thread_id": str(t.id),
            "exercise": t.exercise.title,
            "video_id": str(feedback.video_id) if feedback.video_id else None,
            "comments": [_record(i) for i in feedback.items],
        },
        ensure_ascii=False,
        indent=2,
    )


def _cell(value: Any) -> str:
    text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    # A spreadsheet runs a cell that starts like a formula: written text must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(feedback: Feedback) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in feedback.items:
        record = _record(item)
        writer.writerow([_cell(record[k]) for k in CSV_COLUMNS])
    return out.getvalue()


def _caption(text: str) -> str:
    # A blank line ends a cue and "-->" starts one: neither may appear inside a caption.
    lines = [line.strip() for line in text.replace("-->", "→").splitlines() if line.strip()]
    return "\n".join(lines)


def to_vtt(feedback: Feedback) -> str:
    if feedback.video_id is None:
        raise Invalid(
            "WebVTT captions belong to one video: pass video_id (the reference or an attempt).",
            {"field": "video_id"},
        )
    cues = ["WEBVTT", ""]
    for n, item in enumerate(feedback.items, start=1):
        c = item.comment
        # A comment on one moment shows for a second, long enough to be read.
        end = c.t_end_ms if c.t_end_ms > c.t_start_ms else c.t_start_ms + 1000
        who = c.author.display_name + (f" ({c.kind.value})" if c.kind else "")
        text = _caption(f"{who}: {c.body}")
        if item.tools:
            text += "\n" + _caption(" · ".join(item.tools))
        cues += [str(n), f"{_timecode(c.t_start_ms)} --> {_timecode(end)}", text, ""]
    return "\n".join(cues)


RENDERERS = {"csv": to_csv, "json": to_json, "vtt": to_vtt}


def render(feedback: Feedback, fmt: Format) -> str:
    return RENDERERS[fmt](feedback)


def filename(feedback: Feedback, fmt: Format) -> str:
    title = feedback.thread.exercise.title.lower()
    slug = "".join(ch if ch.isalnum() else "-" for ch in title).strip("-")[:60] or "thread"
    return f"feedback-{'-'.join(filter(None, slug.split('-')))}.{fmt}"
