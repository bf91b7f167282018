"""The local outbox, for developers: every message the embedded default "sent", newest first.

Mounted only with PRACTIKA_EMAIL_BACKEND=outbox outside AWS mode, and answers only
loopback clients: the messages hold live reset and verification links.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from practika.email.backends import outbox_messages

router = APIRouter(prefix="/dev/outbox", include_in_schema=False)
LOOPBACK = {"127.0.0.1", "::1"}


def _folder(request: Request) -> Path:
    if (request.client.host if request.client else "") not in LOOPBACK:
        raise HTTPException(404)
    return request.app.state.settings.resolved_outbox_dir  # type: ignore[no-any-return]


def _summary(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        msg = BytesParser(policy=policy.default).parse(f, headersonly=True)
    return {
        "name": path.name,
        "to": str(msg["To"]),
        "subject": str(msg["Subject"]),
        "date": str(msg["Date"]),
    }


@router.get("", response_model=None)
def outbox(request: Request, format: str = "html") -> Response:
    items = [_summary(p) for p in outbox_messages(_folder(request))]
    if format == "json":
        return JSONResponse(items)
    rows = "".join(
        f"<tr><td>{escape(i['date'])}</td><td>{escape(i['to'])}</td>"
        f"<td><a href='/dev/outbox/{escape(i['name'])}'>{escape(i['subject'])}</a></td></tr>"
        for i in items
    )
    return HTMLResponse(
        "<!doctype html><title>Outbox</title><h1>Outbox</h1>"
        "<p>Mail the embedded default would have sent (newest first).</p>"
        f"<table><tr><th>Date</th><th>To</th><th>Subject</th></tr>{rows}</table>"
    )


@router.get("/{name}", response_model=None)
def message(name: str, request: Request, part: str = "raw") -> Response:
    """The message as stored (`.eml`), or with ?part=text its decoded plain-text body."""
    folder = _folder(request)
    path = (folder / name).resolve()
    if not name.endswith(".eml") or path.parent != folder or not path.is_file():
        raise HTTPException(404)
    if part == "text":
        msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        return PlainTextResponse(body.get_content() if body is not None else "")
    return PlainTextResponse(path.read_text(encoding="utf-8", errors="replace"))
