"""Messages from templates (email/templates): `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, each with the product's name and a footer from the shared layouts.

HTML is autoescaped, so a display name or a coach's note cannot inject markup; the text
part is plain text and needs none. No images, no tracking pixels, no rewritten links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from practika.config import Settings
from practika.email.message import Outgoing

_FOLDER = Path(__file__).parent / "templates"
_HTML = Environment(loader=FileSystemLoader(_FOLDER), autoescape=True, undefined=StrictUndefined)
_TEXT = Environment(
    loader=FileSystemLoader(_FOLDER),
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=False,
)
TEMPLATES = frozenset(p.name.removesuffix(".subject.txt") for p in _FOLDER.glob("*.subject.txt"))


def render(
    settings: Settings,
    template: str,
    *,
    to: str,
    to_name: str,
    unsubscribe_url: str | None = None,
    **context: Any,
) -> Outgoing:
    """One message: the template's subject, text and HTML with the shared context."""
    if template not in TEMPLATES:
        raise ValueError(f"no email template {template!r}")
    base = settings.resolved_public_url
    shared = {
        "product": settings.product_name,
        "base_url": base,
        "preferences_url": f"{base}/settings",
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_page_url": _unsubscribe_page(base, unsubscribe_url),
        **context,
    }
    subject = _TEXT.get_template(f"{template}.subject.txt").render(shared).strip()
    shared["subject"] = subject
    return Outgoing(
        to=to,
        to_name=to_name,
        subject=subject,
        text=_TEXT.get_template(f"{template}.txt").render(shared).strip() + "\n",
        html=_HTML.get_template(f"{template}.html").render(shared),
        unsubscribe_url=unsubscribe_url,
        tags={"template": template},
    )


def _unsubscribe_page(base: str, api_url: str | None) -> str | None:
    """The web page a person clicks (it asks before it unsubscribes; link scanners that
    follow every link must not unsubscribe anyone); the header points at the API."""
    if api_url is None:
        return None
    _, _, query = api_url.partition("?")
    return f"{base}/unsubscribe?{query}"
