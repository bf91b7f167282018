"""The hottest API routes matched first.

Starlette tries the app's routes in order and FastAPI 0.165 keeps each included router as
one entry that it scans in full to see whether it matches and again to pick the route, so
a request to a route declared late (the comments page) pays for every route declared
before it: ~55 failed matches, about 12% of the app's CPU for an uncached read. The app
therefore gets one small router of the hot routes, placed right after the health routes.

The routes are not taken out of their own routers: those are module-level objects shared
by every app `create_app` builds, and the declared copies keep the OpenAPI document (and
anything that lists routes) in declared order. The front copy is the same `APIRoute`
included with the same prefix and responses, so it answers exactly as the declared one
would; the declared copy is never reached (the front one fully matches first).

Matching a route earlier is only safe when no route it jumps over could have answered the
same request: `hoist` refuses (at app creation) when one could.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

# (method, full path template), in the order they are declared. The four reads answered
# through `reader.answer`/`reader.answer_anyone` and posting a comment.
HOT_ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "/api/v1/exercises"),
    # Not hot: it shares GET /threads' template and is declared before it, so it answers a
    # wrong method's 405 for that URL (Allow: POST); it moves along to keep doing that.
    ("POST", "/api/v1/threads"),
    ("GET", "/api/v1/threads"),
    ("GET", "/api/v1/threads/{thread_id}/comments"),
    ("POST", "/api/v1/threads/{thread_id}/comments"),
    ("GET", "/api/v1/progress"),
)

# The included router's own settings FastAPI applies to its routes on inclusion; the front
# router has the defaults, so a route taken from a router that changes one would answer
# differently from the front.
_ROUTER_SETTINGS = (
    "default_response_class",
    "generate_unique_id_function",
    "strict_content_type",
    "max_body_size",
    "form_limits",
)


class RouteOrderError(RuntimeError):
    """Moving a route ahead would change which route answers some request."""


@dataclass(frozen=True)
class Endpoint:
    """What a route matches: a path template and its methods (None: any method)."""

    path: str
    methods: frozenset[str] | None

    def __str__(self) -> str:
        methods = ",".join(sorted(self.methods)) if self.methods is not None else "*"
        return f"{methods} {self.path}"


def _is_param(segment: str) -> bool:
    # A segment with a parameter anywhere in it ("{id}", "{name}.json") may match any text.
    return "{" in segment


def _is_remainder(segment: str) -> bool:
    return _is_param(segment) and ":path}" in segment


def paths_can_overlap(a: str, b: str) -> bool:
    """Whether some URL matches both templates. Conservative: a parameter is taken to
    match any segment (its converter is not consulted), a `{x:path}` one any remainder,
    slashes included (so it overlaps every longer template that agrees up to it)."""
    first, second = a.split("/")[1:], b.split("/")[1:]
    for x, y in zip(first, second, strict=False):
        if _is_remainder(x) or _is_remainder(y):
            return True
        if x != y and not _is_param(x) and not _is_param(y):
            return False
    return len(first) == len(second)


def collision(hot: Endpoint, jumped: Endpoint) -> str | None:
    """Why `hot` may not be matched before `jumped`, or None when it may."""
    if not paths_can_overlap(hot.path, jumped.path):
        return None
    if hot.methods is None or jumped.methods is None or hot.methods & jumped.methods:
        return f"{hot} would take requests meant for {jumped}"
    # Starlette answers a method no route allows with the 405 of the first route whose
    # path matched, listing that route's methods in Allow.
    return f"{hot} would answer the 405 (and its Allow) that {jumped} answered"


def check_jumps(moves: Iterable[tuple[Endpoint, Sequence[Endpoint]]]) -> None:
    """Raise when a route, matched ahead of the ones it is paired with, would change the
    answer to a request one of them answered."""
    problems = [
        reason
        for hot, jumped in moves
        for other in jumped
        if (reason := collision(hot, other)) is not None
    ]
    if problems:
        raise RouteOrderError("cannot match these routes earlier: " + "; ".join(problems))


def _endpoint(context: Any) -> Endpoint:
    path = context.path
    if isinstance(context.original_route, Mount):
        path = path.rstrip("/") + "/{path:path}"
    elif path is None:  # a route without a path (a Host): assume it may match anything
        path = "/{path:path}"
    methods = context.methods
    return Endpoint(path, frozenset(methods) if methods is not None else None)


def hoist(
    app: FastAPI,
    *,
    after: APIRouter,
    prefix: str,
    responses: dict[Any, dict[str, Any]],
    hot: Sequence[tuple[str, str]] = HOT_ROUTES,
) -> APIRouter:
    """Match the `hot` routes right after the routes of the `after` router. Call it once
    everything is included: the check needs every route the hot ones jump over. `prefix`
    and `responses` are those the hot routes' own routers were included with."""
    entries = app.router.routes
    start = next(
        (
            i + 1
            for i, entry in enumerate(entries)
            if getattr(entry, "original_router", None) is after
        ),
        None,
    )
    if start is None:
        raise RouteOrderError("the router to place the hot routes after is not included")

    # Every route behind `start`, in the order they are tried, with its router.
    behind = [
        (entry, context) for entry in entries[start:] for context in iter_route_contexts([entry])
    ]
    front = APIRouter()
    positions: list[int] = []
    for method, path in hot:
        found = [
            i
            for i, (_, context) in enumerate(behind)
            if context.path == path and method in (context.methods or ())
        ]
        if len(found) != 1:
            raise RouteOrderError(f"{method} {path}: {len(found)} routes, not 1")
        source, context = behind[found[0]]
        for name in _ROUTER_SETTINGS:
            if getattr(getattr(source, "original_router", None), name, None) != getattr(
                front, name
            ):
                raise RouteOrderError(f"{method} {path}: its router sets {name}")
        positions.append(found[0])
        front.routes.append(context.original_route)
    # In declared order among themselves, a hot route jumps over no other hot route's
    # front copy, only over declared copies those front copies already precede.
    if positions != sorted(positions):
        raise RouteOrderError("list the hot routes in the order they are declared")
    check_jumps(
        (
            _endpoint(behind[position][1]),
            [_endpoint(c) for i, (_, c) in enumerate(behind[:position]) if i not in positions],
        )
        for position in positions
    )

    # include_in_schema=False: the declared copies alone make the OpenAPI document.
    app.include_router(front, prefix=prefix, responses=responses, include_in_schema=False)
    entries.insert(start, entries.pop())
    return front
