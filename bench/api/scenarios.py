"""The benchmarked requests, as lines for wrk/requests.lua, built from a generated dataset."""

from __future__ import annotations

import json
from pathlib import Path

from bench.api.dataset import PASSWORD, WORDS, Dataset

LINES = 4000
# name -> (what it is, whether it reads)
SCENARIOS = {
    "healthz": "trivial endpoint: the ceiling of the stack",
    "exercise_search": "GET /exercises?q=word as a learner",
    "thread_list": "GET /threads?role=coach: a coach's threads, first page",
    "comments_page": "GET /threads/{id}/comments?limit=20 as the thread's learner",
    "progress": "GET /progress as a learner",
    "post_comment": "POST /threads/{id}/comments as the thread's learner",
    "signin": "POST /auth/signin (argon2id, production cost)",
}
READS = ("exercise_search", "thread_list", "comments_page", "progress")


def _line(method: str, path: str, token: str = "", body: dict | None = None) -> str:
    return "\t".join([method, path, token, json.dumps(body) if body else ""])


def lines(name: str, data: Dataset) -> list[str]:
    threads, learners, coaches = data.threads, data.learners, data.coaches
    out: list[str] = []
    for n in range(LINES):
        t = threads[(n * 7919) % len(threads)]
        learner = learners[n % len(learners)]
        if name == "healthz":
            out.append(_line("GET", "/healthz"))
        elif name == "exercise_search":
            word = WORDS[n % len(WORDS)]
            out.append(_line("GET", f"/api/v1/exercises?q={word}", learner["token"]))
        elif name == "thread_list":
            out.append(
                _line("GET", "/api/v1/threads?role=coach", coaches[n % len(coaches)]["token"])
            )
        elif name == "comments_page":
            out.append(_line("GET", f"/api/v1/threads/{t['id']}/comments?limit=20", t["token"]))
        elif name == "progress":
            out.append(_line("GET", "/api/v1/progress", learner["token"]))
        elif name == "post_comment":
            body = {
                "video_id": t["video"],
                "t_start_ms": 1000,
                "t_end_ms": 2500,
                "body": "bench: hips back",
            }
            out.append(_line("POST", f"/api/v1/threads/{t['id']}/comments", t["token"], body))
        elif name == "signin":
            out.append(
                _line(
                    "POST",
                    "/api/v1/auth/signin",
                    body={"email": learner["email"], "password": PASSWORD},
                )
            )
        else:
            raise KeyError(name)
    return out


def write(name: str, data: Dataset, folder: Path) -> Path:
    path = folder / f"{data.size}-{name}.tsv"
    path.write_text("\n".join(lines(name, data)) + "\n")
    return path
