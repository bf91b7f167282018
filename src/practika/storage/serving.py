"""What a stored object is served as: never a type derived from the uploader's filename.

An original is the uploader's bytes, kept as they came. It is stored without the
uploader's extension (`videos/<id>/original`; the name is kept on the row only), and
served as the type the probe found when that is one of a few video types, else as
`application/octet-stream`, always as an attachment. Derived assets are ours and have
fixed names with fixed types. Every media response also carries `nosniff` and a CSP
that lets nothing run, so no browser ever renders user bytes as a page.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from practika.storage.base import video_prefix

OCTET_STREAM = "application/octet-stream"
# Types a browser can only ever treat as video: no markup, no script, no SVG.
SAFE_VIDEO_TYPES: dict[str, str] = {
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-matroska": ".mkv",
    "video/3gpp": ".3gp",
    "video/x-m4v": ".m4v",
}
# The derived assets the worker writes (media/tasks.asset_keys), by name.
DERIVED_TYPES: dict[str, str] = {
    "rendition.mp4": "video/mp4",
    "poster.jpg": "image/jpeg",
    "sprite.jpg": "image/jpeg",
}
MEDIA_CSP = "default-src 'none'; sandbox"
MEDIA_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": MEDIA_CSP,
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]")


def original_key(video_id: object) -> str:
    """Where an upload's original goes: no extension of the uploader's choosing."""
    return f"{video_prefix(video_id)}original"


def safe_type(content_type: str | None) -> str:
    """The type itself if it is a safe video type, else application/octet-stream."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind if kind in SAFE_VIDEO_TYPES else OCTET_STREAM


def derived_type(key: str) -> str | None:
    """The fixed type of a derived asset's key; None for anything else (an original)."""
    path = PurePosixPath(key)
    if key.startswith("videos/") and len(path.parts) == 3:
        return DERIVED_TYPES.get(path.name)
    return None


def download_name(original_name: str | None, content_type: str) -> str:
    """The uploader's file name for a download, with the extension of the served type:
    `attempt.html` served as video/mp4 is saved as `attempt.mp4`."""
    name = PureWindowsPath(PurePosixPath(original_name or "").name).name  # no folders
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # no controls
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name.strip(" .")
    stem = stem[:120] or "original"
    return stem + SAFE_VIDEO_TYPES.get(content_type, ".bin")


def attachment(filename: str) -> str:
    """An RFC 6266 `Content-Disposition: attachment` with an ASCII fallback and the
    UTF-8 name in `filename*` (RFC 8187), both safe to put in a header."""
    fallback = _UNSAFE_NAME.sub("_", filename).strip(" .") or "original"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
