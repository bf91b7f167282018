"""Movement analysis: pose tracks of videos, joint angles, alignment, departures, reps.

The numeric parts (track format, features, alignment, departures, reps) need only
numpy, scipy and dtaidistance; the pose model (MediaPipe) is imported only by
`pose.py`, inside the worker, from the optional `analysis` extra.
"""
