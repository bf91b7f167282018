"""Liveness and readiness, for the load balancer and the orchestrator."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from practika.api.deps import storage_of

router = APIRouter(tags=["health"])

# Under the ALB's 5 s health-check timeout, so a hung dependency reads as "not ready".
CHECK_TIMEOUT_SECONDS = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive; says nothing about its dependencies."""
    return {"status": "ok"}


async def _database(request: Request) -> None:
    async with request.app.state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _storage(request: Request) -> None:
    await storage_of(request).check()


async def _outcome(check: object) -> str:
    try:
        await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
    except Exception as exc:  # any failure means "not ready", never a 500
        return f"unavailable: {type(exc).__name__}"
    return "ok"


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and video storage is reachable."""
    database, storage = await asyncio.gather(
        _outcome(_database(request)), _outcome(_storage(request))
    )
    checks = {"database": database, "storage": storage}
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
