"""Movement analysis cost: pose extraction CPU per second of 720p30 video, and the
alignment of 60 s against 60 s. `python -m bench.analysis [--seconds 10]`.

CPU time (process_time, all threads of this process) is what sizes the worker: wall
time on a shared machine says more about the neighbours than about the analysis.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import tempfile
import time
from pathlib import Path

from practika.analysis.align import align
from practika.analysis.pose import ANALYSIS_SHORT_SIDE, MAX_FPS, extract
from practika.demo.clips import squat_clip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the 720p30 clip")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"machine: {platform.node()} {platform.machine()}, commit {commit}")
    with tempfile.TemporaryDirectory() as tmp:
        clip = squat_clip(Path(tmp) / "720p.mp4", seconds=args.seconds, size=(1280, 720))
        cpu, wall = time.process_time(), time.perf_counter()
        track = extract(clip)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"pose: {track.frame_count} frames of {args.seconds:g} s 720p30 "
            f"(analysed at {ANALYSIS_SHORT_SIDE} px short side, <= {MAX_FPS:g} fps): "
            f"{cpu / args.seconds:.2f} s CPU and {wall / args.seconds:.2f} s wall per second "
            f"of video; {track.present.mean():.0%} frames with the person"
        )
        # 60 s against 60 s: the track repeated to a minute (alignment cost is the
        # track's length, not its pixels).
        import numpy as np

        from practika.analysis.track import PoseTrack

        reps = int(np.ceil(60 / args.seconds))
        step = int(track.times_ms[-1] + 33)
        minute = PoseTrack(
            np.concatenate([track.times_ms + k * step for k in range(reps)]),
            np.concatenate([track.xy] * reps),
            np.concatenate([track.visibility] * reps),
            track.width,
            track.height,
            track.model,
        )
        cpu = time.process_time()
        for _ in range(5):
            align(minute, minute)
        print(f"alignment: 60 s against 60 s: {(time.process_time() - cpu) / 5 * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
