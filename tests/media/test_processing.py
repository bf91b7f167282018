"""Probing and rendering, on generated videos: what a file is decides, not what it claims."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from PIL import Image

from practika.media.probe import MediaRejected, ProbeLimits, probe
from practika.media.render import RenderOptions, render
from tests.media.clips import bright_corner, make_clip, make_marked_clip, top_level_boxes

LIMITS = ProbeLimits(("mov", "mp4", "matroska", "webm"), 8192, 3 * 3600)


@pytest.mark.parametrize(
    ("kind", "facts"),
    [
        ("h264_aac", ("mp4", "h264", "aac", 160, 120, 0)),
        ("hevc", ("mov", "hevc", None, 64, 48, 0)),
        ("vp9_webm", ("webm", "vp9", "opus", 64, 48, 0)),
        ("portrait", ("mp4", "h264", None, 96, 64, 270)),
        ("silent", ("mp4", "h264", None, 64, 48, 0)),
    ],
)
def test_probe_reports_what_the_file_really_is(
    clips: dict[str, Path], kind: str, facts: tuple[object, ...]
) -> None:
    found = probe(clips[kind], LIMITS)
    assert (
        found.container,
        found.video_codec,
        found.audio_codec,
        found.width,
        found.height,
        found.rotation,
    ) == facts
    assert 900 <= found.duration_ms <= 2100
    assert found.fps == 15


@pytest.mark.parametrize(
    "name",
    [
        "zero bytes",
        "text renamed .mp4",
        "truncated mp4",
        "huge dimension",
        "audio only",
        "still image",
        "absurd duration",
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_reason(
    bad_clips: dict[str, tuple[Path, str]], name: str
) -> None:
    path, word = bad_clips[name]
    with pytest.raises(MediaRejected) as caught:
        probe(path, LIMITS)
    assert word.lower() in caught.value.reason.lower()


def test_a_truncated_faststart_file_is_caught_while_decoding(tmp_path: Path) -> None:
    whole = make_clip(tmp_path / "whole.mp4", size=(160, 120), seconds=2, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.7)])
    facts = probe(cut, LIMITS)  # the index is intact; the samples are not
    with pytest.raises(MediaRejected, match=r"truncated|damaged"):
        render(cut, facts, tmp_path, RenderOptions())


def test_the_rendition_is_h264_aac_faststart_mp4(clips: dict[str, Path], tmp_path: Path) -> None:
    source = clips["h264_aac"]
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions(crf=23))
    assert top_level_boxes(out.rendition).index("moov") < top_level_boxes(out.rendition).index(
        "mdat"
    )
    with av.open(str(out.rendition)) as rendition:
        assert rendition.streams.video[0].codec_context.name == "h264"
        assert rendition.streams.audio[0].codec_context.name == "aac"
        assert rendition.streams.video[0].codec_context.pix_fmt == "yuv420p"
        assert abs(rendition.duration / 1000 - 2000) < 150


def test_the_rendition_is_upright_and_capped_on_its_short_side(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    source = clips["portrait"]  # stored 96x64 landscape, shown rotated a quarter turn
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions(max_short_side=48))
    assert (out.width, out.height) == (48, 72)
    with av.open(str(out.rendition)) as rendition:
        stream = rendition.streams.video[0]
        assert (stream.width, stream.height) == (48, 72)
        assert next(rendition.decode(stream)).rotation == 0  # pixels turned, no matrix left
    assert Image.open(out.poster).size == (48, 72)


# (stored size, display rotation (PyAV: counter-clockwise degrees), rendition size)
PHONE_SIZES = [
    ((1920, 1080), None, (1280, 720)),  # landscape
    ((1080, 1920), None, (720, 1280)),  # portrait, stored upright
    ((1920, 1080), -90, (720, 1280)),  # portrait as phones store it: landscape, turned
    ((1920, 1080), 90, (720, 1280)),
    ((1080, 1350), None, (720, 900)),  # 4:5
    ((640, 360), None, (640, 360)),  # below the cap: never upscaled
    ((360, 640), 180, (360, 640)),
]


@pytest.mark.parametrize(("stored", "rotation", "size"), PHONE_SIZES)
def test_the_short_side_is_capped_in_either_orientation(
    tmp_path: Path,
    stored: tuple[int, int],
    rotation: int | None,
    size: tuple[int, int],
) -> None:
    source = make_marked_clip(tmp_path / "phone.mp4", size=stored, rotation=rotation)
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions(max_short_side=720))
    assert (out.width, out.height) == size
    with av.open(str(out.rendition)) as rendition:
        stream = rendition.streams.video[0]
        assert (stream.width, stream.height) == size
    assert Image.open(out.poster).size == size
    # Sprite tiles fit a 160-px square whichever way the picture stands.
    tile = (out.sprite_index["tile_width"], out.sprite_index["tile_height"])
    assert max(tile) == 160 and (tile[0] > tile[1]) == (size[0] > size[1])
    assert all(side % 2 == 0 for side in (*size, *tile))


# Where the stored top-left corner ends up once a player applies the display matrix:
# the rotation is counter-clockwise, so a quarter turn (90) takes it to the bottom left.
UPRIGHT_CORNER = {None: "top-left", 90: "bottom-left", -90: "top-right", 180: "bottom-right"}


@pytest.mark.parametrize("rotation", list(UPRIGHT_CORNER))
def test_the_rendition_pixels_are_turned_upright(tmp_path: Path, rotation: int | None) -> None:
    source = make_marked_clip(tmp_path / "marked.mp4", size=(320, 180), rotation=rotation)
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions())
    with av.open(str(out.rendition)) as rendition:
        frame = next(rendition.decode(video=0))
    assert bright_corner(frame.to_image()) == UPRIGHT_CORNER[rotation]
    assert bright_corner(Image.open(out.poster)) == UPRIGHT_CORNER[rotation]
    tile = Image.open(out.sprite).crop(
        (0, 0, out.sprite_index["tile_width"], out.sprite_index["tile_height"])
    )
    assert bright_corner(tile) == UPRIGHT_CORNER[rotation]


def test_hevc_and_vp9_sources_become_h264(clips: dict[str, Path], tmp_path: Path) -> None:
    for kind in ("hevc", "vp9_webm"):
        folder = tmp_path / kind
        folder.mkdir()
        out = render(clips[kind], probe(clips[kind], LIMITS), folder, RenderOptions())
        with av.open(str(out.rendition)) as rendition:
            assert rendition.streams.video[0].codec_context.name == "h264"


def test_the_sprite_is_a_grid_of_tiles_its_index_describes(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    source = clips["h264_aac"]
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions())
    index = out.sprite_index
    assert index == {
        "interval_ms": 1000,
        "count": 3,
        "columns": 3,
        "rows": 1,
        "tile_width": 160,
        "tile_height": 120,
    }
    sheet = Image.open(out.sprite)
    assert sheet.size == (index["columns"] * 160, index["rows"] * 120)
    json.dumps(index)  # stored as JSON
