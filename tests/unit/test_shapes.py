"""The row shapes the fast reads serialize without FastAPI's response_model must name
every field of the model the plain routes answer with: a field missing from a shape is
silently null in the cached pages (it was: a video's `purpose`)."""

from practika.api.schemas.exercises import ExerciseOut
from practika.api.schemas.media import VideoOut
from practika.services import shapes


def test_the_video_shape_names_every_field_of_the_video_model() -> None:
    assert sorted(shapes.VIDEO_FIELDS) == sorted(VideoOut.model_fields)


def test_the_exercise_shape_names_every_plain_field_of_the_exercise_model() -> None:
    nested = {"author", "reference_video"}
    assert sorted(shapes.EXERCISE_FIELDS) == sorted(set(ExerciseOut.model_fields) - nested)
