"""The demo: what `practika seed-demo` loads (`seed.py`: a coach, a learner and an admin,
exercises, a playlist, a thread with time-coded feedback, past sessions), the cheap check
that it is already there (`check.py`), and the drawn-figure clips its videos, the analysis
tests and the browser tests are made of (`clips.py`). Nothing is imported here, so the
check stays cheap."""
