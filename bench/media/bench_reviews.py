"""Export rendering benchmark (not a test): a 60 s voice-over review and an annotated
export, each against the plain processing (probe + rendition) of the same attempt.

All three run in one process, one after the other, on the same generated attempt, so
their ratios are comparable within a run even on a shared, noisy machine.

    .venv/bin/python bench/media/bench_reviews.py --attempt-seconds 30 --voice-seconds 60
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from practika.demo.clips import squat_clip  # noqa: E402
from practika.domain import reviews  # noqa: E402
from practika.domain.comments import Comment  # noqa: E402
from practika.media.compose import compose  # noqa: E402
from practika.media.exports import AnnotatedPlan, ReviewPlan, annotations_of  # noqa: E402
from practika.media.probe import ProbeLimits, probe  # noqa: E402
from practika.media.render import RenderOptions, render  # noqa: E402

LIMITS = ProbeLimits(("mov", "mp4", "matroska", "webm"), 8192, 3 * 3600)


def make_voice(path: Path, seconds: float) -> Path:
    """A spoken-length tone as Opus in WebM, the way a browser records a voice."""
    with av.open(str(path), "w", format="webm", options={"live": "1"}) as out:
        sound = out.add_stream("libopus", rate=48000)
        sound.layout = "mono"
        step, pts = 960, 0
        while pts < seconds * 48000:
            frame = av.AudioFrame(format="flt", layout="mono", samples=step)
            frame.planes[0].update(
                b"".join(
                    __import__("struct").pack(
                        "f", 0.2 * math.sin(2 * math.pi * 200 * (pts + j) / 48000)
                    )
                    for j in range(step)
                )
            )
            frame.sample_rate, frame.pts, frame.time_base = 48000, pts, Fraction(1, 48000)
            pts += step
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode(None):
            out.mux(packet)
    return path


def review_events(attempt_ms: int, voice_ms: int) -> list[reviews.Event]:
    """A coach's minute: play, pause and draw, slow motion, scrub back, play again."""
    A, q = reviews.Action, voice_ms // 6
    line = {"type": "arrow", "points": [[0.2, 0.2], [0.6, 0.7]], "color": "#ffd60a"}
    circle = {"type": "circle", "points": [[0.4, 0.4], [0.7, 0.8]], "color": "#ff3b30"}
    pen = {
        "type": "freehand",
        "points": [[0.1 + i / 200, 0.5 + 0.1 * math.sin(i / 10)] for i in range(150)],
    }
    first = min(attempt_ms, q)
    return [
        reviews.Event(0, A.PLAY, 0),
        reviews.Event(q, A.PAUSE, first),
        reviews.Event(q + 2000, A.DRAW, first, shape=line),
        reviews.Event(q + 4000, A.DRAW, first, shape=circle),
        reviews.Event(q + 6000, A.DRAW, first, shape=pen),
        reviews.Event(2 * q, A.CLEAR, first),
        reviews.Event(2 * q, A.RATE, first, rate=0.5),
        reviews.Event(2 * q, A.PLAY, first),
        reviews.Event(4 * q, A.SEEK, 0),
        reviews.Event(4 * q, A.RATE, 0, rate=1.0),
    ]


def annotated_comments(attempt_ms: int, count: int = 10) -> list[tuple[Comment, str]]:
    from datetime import UTC, datetime

    step = attempt_ms // count
    shape = {"type": "arrow", "points": [[0.3, 0.3], [0.6, 0.6]], "color": "#ff3b30"}
    return [
        (
            Comment(
                t_start_ms=i * step,
                t_end_ms=i * step + step // 2,
                body=f"Cue {i + 1}: keep the knees out over the toes and the chest up",
                drawing={"shapes": [shape]} if i % 2 == 0 else None,
                created_at=datetime.now(UTC),
            ),
            "Coach Ana",
        )
        for i in range(count)
    ]


def timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempt-seconds", type=float, default=30.0)
    parser.add_argument("--voice-seconds", type=float, default=60.0)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=30)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    options = RenderOptions()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clip = squat_clip(
            work / "attempt.mp4", seconds=args.attempt_seconds, fps=args.fps, size=(width, height)
        )
        (plain_dir := work / "plain").mkdir()
        plain, plain_s = timed(lambda: render(clip, probe(clip, LIMITS), plain_dir, options))
        rendition = plain.rendition
        raw_voice = make_voice(work / "voice.webm", args.voice_seconds)
        (voice_dir := work / "voice").mkdir()
        voice_facts = probe(raw_voice, LIMITS, audio_alone_ok=True)
        voice, voice_s = timed(lambda: render(raw_voice, voice_facts, voice_dir, options))
        attempt_ms = probe(rendition, LIMITS).duration_ms
        events = review_events(attempt_ms, voice_facts.duration_ms)
        timeline = reviews.check(events, video_ms=attempt_ms, audio_ms=voice_facts.duration_ms)
        plan = ReviewPlan(timeline, voice_facts.duration_ms)
        review, review_s = timed(
            lambda: compose(rendition, work / "review.mp4", plan, audio=voice.rendition)
        )
        notes = AnnotatedPlan(
            annotations_of(annotated_comments(attempt_ms), attempt_ms), attempt_ms
        )
        _annotated, annotated_s = timed(
            lambda: compose(rendition, work / "annotated.mp4", notes, audio=rendition)
        )
    result = {
        "machine": f"{platform.node()} {platform.machine()} {platform.python_version()}",
        "attempt": f"{args.attempt_seconds:g} s {width}x{height} {args.fps} fps",
        "plain_processing_s": round(plain_s, 2),
        "voice_processing_s": round(voice_s, 2),
        "review_render_s": round(review_s, 2),
        "review_seconds": round(review.duration_ms / 1000, 1),
        "annotated_render_s": round(annotated_s, 2),
        "review_vs_plain": round(review_s / plain_s, 2),
        "annotated_vs_plain": round(annotated_s / plain_s, 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
