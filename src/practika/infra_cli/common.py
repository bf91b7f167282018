"""What every `practika infra` command shares: where the CDK app lives, the `--env` and
`--context` options, and the programs it drives (the CDK app and CLI, the AWS CLI, git)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

# Read as `common.ROOT` / `common.INFRA` at call time, never imported by name: the tests
# point them at a scratch checkout.
ROOT = Path(__file__).resolve().parents[3]
INFRA = ROOT / "infra"
APP_DIR = ROOT / "infra"  # where practika_infra imports from (INFRA is the CDK CLI's cwd)
ENVIRONMENTS = ("dev", "staging", "prod")

app = typer.Typer(help="Synthesize and deploy Practika's AWS infrastructure (infra/).")
EnvOption = Annotated[str, typer.Option("--env", help="dev, staging or prod")]
ContextOption = Annotated[
    list[str] | None,
    typer.Option("--context", "-c", help="CDK context KEY=VALUE, e.g. practika:prod:domain=x.com"),
]
TagOption = Annotated[
    str | None,
    typer.Option(help="an image tag in ECR (default: the one the environment runs)"),
]


def env_name(name: str) -> str:
    if name not in ENVIRONMENTS:
        raise typer.BadParameter(f"one of {', '.join(ENVIRONMENTS)}", param_hint="--env")
    return name


def cdk_context(env: str, pairs: list[str] | None) -> dict[str, str]:
    context = {"env": env}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--context")
        context[key] = value
    return context


def outdir(env: str) -> Path:
    return INFRA / "cdk.out" / env


def _quiet_jsii(environ: dict[str, str]) -> dict[str, str]:
    # jsii warns on every run that Node 20 is past end of life (see docs/operations.md).
    return {**environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}


def synthesize(env: str, context: dict[str, str]) -> Path:
    """Run the CDK app in a subprocess, as the CDK CLI would, into cdk.out/<env>."""
    out = outdir(env)
    shutil.rmtree(out, ignore_errors=True)
    environ = _quiet_jsii(
        {**os.environ, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": json.dumps(context)}
    )
    done = subprocess.run([sys.executable, "app.py"], cwd=INFRA, env=environ)
    if done.returncode != 0:
        raise typer.Exit(done.returncode)
    return out


def cdk(args: list[str], env: str, context: dict[str, str]) -> None:
    if shutil.which("npm") is None:
        typer.echo("npm is needed for the AWS CDK CLI (Node.js 20+)", err=True)
        raise typer.Exit(2)
    if not (INFRA / "node_modules" / ".bin" / "cdk").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=INFRA, check=True)
    command = [str(INFRA / "node_modules" / ".bin" / "cdk"), *args]
    command += ["--app", f"{sys.executable} app.py", "--output", str(outdir(env))]
    for key, value in context.items():
        command += ["--context", f"{key}={value}"]
    done = subprocess.run(command, cwd=INFRA, env=_quiet_jsii(dict(os.environ)))
    if done.returncode != 0:
        raise typer.Exit(done.returncode)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def aws(args: list[str], region: str) -> tuple[int, Any, str]:
    """The AWS CLI, JSON out: (exit code, parsed stdout or None, stderr)."""
    done = subprocess.run(
        ["aws", *args, "--region", region, "--output", "json"], capture_output=True, text=True
    )
    parsed = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
    return done.returncode, parsed, done.stderr


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def import_infra_app() -> None:
    """Make infra/'s `practika_infra` package importable (it is not installed)."""
    if str(APP_DIR) not in sys.path:
        sys.path.insert(0, str(APP_DIR))


def env_region(env: str, context: dict[str, str]) -> str:
    """The environment's region, as the CDK app reads it (config plus context)."""
    import_infra_app()
    from practika_infra import config

    return config.load(env, context).region
