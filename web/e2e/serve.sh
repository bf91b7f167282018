#!/usr/bin/env bash
# The real service for the end-to-end suite: embedded default (SQLite, local media,
# in-process worker), seeded with the demo data, serving the built web app.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$root/web/.e2e"
rm -rf "$data" && mkdir -p "$data/clips"
py="$root/.venv/bin/python"
"$py" - "$data/clips" <<'PY'
import sys
from pathlib import Path
from practika.demo.clips import squat_clip
out = Path(sys.argv[1])
squat_clip(out / "reference.mp4", seconds=6, size=(320, 240), fps=15)
squat_clip(out / "attempt.mp4", seconds=6, size=(320, 240), fps=15, depth_deg=75)
PY
export PRACTIKA_DATA_DIR="$data/var"
export PRACTIKA_PORT="${E2E_PORT:-8765}"
export PRACTIKA_WEB_DIST="$root/web/dist"
export PRACTIKA_ARGON2_MEMORY_KIB=1024 PRACTIKA_ARGON2_TIME_COST=1
export PRACTIKA_WORKER_POLL_SECONDS=0.3 PRACTIKA_LOG_LEVEL=WARNING
# Small parts, so a ~100 KB clip goes up as several parallel parts (and can stop half-way).
export PRACTIKA_UPLOAD_PART_SIZE=16384
# Playback URLs live 30 s (not 15 min), so the review player renews them during a test.
export PRACTIKA_MEDIA_URL_TTL_SECONDS=30
"$root/.venv/bin/practika" seed-demo
exec "$root/.venv/bin/practika" serve
