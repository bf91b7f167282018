"""Queueing a video's analysis, in the transaction that makes the video ready.

Kept apart from the handler so that the media stage can queue it without importing
the analysis stage (or its model).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from practika.analysis import pose
from practika.config import Settings
from practika.domain.analysis import AnalysisStatus, VideoAnalysis
from practika.domain.videos import Video
from practika.media import jobs
from practika.storage import video_prefix

ANALYSE_VIDEO = "analyse_video"


def track_key(video_id: object) -> str:
    return video_prefix(video_id) + "pose.bin"


def wanted(settings: Settings) -> bool:
    return settings.analysis_enabled and pose.available()


def queue_analysis(db: AsyncSession, settings: Settings, video: Video) -> VideoAnalysis | None:
    """A pending analysis and its job in the caller's transaction, or nothing when
    analysis is off here (or the `analysis` extra is not installed)."""
    if not wanted(settings):
        return None
    analysis = VideoAnalysis(video_id=video.id, status=AnalysisStatus.PENDING)
    db.add(analysis)
    jobs.enqueue(db, ANALYSE_VIDEO, {"video_id": str(video.id)})
    return analysis
