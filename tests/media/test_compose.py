"""The compositor on real files: a voice-over review and an annotated export, checked
by decoding what was written (duration, sound, and drawings by their pixels)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from PIL import Image, ImageDraw

from practika.domain import reviews
from practika.domain.comments import Comment
from practika.media.compose import ComposeOptions, compose
from practika.media.exports import AnnotatedPlan, Measured, ReviewPlan, annotations_of
from practika.media.measuring import Measures, tag
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


# The measuring tools, on a bigger picture so the labels are legible: an angle of 45.0°
# (on the frame's pixels) with its vertex in the plain dark grey lower right and its arms
# below, a calibrated ruler and a line it measures, and a stopwatch.
ANGLE = {"type": "angle", "points": [[0.6, 0.85], [0.6, 0.6], [0.75, 0.8]]}
TOOLS = {
    "measures": [
        ANGLE,
        {"type": "ruler", "points": [[0.4, 0.55], [0.55, 0.55]], "metres": 1},
        {"type": "line", "points": [[0.4, 0.7], [0.55, 0.7]]},
        {"type": "stopwatch", "start_ms": 100, "end_ms": 580},
    ]
}
ARM = (0.6, 0.75)  # on the angle's vertical arm, away from the points' dots
LABELS = ["45.0°", "1.00 m (ruler)", "1.00 m · 0.0° from level", "480 ms · 7 frames"]


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wide")
    clip = make_clip(folder / "w.mp4", size=(640, 480), seconds=2, fps=15)
    return render(clip, probe(clip, LIMITS), folder, RenderOptions()).rendition


def is_yellow(image: Image.Image, x: float, y: float) -> bool:
    """The tools' yellow (#ffd60a) on the grey: bright red and green, little blue. Read on
    the luma-heavy side, the arm being 3 px wide under 4:2:0 chroma."""
    r, g, b = image.getpixel((int(x * image.width), int(y * image.height)))  # type: ignore[misc]
    return r > 150 and g > 130 and b < min(r, g) - 60


def labelled(
    plain: Image.Image, text: str, at: tuple[float, float], *, watch: bool = False
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """`plain` with one label painted as the compositor paints it, and the tag's box."""
    overlay = Image.new("RGBA", plain.size, (0, 0, 0, 0))
    box = tag(ImageDraw.Draw(overlay), text, *at, "#ffd60a", plain.size, watch=watch)
    picture = plain.copy()
    picture.paste(overlay, (0, 0), overlay)
    return picture, box


def closer(
    image: Image.Image, expected: Image.Image, other: Image.Image, box: tuple[int, int, int, int]
) -> tuple[float, float]:
    """How far `image` is from `expected` and from `other` on the pixels of `box` where
    those two differ (where one text has ink the other has not), as mean grey levels."""
    got, want, alt = (
        list(i.crop(box).convert("L").get_flattened_data()) for i in (image, expected, other)
    )
    where = [(g, w, a) for g, w, a in zip(got, want, alt, strict=True) if abs(w - a) > 40]
    assert len(where) > 10, "the two labels look alike"
    near = sum(abs(g - w) for g, w, _ in where) / len(where)
    far = sum(abs(g - a) for g, _, a in where) / len(where)
    return near, far


def test_the_labels_read_as_the_player_reads_them() -> None:
    # web/src/features/review/tools/geometry.ts labels the same drawing the same way.
    group = Measures.of(TOOLS, 15)
    assert group is not None and group.labels(640 / 480) == LABELS


def test_an_annotated_export_burns_in_each_tool_with_its_label_over_the_comment_range(
    wide: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    def note(drawing: dict[str, object] | None) -> Comment:
        return Comment(
            t_start_ms=500,
            t_end_ms=1500,
            body="Hips",
            drawing=drawing,
            created_at=datetime.now(UTC),
        )

    with_tools = annotations_of([(note(TOOLS), "Ana")], 2000, fps=15)
    without = annotations_of([(note(None), "Ana")], 2000, fps=15)
    out = compose(wide, tmp_path / "tools.mp4", AnnotatedPlan(with_tools, 2000), audio=None)
    bare = compose(wide, tmp_path / "bare.mp4", AnnotatedPlan(without, 2000), audio=None)

    pairs = list(zip(frames_of(out.path), frames_of(bare.path), strict=True))
    shown = [t for (t, image), _ in pairs if is_yellow(image, *ARM)]
    assert shown and 500 <= min(shown) < 570 and 1430 <= max(shown) < 1500
    w, h = 640, 480
    checked = 0
    for (t, image), (_, plain) in pairs:
        if not 500 <= t < 1500:
            assert not is_yellow(plain, *ARM)
            continue
        # Each label where the player puts it (an angle's by its vertex, a line's by its
        # middle, the stopwatch top left), matching its own text far better than another.
        for text, wrong, at, watch in [
            (LABELS[0], "46.0°", (0.6 * w + 10, 0.6 * h - 6), False),
            (LABELS[2], "1.10 m · 0.0° from level", (0.475 * w + 10, 0.7 * h - 6), False),
            (LABELS[3], "490 ms · 7 frames", (8, 8 + h / 18), True),
        ]:
            expected, box = labelled(plain, text, at, watch=watch)
            other, _ = labelled(plain, wrong, at, watch=watch)
            near, far = closer(image, expected, other, box)
            assert far > 3 * near, (t, text, near, far)
            _, bare_far = closer(image, expected, plain, box)
            assert bare_far > 3 * near, (t, text, "no label drawn")
        checked += 1
    assert checked >= 14


def test_a_voice_over_shows_the_tools_of_the_comments_holding_the_frame_it_shows(
    wide: Path, voice: Path, tmp_path: Path
) -> None:
    A = reviews.Action
    events = [
        reviews.Event(0, A.PAUSE, 200),
        reviews.Event(1000, A.SEEK, 1000),  # onto the measured moment, paused
        reviews.Event(2000, A.SEEK, 300),  # and off it again
    ]
    timeline = reviews.check(events, video_ms=2000, audio_ms=4000)
    group = Measures.of({"measures": [ANGLE]}, 15)
    assert group is not None
    plan = ReviewPlan(timeline, 3000, (Measured(1000, 1000, group),), fps=15)
    out = compose(wide, tmp_path / "review.mp4", plan, audio=voice)

    shown = [t for t, image in frames_of(out.path) if is_yellow(image, *ARM)]
    assert shown and 1000 <= min(shown) < 1070 and 1930 <= max(shown) < 2000
