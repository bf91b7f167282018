"""What the demo coach has published: the exercises and the playlist made of them."""

from __future__ import annotations

from typing import NamedTuple

from practika.domain.exercises import Difficulty


class DemoExercise(NamedTuple):
    title: str
    category: str
    difficulty: Difficulty
    tags: list[str]
    description: str
    has_reference_video: bool = False


# The first is the squat the demo's thread and its feedback are about.
EXERCISES = [
    DemoExercise(
        "Goblet squat",
        "strength",
        Difficulty.BEGINNER,
        ["squat", "legs", "kettlebell"],
        "Hold the bell at your chest.\n\n1. Feet shoulder-width\n2. Knees track over toes\n"
        "3. Sit between your heels",
        has_reference_video=True,
    ),
    DemoExercise(
        "Hip 90/90 switches",
        "mobility",
        Difficulty.BEGINNER,
        ["hips", "warm-up"],
        "Rotate from one 90/90 to the other without using your hands.",
    ),
    DemoExercise(
        "Single-leg balance reach",
        "balance",
        Difficulty.INTERMEDIATE,
        ["ankle", "balance"],
        "Reach forward, sideways and back while standing on one leg.",
    ),
    DemoExercise(
        "Heian Shodan",
        "martial_arts",
        Difficulty.INTERMEDIATE,
        ["kata", "karate"],
        "The first Heian kata: 21 moves, a steady rhythm, kiai on 9 and 17.",
    ),
    DemoExercise(
        "Box step to pivot turn",
        "dance",
        Difficulty.BEGINNER,
        ["footwork", "turns"],
        "A four-count box step finishing with a half pivot.",
    ),
    DemoExercise(
        "Pistol squat progression",
        "strength",
        Difficulty.ADVANCED,
        ["squat", "single-leg"],
        "Box-assisted pistols, lowering one inch further each week.",
    ),
]

# The playlist "Lower-body basics": (index into EXERCISES, sets, reps, duration_s).
PLAYLIST_ITEMS = [(1, 2, None, 60), (0, 3, 10, None), (2, 3, None, 30)]

# The learner's past sessions of that playlist: (days ago, minutes).
PAST_SESSIONS = [(0, 22), (1, 18), (2, 25), (5, 30), (9, 15)]
