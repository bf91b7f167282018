"""The demo: what `practika seed-demo` loads (a coach, a learner and an admin, exercises, a
playlist, a thread with time-coded feedback, past sessions) and the drawn-figure clips
its videos, the analysis tests and the browser tests are made of (`demo.clips`)."""

from __future__ import annotations

from practika.demo.seed import (
    ADMIN_EMAIL,
    COACH_EMAIL,
    DEMO_PASSWORD,
    LEARNER_EMAIL,
    is_empty,
    seed,
)

__all__ = ["ADMIN_EMAIL", "COACH_EMAIL", "DEMO_PASSWORD", "LEARNER_EMAIL", "is_empty", "seed"]
