"""The hot API routes are matched first (api/hot_routes.py), and that changes nothing but
the time it takes: every request is answered by the route that answered it in declared
order, the OpenAPI document is the same byte for byte, and an order that would shadow a
route is refused when the app is built."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Match, Mount

from practika.api import hot_routes
from practika.api.hot_routes import (
    HOT_ROUTES,
    Endpoint,
    RouteOrderError,
    check_jumps,
    collision,
    paths_can_overlap,
)
from practika.api.routes import health
from practika.app import API_PREFIX, ERROR_RESPONSES, create_app
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
FRONT = 2  # app.router.routes: the OpenAPI document's route, the health router, the front


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    # With a built web app, so its /assets mount and catch-all are among the routes.
    tmp = tmp_path_factory.mktemp("hot")
    (tmp / "dist" / "assets").mkdir(parents=True)
    (tmp / "dist" / "index.html").write_text("<!doctype html>")
    settings = make_settings(tmp, f"sqlite+aiosqlite:///{tmp / 'p.db'}", web_dist=tmp / "dist")
    return create_app(settings)


def declared(app: FastAPI) -> list[BaseRoute]:
    """The app's routes without the front copies: the order they were declared in."""
    return [entry for i, entry in enumerate(app.router.routes) if i != FRONT]


def flat(entries: list[BaseRoute]) -> list[Any]:
    return list(iter_route_contexts(entries))


# ---- the order ---------------------------------------------------------------------


def test_the_hot_routes_come_right_after_the_health_routes(app: FastAPI) -> None:
    routes = flat(app.router.routes)
    assert [(r.path, r.methods) for r in routes[:3]] == [
        ("/api/openapi.json", {"GET", "HEAD"}),
        ("/healthz", {"GET"}),
        ("/readyz", {"GET"}),
    ]
    front = [(method, r.path) for r in routes[3:9] for method in sorted(r.methods)]
    assert front == list(HOT_ROUTES)
    # Kept out of the document: the declared copies are in it.
    assert not any(r.include_in_schema for r in routes[3:9])


def test_the_catch_all_and_the_mounts_stay_behind_the_api(app: FastAPI) -> None:
    routes = flat(app.router.routes)
    paths = [r.path for r in routes]
    last_api = max(i for i, path in enumerate(paths) if path.startswith(API_PREFIX))
    assert paths[-1] == "/{path:path}"
    assert paths.index("/assets") > last_api


def test_a_front_copy_is_the_declared_route_with_the_same_inclusion(app: FastAPI) -> None:
    routes = flat(app.router.routes)
    front, rest = routes[3:9], routes[9:]
    for copy in front:
        (original,) = [r for r in rest if r.original_route is copy.original_route]
        for name in (
            "path_format",
            "methods",
            "name",
            "status_code",
            "responses",
            "tags",
            "dependencies",
            "response_class",
            "response_model",
            "max_body_size",
            "strict_content_type",
            "unique_id",
        ):
            assert getattr(copy, name) == getattr(original, name), (copy.path, name)


# ---- every request still reaches the route it reached --------------------------------


