"""Probing and rendering, on generated videos: what a file is decides, not what it claims."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from PIL import Image

from practika.media.probe import MediaRejected, ProbeLimits, probe
from practika.media.render import RenderOptions, render
from tests.media.clips import make_clip, top_level_boxes

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


def test_the_rendition_is_upright_and_capped_in_height(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    source = clips["portrait"]  # stored 96x64 landscape, shown rotated a quarter turn
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions(max_height=48))
    assert (out.width, out.height) == (32, 48)
    with av.open(str(out.rendition)) as rendition:
        stream = rendition.streams.video[0]
        assert (stream.width, stream.height) == (32, 48)
        assert next(rendition.decode(stream)).rotation == 0  # pixels turned, no matrix left
    assert Image.open(out.poster).size == (32, 48)


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
