"""`Idempotency-Key` for creating POSTs, as one dependency the routes call.

    async def add_comment(..., once: Once) -> Response:
        return await once(db, user, CommentOut, lambda: comments.add_comment(...))

Without the header the write just runs. With it, the key is claimed in the request's
transaction, the service's own commit is held back until the answer is rendered and
stored beside the write, and then both commit as one (services/idempotency.py). A
repeated key gets the stored answer (same status and body, `Idempotent-Replayed: true`);
a key reused for a different request, 422 `idempotency_key_reused`. Only successful
answers are stored: an error wrote nothing, and its retry is simply evaluated again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.users import User
from practika.services import idempotency

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


class Idempotency:
    def __init__(self, request: Request, key: str | None) -> None:
        self.request = request
        self.key = key

    async def __call__(
        self,
        db: AsyncSession,
        user: User,
        out: type[BaseModel],
        work: Callable[[], Awaitable[Any]],
    ) -> Any:
        if self.key is None:
            return await work()
        route = self.request.scope["route"]
        status = int(getattr(route, "status_code", None) or 200)
        settings: Settings = self.request.app.state.settings
        claimed = await idempotency.claim(
            db,
            user.id,
            self.key,
            f"{self.request.method} {getattr(route, 'path', self.request.url.path)}",
            idempotency.fingerprint(self.request.url.path, await self.request.body()),
            timedelta(hours=settings.idempotency_ttl_hours),
        )
        if isinstance(claimed, idempotency.Answer):
            return _response(claimed, replayed=True)
        with _commit_held(db):
            result = await work()
        answer = idempotency.Answer(status, out.model_validate(result).model_dump_json())
        idempotency.store(claimed, answer)
        await db.commit()
        return _response(answer, replayed=False)


@contextmanager
def _commit_held(db: AsyncSession) -> Iterator[None]:
    """Services end their writes with `await db.commit()`; here that becomes a flush, so
    the write stays in the open transaction until its answer is stored beside it. (The
    instance attribute shadows the method for this one request's session only.)"""
    db.commit = db.flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db.commit


def _response(answer: idempotency.Answer, replayed: bool) -> Response:
    headers = {REPLAYED: "true"} if replayed else None
    return Response(answer.body, answer.status, headers=headers, media_type="application/json")


async def idempotency_key(
    request: Request,
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Makes this request safe to retry: a repeated key gets the first "
            "answer back (with `Idempotent-Replayed: true`) instead of writing again. "
            "Kept 24 hours; printable ASCII, at most 255 characters.",
        ),
    ] = None,
) -> Idempotency:
    return Idempotency(request, key)


Once = Annotated[Idempotency, Depends(idempotency_key)]
