"""The media pipeline: probe what an upload really is, derive playable assets, run jobs."""
