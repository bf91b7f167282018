"""Local storage mode's byte routes: signed part PUTs and signed, ranged file GETs.

Both are authorised by the URL's signature alone (the API handed it out after
checking access), so they touch no database. Bytes stream from and to disk.
In S3 mode the client talks to S3/CloudFront directly and these answer 404.

They are in the OpenAPI document (so the fuzzer reaches them too), but their query is
read by hand: a URL that is missing a signature field is refused as "malformed" (403),
the same answer as one with a wrong value, not a validation error.
"""

from __future__ import annotations

import asyncio
import mimetypes
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.datastructures import QueryParams

from practika.api.errors import error_response
from practika.api.schemas.common import ErrorResponse
from practika.storage import Storage, StorageError, StorageUnavailable
from practika.storage.local import LocalStorage, PartTooLarge
from practika.storage.signing import FILES_PREFIX, PARTS_PREFIX

router = APIRouter(tags=["media"])
FLUSH_BYTES = 1024 * 1024

_SIGNATURE = [
    {
        "name": "exp",
        "in": "query",
        "required": True,
        "description": "expiry, Unix seconds, as the API signed it",
        "schema": {"type": "string"},
    },
    {
        "name": "sig",
        "in": "query",
        "required": True,
        "description": "HMAC-SHA256 of the method, path, expiry (and size limit)",
        "schema": {"type": "string"},
    },
]
_MAX = {
    "name": "max",
    "in": "query",
    "required": True,
    "description": "the most bytes this part may hold, as the API signed it",
    "schema": {"type": "string"},
}
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse, "description": why}
    for code, why in (
        (403, "the signature is missing, wrong or expired"),
        (404, "nothing at this address, or S3 mode (the bytes live in S3)"),
        (422, "the part number is not a number"),
        (503, "the media disk failed; nothing was kept"),
    )
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def get_storage(request: Request) -> Storage:
    return request.app.state.storage  # type: ignore[no-any-return]


StorageDep = Annotated[Storage, Depends(get_storage)]


def _local(storage: Storage) -> LocalStorage | None:
    return storage if isinstance(storage, LocalStorage) else None


def _refused(why: str) -> JSONResponse:
    return error_response(403, "forbidden", f"This media URL is not valid ({why}).")


def _missing() -> JSONResponse:
    return error_response(404, "not_found", "There is nothing at this address.")


def _query(params: QueryParams) -> dict[str, str]:
    return {k: params[k] for k in ("exp", "sig", "max") if k in params}


@router.put(
    PARTS_PREFIX + "/{upload_id}/{part_number}",
    operation_id="put_media_part",
    summary="Upload one part of a multipart upload (local storage mode)",
    response_class=Response,
    responses={
        200: {
            "description": "the part is stored",
            "headers": {"ETag": {"description": "the part's MD5, for completing the upload"}},
            "content": None,
        },
        413: {"model": ErrorResponse, "description": "the part is over its signed size limit"},
        507: {"model": ErrorResponse, "description": "the media disk is full; nothing was kept"},
        **_ERRORS,
    },
    openapi_extra={
        "parameters": [*_SIGNATURE, _MAX],
        "requestBody": {"required": True, "content": {"application/octet-stream": _BINARY}},
    },
)
async def put_part(
    upload_id: str, part_number: int, request: Request, storage: StorageDep
) -> Response:
    local = _local(storage)
    if local is None:
        return _missing()
    why = local.verify(
        "PUT", f"{PARTS_PREFIX}/{upload_id}/{part_number}", _query(request.query_params)
    )
    if why:
        return _refused(why)
    max_bytes = int(request.query_params["max"])
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        return error_response(
            413, "payload_too_large", f"This part may hold at most {max_bytes} bytes."
        )
    try:
        writer = await asyncio.to_thread(local.open_part, upload_id, part_number, max_bytes)
    except StorageUnavailable:
        raise
    except StorageError:
        return error_response(404, "not_found", "No such upload (it was completed or aborted).")
    try:
        buffer = bytearray()
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) >= FLUSH_BYTES:
                await asyncio.to_thread(writer.write, bytes(buffer))
                buffer.clear()
        await asyncio.to_thread(writer.write, bytes(buffer))
        await asyncio.to_thread(writer.commit)
    except PartTooLarge as exc:
        writer.discard()
        return error_response(413, "payload_too_large", str(exc))
    except BaseException:
        writer.discard()
        raise
    return Response(status_code=200, headers={"ETag": writer.part.etag})


async def get_file(key: str, request: Request, storage: StorageDep) -> Response:
    local = _local(storage)
    if local is None:
        return _missing()
    why = local.verify("GET", f"{FILES_PREFIX}/{key}", _query(request.query_params))
    if why:
        return _refused(why)
    try:
        path = local.path_of(key)
    except StorageUnavailable:
        raise
    except StorageError:
        return _missing()
    if not path.is_file():
        return _missing()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    # Starlette's FileResponse streams from disk and implements Range, If-Range and 416.
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=300"},
        content_disposition_type="inline",
    )


# GET and HEAD (answered for GET URLs: same signature), each its own OpenAPI operation.
for _method in ("GET", "HEAD"):
    router.add_api_route(
        FILES_PREFIX + "/{key:path}",
        get_file,
        methods=[_method],
        operation_id=f"{_method.lower()}_media_file",
        summary="Read a stored file, whole or by Range (local storage mode)",
        response_class=Response,
        responses={
            200: {"description": "the whole file", "content": {"*/*": _BINARY}},
            206: {"description": "the requested range", "content": {"*/*": _BINARY}},
            416: {"description": "the range is outside the file", "content": {"text/plain": {}}},
            **_ERRORS,
        },
        openapi_extra={"parameters": _SIGNATURE},
    )
