"""Every dependency of every API route is `async`: FastAPI runs a plain `def` (or a
class, through its `__init__`) in its thread pool, ~80 us of CPU and a thread hop per
request for what is a few attribute reads (it was: the playlists' `Shaper`)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from practika.app import create_app
from practika.config import Settings


def _calls(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def test_no_route_depends_on_a_sync_callable(tmp_path: Any) -> None:
    app = create_app(Settings(data_dir=tmp_path, session_secret="s" * 40))
    sync = set()
    routes = [c.original_route for c in iter_route_contexts(app.router.routes)]
    assert sum(isinstance(r, APIRoute) for r in routes) > 50
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        for call in _calls(route.dependant):
            if not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)):
                sync.add(f"{route.path}: {getattr(call, '__qualname__', call)}")
    assert not sync, sorted(sync)
