"""Local storage mode's byte routes: signed part PUTs and signed, ranged file GETs.

Both are authorised by the URL's signature alone (the API handed it out after
checking access), so they touch no database. Bytes stream from and to disk.
In S3 mode the client talks to S3/CloudFront directly and these answer 404.

Every answer here carries `nosniff` and a CSP that lets nothing run; a stored file is
served as storage/serving.py says (never by its name), with `Range` judged by
api/ranges.py (a malformed one is ignored, an unsatisfiable one is a JSON 416).

They are in the OpenAPI document (so the fuzzer reaches them too), but their query is
read by hand: a URL that is missing a signature field is refused as "malformed" (403),
the same answer as one with a wrong value, not a validation error.
"""

from __future__ import annotations

import asyncio
from stat import S_ISREG

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.datastructures import QueryParams

from practika.api import ranges
from practika.api.deps import StorageDep
from practika.api.errors import error_response
from practika.api.schemas.common import ErrorResponse
from practika.storage import StorageError, StoragePort, StorageUnavailable
from practika.storage.local import LocalStorage
from practika.storage.parts import PartBusy, PartTooLarge, PartWriter
from practika.storage.serving import (
    MEDIA_HEADERS,
    attachment,
    derived_type,
    download_name,
    safe_type,
)
from practika.storage.signing import FILES_PREFIX, PARTS_PREFIX, RESPONSE_PARAMS

router = APIRouter(tags=["media"])
FLUSH_BYTES = 1024 * 1024
FLUSH_CHUNKS = 256  # a body trickling in tiny chunks is still written in few calls

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
_RANGE = {
    "name": "Range",
    "in": "header",
    "required": False,
    "description": "RFC 9110 byte ranges; a malformed one is ignored (200, the whole file)",
    "schema": {"type": "string"},
}
_RESPONSE_PARAMS = [
    {
        "name": "type",
        "in": "query",
        "required": False,
        "description": "an original's probed type, as the API signed it (a safe video type, "
        "else the file is served as application/octet-stream)",
        "schema": {"type": "string"},
    },
    {
        "name": "name",
        "in": "query",
        "required": False,
        "description": "an original's file name for the download, as the API signed it",
        "schema": {"type": "string"},
    },
]


def _local(storage: StoragePort) -> LocalStorage | None:
    """The byte routes are the local backend's own HTTP face: they use it directly."""
    backend = storage.backend
    return backend if isinstance(backend, LocalStorage) else None


def _refused(why: str) -> JSONResponse:
    return error_response(
        403, "forbidden", f"This media URL is not valid ({why}).", headers=MEDIA_HEADERS
    )


def _missing() -> JSONResponse:
    return error_response(
        404, "not_found", "There is nothing at this address.", headers=MEDIA_HEADERS
    )


def _query(params: QueryParams) -> dict[str, str]:
    return {k: params[k] for k in ("exp", "sig", "max", *RESPONSE_PARAMS) if k in params}


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
            413,
            "payload_too_large",
            f"This part may hold at most {max_bytes} bytes.",
            headers=MEDIA_HEADERS,
        )
    writer = await _open_part(local, upload_id, part_number, max_bytes)
    if isinstance(writer, Response):
        return writer
    try:
        await _receive(request, writer)
    except PartTooLarge as exc:
        writer.discard()
        return error_response(413, "payload_too_large", str(exc), headers=MEDIA_HEADERS)
    except BaseException:
        writer.discard()
        raise
    return Response(status_code=200, headers={"ETag": writer.part.etag, **MEDIA_HEADERS})


async def _open_part(
    local: LocalStorage, upload_id: str, part_number: int, max_bytes: int
) -> PartWriter | Response:
    """The part's writer, or the answer to a part that cannot be written now."""
    try:
        return await asyncio.to_thread(local.open_part, upload_id, part_number, max_bytes)
    except PartBusy as exc:
        return error_response(
            503,
            "part_busy",
            f"{exc}; try again in a moment.",
            headers={"Retry-After": "1", **MEDIA_HEADERS},
        )
    except StorageUnavailable:
        raise
    except StorageError:
        return error_response(
            404,
            "not_found",
            "No such upload (it was completed or aborted).",
            headers=MEDIA_HEADERS,
        )


async def _receive(request: Request, writer: PartWriter) -> None:
    """Stream the body into the part, at most FLUSH_BYTES held at a time. The chunks are
    handed to the writer as they came (it writes them with one call, unjoined), and the
    last ones are written and committed in the same hop to a thread."""
    chunks: list[bytes] = []
    held = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        held += len(chunk)
        if held >= FLUSH_BYTES or len(chunks) >= FLUSH_CHUNKS:
            await asyncio.to_thread(writer.write, *chunks)
            chunks, held = [], 0
    await asyncio.to_thread(_finish, writer, chunks)


def _finish(writer: PartWriter, chunks: list[bytes]) -> None:
    writer.write(*chunks)
    writer.commit()


async def get_file(key: str, request: Request, storage: StorageDep) -> Response:
    local = _local(storage)
    if local is None:
        return _missing()
    query = _query(request.query_params)
    why = local.verify("GET", f"{FILES_PREFIX}/{key}", query)
    if why:
        return _refused(why)
    try:
        path = local.path_of(key)
    except StorageUnavailable:
        raise
    except StorageError:
        return _missing()
    try:
        info = await asyncio.to_thread(path.stat)
    except (FileNotFoundError, NotADirectoryError):
        return _missing()
    if not S_ISREG(info.st_mode):
        return _missing()
    headers = {"Cache-Control": "private, max-age=300", **MEDIA_HEADERS}
    media_type = derived_type(key)
    if media_type is None:  # an original: the uploader's bytes, never typed by their name
        media_type = safe_type(query.get("type"))
        headers["Content-Disposition"] = attachment(download_name(query.get("name"), media_type))
    response = FileResponse(path, media_type=media_type, headers=headers, stat_result=info)
    judged = ranges.judge(request.headers.get("range"), info.st_size)
    if_range = request.headers.get("if-range")
    if judged is not None and if_range is not None and not _still_current(if_range, response):
        judged = None  # the file changed since the client's copy: send all of it
    if isinstance(judged, ranges.Unsatisfiable):
        return error_response(
            416,
            "range_not_satisfiable",
            f"The range asks for bytes past the end of this {judged.size}-byte file.",
            {"size": judged.size},
            headers={"Content-Range": f"bytes */{judged.size}", **MEDIA_HEADERS},
        )
    # Starlette's FileResponse streams from disk and sends 206s (multipart ones too): it
    # is handed only a range judged above, in canonical form, or none at all.
    request.scope["headers"] = [
        (name, value)
        for name, value in request.scope["headers"]
        if name not in (b"range", b"if-range")
    ]
    if judged is not None:
        request.scope["headers"].append((b"range", judged.header().encode()))
    return response


def _still_current(if_range: str, response: FileResponse) -> bool:
    """RFC 9110 §13.1.5: a strong ETag or the exact Last-Modified date of this file."""
    if if_range.startswith("W/"):
        return False
    return if_range in (response.headers["etag"], response.headers["last-modified"])


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
            416: {
                "model": ErrorResponse,
                "description": "the range asks only for bytes past the end of the file "
                "(`Content-Range: bytes */<size>`); a malformed range is ignored (200)",
            },
            **_ERRORS,
        },
        openapi_extra={"parameters": [*_SIGNATURE, *_RESPONSE_PARAMS, _RANGE]},
    )
