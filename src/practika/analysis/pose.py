"""The pose model adapter: a video file in, a `PoseTrack` out.

MediaPipe's legacy Pose solution (`mediapipe==0.10.21`, the `analysis` extra) with the
full landmark model that ships inside its wheel: nothing is downloaded. It runs in
tracking mode (each frame's search starts from the last frame's pose), on the upright
rendition, frames scaled down to `ANALYSIS_SHORT_SIDE` (the model works at 256 px
internally; feeding it 720p only costs conversion). Above `MAX_FPS` frames are
subsampled evenly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from practika.analysis.track import N_LANDMARKS, PoseTrack

MAX_FPS = 30.0
ANALYSIS_SHORT_SIDE = 256
MODEL = "mediapipe-0.10.21/pose_landmark_full"


class PoseUnavailable(RuntimeError):
    """The `analysis` extra (MediaPipe) is not installed here."""


def available() -> bool:
    try:
        import mediapipe  # noqa: F401
    except ImportError:
        return False
    return True


def _frames(path: Path, max_fps: float) -> Iterator[tuple[int, np.ndarray, int, int]]:
    """(time ms, RGB array at analysis size, upright width, height) of each kept frame."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.time_base or Fraction(1, 1000)
        next_due = -1.0
        interval = 1000.0 / max_fps
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            t_ms = float(frame.pts * base * 1000)
            # Even subsampling: keep a frame once per interval (with half a frame of slack).
            if t_ms + 1e-6 < next_due:
                continue
            next_due = (next_due if next_due >= 0 else t_ms) + interval
            if t_ms >= next_due:
                next_due = t_ms + interval
            w, h = frame.width, frame.height
            scale = min(1.0, ANALYSIS_SHORT_SIDE / min(w, h))
            tw, th = max(2, int(w * scale) // 2 * 2), max(2, int(h * scale) // 2 * 2)
            yield round(t_ms), frame.to_ndarray(width=tw, height=th, format="rgb24"), w, h


def extract(
    path: Path, *, max_fps: float = MAX_FPS, progress: Callable[[int], None] | None = None
) -> PoseTrack:
    """The pose of the (single, most prominent) person in every analysed frame."""
    # MediaPipe's C++ side logs a page of warnings per graph to stderr (glog, TFLite):
    # quiet them before it loads; errors still show.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from mediapipe.python.solutions.pose import Pose
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise PoseUnavailable("movement analysis needs the 'analysis' extra") from exc
    times: list[int] = []
    coords: list[np.ndarray] = []
    vis: list[np.ndarray] = []
    width = height = 0
    with Pose(
        static_image_mode=False,
        model_complexity=1,
        smooth_landmarks=True,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    ) as pose:
        for i, (t_ms, rgb, frame_w, frame_h) in enumerate(_frames(path, max_fps)):
            width, height = frame_w, frame_h
            result = pose.process(rgb)
            times.append(t_ms)
            if result.pose_landmarks is None:
                coords.append(np.zeros((N_LANDMARKS, 2)))
                vis.append(np.zeros(N_LANDMARKS))
            else:
                marks = result.pose_landmarks.landmark
                coords.append(np.array([[m.x, m.y] for m in marks]))
                # A found person's landmark is never stored as exactly "not found".
                vis.append(np.array([max(m.visibility, 1 / 255) for m in marks]))
            if progress is not None and i % 30 == 0:
                progress(i)
    n = len(times)
    return PoseTrack(
        np.array(times, dtype=np.int64),
        np.array(coords).reshape(n, N_LANDMARKS, 2),
        np.array(vis).reshape(n, N_LANDMARKS),
        width,
        height,
        MODEL,
    )
