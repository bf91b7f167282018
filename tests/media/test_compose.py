"""The compositor on real files: a voice-over review and an annotated export, checked
by decoding what was written (duration, sound, and drawings by their pixels)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from PIL import Image

from practika.domain import reviews
from practika.domain.comments import Comment
from practika.media.compose import ComposeOptions, compose
from practika.media.exports import AnnotatedPlan, ReviewPlan, annotations_of
from practika.media.probe import ProbeLimits, probe
from practika.media.render import RenderOptions, render
from tests.media.clips import make_audio_only, make_clip

LIMITS = ProbeLimits(("mov", "mp4", "matroska", "webm"), 4096, 3600)
BLUE = "#0000ff"
# A thick blue line across the lower right, where the test pattern is plain dark grey.
LINE = {"type": "line", "points": [[0.5, 0.6], [0.9, 0.6]], "color": BLUE, "width": 0.06}


@pytest.fixture(scope="module")
def attempt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s attempt's rendition, as the pipeline makes it."""
    folder = tmp_path_factory.mktemp("attempt")
    clip = make_clip(folder / "a.mp4", size=(160, 120), seconds=3, fps=15, audio=True)
    return render(clip, probe(clip, LIMITS), folder, RenderOptions()).rendition


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4 s voice, processed as a clip of audio alone."""
    folder = tmp_path_factory.mktemp("voice")
    raw = make_audio_only(folder / "voice.m4a", seconds=4)
    facts = probe(raw, LIMITS, audio_alone_ok=True)
    assert facts.video_codec is None and facts.duration_ms >= 3900
    return render(raw, facts, folder, RenderOptions()).rendition


def frames_of(path: Path) -> list[tuple[float, Image.Image]]:
    with av.open(str(path)) as f:
        stream = f.streams.video[0]
        return [(float(fr.pts * stream.time_base * 1000), fr.to_image()) for fr in f.decode(stream)]


def facts(path: Path) -> tuple[float, bool]:
    with av.open(str(path)) as f:
        return f.duration / 1000, bool(f.streams.audio)


def is_blue(image: Image.Image, x: float, y: float) -> bool:
    r, g, b = image.getpixel((int(x * image.width), int(y * image.height)))  # type: ignore[misc]
    return b > 160 and r < 90 and g < 90


def test_a_voice_over_follows_the_coach_pauses_hold_drawings_appear_when_drawn(
    attempt: Path, voice: Path, tmp_path: Path
) -> None:
    A = reviews.Action
    events = [
        reviews.Event(0, A.PAUSE, 500),
        reviews.Event(1000, A.DRAW, 500, shape=LINE),
        reviews.Event(2000, A.CLEAR, 500),
        reviews.Event(2000, A.PLAY, 500),
        reviews.Event(2500, A.RATE, 1000, rate=0.5),
        reviews.Event(3500, A.SEEK, 2800),
        reviews.Event(3500, A.PAUSE, 2800),
    ]
    timeline = reviews.check(events, video_ms=3000, audio_ms=4000)
    out = compose(attempt, tmp_path / "review.mp4", ReviewPlan(timeline, 4000), audio=voice)

    duration, has_sound = facts(out.path)
    assert 3900 <= duration <= 4200
    assert has_sound
    frames = frames_of(out.path)
    drawn = [t for t, image in frames if is_blue(image, 0.7, 0.6)]
    assert drawn, "the drawing is in no frame"
    assert 1000 <= min(drawn) < 1100 and 1900 <= max(drawn) < 2000
    # Paused: the same frame from the start to the drawing.
    held = [image for t, image in frames if t < 1000]
    assert all(image.tobytes() == held[0].tobytes() for image in held[-3:])
    # Slow motion: twice as many output frames for a second of the attempt.
    moving = [image for t, image in frames if 2500 <= t < 3500]
    assert len({image.tobytes() for image in moving}) < len(moving)


def test_an_annotated_export_shows_each_comment_over_its_range(
    attempt: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    note = Comment(
        t_start_ms=1000,
        t_end_ms=2000,
        body="Knees out",
        drawing={"shapes": [LINE]},
        created_at=datetime.now(UTC),
    )
    plan = AnnotatedPlan(annotations_of([(note, "Ana")], 3000), 3000)
    out = compose(attempt, tmp_path / "annotated.mp4", plan, audio=attempt)

    duration, has_sound = facts(out.path)
    assert 2900 <= duration <= 3200 and has_sound
    for t, image in frames_of(out.path):
        inside = 1000 <= t < 2000
        assert is_blue(image, 0.7, 0.6) == inside, t
        # The caption's band darkens the bottom left (the pattern is green there).
        band = image.crop((0, int(image.height * 0.86), image.width // 3, image.height))
        pixels = list(band.get_flattened_data())
        greenish = sum(p[1] for p in pixels) / len(pixels)  # type: ignore[index]
        white = sum(1 for p in pixels if min(p) > 200)  # type: ignore[call-overload]
        if inside:
            assert greenish < 150 and white > 0, t
        else:
            assert greenish > 150 and white == 0, t


def test_composing_twice_with_the_same_options_writes_the_same_length(
    attempt: Path, tmp_path: Path
) -> None:
    plan = AnnotatedPlan([], 3000)
    a = compose(attempt, tmp_path / "a.mp4", plan, audio=None, options=ComposeOptions())
    assert a.frames == 45 and not facts(a.path)[1]