def resolve(entries: list[BaseRoute], method: str, path: str) -> tuple[Match, Any, Any]:
    """What Starlette's router would pick: the first full match, else the first partial
    one (whose methods become a 405's Allow). FastAPI 0.165 has no public way to ask an
    included router which of its routes matched: `_match` is what it uses itself."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    partial: tuple[Match, Any, Any] | None = None
    for entry in entries:
        if hasattr(entry, "_match"):
            match, _, route, context = entry._match(dict(scope))
            methods = getattr(context, "methods", None)
        else:
            match, _ = entry.matches(dict(scope))
            route, methods = entry, getattr(entry, "methods", None)
        if match == Match.FULL:
            return match, route, methods
        if match == Match.PARTIAL and partial is None:
            partial = (match, route, methods)
    return partial or (Match.NONE, None, None)


def example_url(context: Any) -> str:
    path = str(context.path)
    if isinstance(context.original_route, Mount):
        path += "/app.js"
    path = re.sub(r"\{[^}]*:path\}", "a/b.txt", path)
    return re.sub(r"\{[^}]*\}", "00000000-0000-4000-8000-000000000001", path)


def test_every_route_answers_what_it_answered_in_declared_order(app: FastAPI) -> None:
    urls = {example_url(context) for context in flat(app.router.routes)}
    # The URLs where a literal segment and a parameter meet, and ones no route has.
    urls |= {"/api/v1/exercises/categories", "/api/v1/threads/export", "/api/v1/nope", "/"}
    for url in sorted(urls):
        for method in METHODS:
            now = resolve(app.router.routes, method, url)
            before = resolve(declared(app), method, url)
            assert now[0] == before[0], (method, url)
            assert now[1] is before[1], (method, url)
            assert now[2] == before[2], (method, url)  # the same Allow on a 405
    assert len(urls) > 80  # every route's template, the SPA's and the mounts' included


def test_each_hot_request_is_answered_from_the_front(app: FastAPI) -> None:
    front = {id(c.original_route) for c in flat(app.router.routes)[3:9]}
    for method, template in HOT_ROUTES:
        url = template.replace("{thread_id}", "00000000-0000-4000-8000-000000000001")
        match, route, _ = resolve(app.router.routes[: FRONT + 1], method, url)
        assert match == Match.FULL and id(route) in front, (method, url)


# ---- the OpenAPI document ----------------------------------------------------------


def test_the_openapi_document_is_the_declared_orders_byte_for_byte(app: FastAPI) -> None:
    served = json.dumps(app.openapi(), indent=2)
    in_declared_order = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        routes=declared(app),
    )
    assert served == json.dumps(in_declared_order, indent=2)
    # The committed spec, as `practika openapi` writes it (key order included).
    assert served + "\n" == (ROOT / "web" / "openapi.json").read_text()


# ---- the check ---------------------------------------------------------------------


def get(path: str) -> Endpoint:
    return Endpoint(path, frozenset({"GET"}))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("/threads/{thread_id}", "/threads/export"),
        ("/threads/{thread_id}", "/{kind}/{id}"),
        ("/threads/{thread_id}/comments", "/threads/{id}/comments"),
        ("/media/{key:path}", "/media/a/b/c"),
        ("/media/{key:path}", "/media/a"),
        ("/{path:path}", "/api/v1/threads"),
        ("/", "/"),
    ],
)
def test_templates_that_can_match_one_url_overlap(a: str, b: str) -> None:
    assert paths_can_overlap(a, b) and paths_can_overlap(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("/threads", "/threads/{thread_id}"),
        ("/threads/{thread_id}/comments", "/threads/{thread_id}/attempts"),
        ("/threads/{thread_id}/comments", "/videos/{video_id}/comments"),
        ("/exercises", "/exercises/"),
        ("/media/{key:path}", "/media"),
        ("/media/{key:path}", "/api/media/a"),
    ],
)
def test_templates_that_cannot_match_one_url_do_not(a: str, b: str) -> None:
    assert not paths_can_overlap(a, b) and not paths_can_overlap(b, a)


def test_a_hot_route_may_not_jump_a_route_it_would_shadow() -> None:
    with pytest.raises(RouteOrderError, match="would take requests meant for GET /threads/export"):
        check_jumps([(get("/threads/{thread_id}"), [get("/threads/export")])])
    # A mount takes every method.
    with pytest.raises(RouteOrderError, match=r"meant for \* /files/\{path:path\}"):
        check_jumps([(get("/files/{name}"), [Endpoint("/files/{path:path}", None)])])


def test_nor_one_whose_405_it_would_answer() -> None:
    # Only the methods differ: no request changes route, but a method neither allows
    # would get the hot route's 405 (Allow: GET) instead of the jumped one's (POST).
    jumped = Endpoint("/threads", frozenset({"POST"}))
    assert collision(get("/threads"), jumped) == (
        "GET /threads would answer the 405 (and its Allow) that POST /threads answered"
    )
    with pytest.raises(RouteOrderError):
        check_jumps([(get("/threads"), [jumped])])


def test_routes_that_cannot_take_each_others_requests_may_jump() -> None:
    check_jumps(
        [
            (get("/threads/{thread_id}/comments"), [get("/threads/{id}/attempts")]),
            (get("/threads"), [get("/threads/{thread_id}"), Endpoint("/assets/{p:path}", None)]),
            (get("/progress"), []),
        ]
    )
    assert collision(get("/threads"), get("/threads/{thread_id}")) is None


@pytest.mark.parametrize(
    ("hot", "refusal"),
    [
        # Declared after GET /exercises/categories, which it would take.
        (("GET", "/api/v1/exercises/{exercise_id}"), "/api/v1/exercises/categories"),
        (("GET", "/api/v1/thread"), "GET /api/v1/thread: 0 routes"),
    ],
    ids=["one it would shadow", "one it does not have"],
)
def test_the_app_refuses_to_hoist(app: FastAPI, hot: tuple[str, str], refusal: str) -> None:
    with pytest.raises(RouteOrderError, match=refusal):
        hot_routes.hoist(
            app, after=health.router, prefix=API_PREFIX, responses=ERROR_RESPONSES, hot=[hot]
        )
