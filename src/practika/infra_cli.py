"""`practika infra synth|diff|deploy|destroy|keygen --env ENV`: the CDK app in infra/.

`synth` runs the Python CDK app directly (offline, no AWS account, no npm); the
others wrap the AWS CDK CLI pinned in infra/package.json, installed with `npm ci`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
ENVIRONMENTS = ("dev", "staging", "prod")

app = typer.Typer(help="Synthesize and deploy Practika's AWS infrastructure (infra/).")
EnvOption = Annotated[str, typer.Option("--env", help="dev, staging or prod")]
ContextOption = Annotated[
    list[str] | None,
    typer.Option("--context", "-c", help="CDK context KEY=VALUE, e.g. practika:prod:domain=x.com"),
]


def _env(name: str) -> str:
    if name not in ENVIRONMENTS:
        raise typer.BadParameter(f"one of {', '.join(ENVIRONMENTS)}", param_hint="--env")
    return name


def _context(env: str, pairs: list[str] | None) -> dict[str, str]:
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


def _cdk(args: list[str], env: str, context: dict[str, str]) -> None:
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


@app.command()
def synth(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Synthesize one environment offline into infra/cdk.out/ENV (cdk-nag runs too)."""
    out = synthesize(_env(env), _context(env, context))
    typer.echo(
        f"synthesized {env}: {', '.join(sorted(p.name for p in out.glob('*.template.json')))}"
    )


@app.command()
def diff(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Show what a deploy would change (needs AWS credentials)."""
    _cdk(["diff", "--all"], _env(env), _context(env, context))


@app.command()
def deploy(
    env: EnvOption = "dev",
    context: ContextOption = None,
    tag: Annotated[str | None, typer.Option(help="image tag (default: the git commit)")] = None,
) -> None:
    """Registry, image, then the platform: ECR stack → docker build/push → the rest; on a
    first deploy, then the CloudFront signing key into its secret and a service restart."""
    _env(env)
    key = INFRA / "keys" / f"{env}.pub.pem"
    if not key.is_file():
        typer.echo(
            f"no CloudFront key for {env}: run `practika infra keygen --env {env}` first", err=True
        )
        raise typer.Exit(2)
    tag = (
        tag
        or subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ctx = _context(env, context) | {f"practika:{env}:image_tag": tag}
    outputs = outdir(env) / "outputs.json"
    _cdk(["deploy", f"practika-{env}-registry", "--outputs-file", str(outputs)], env, ctx)
    repo = json.loads(outputs.read_text())[f"practika-{env}-registry"]["RepositoryUri"]
    registry = repo.split("/")[0]
    region = registry.split(".")[3]
    login = subprocess.run(
        ["aws", "ecr", "get-login-password", "--region", region],
        capture_output=True,
        text=True,
        check=True,
    )
    subprocess.run(
        ["docker", "login", "--username", "AWS", "--password-stdin", registry],
        input=login.stdout,
        text=True,
        check=True,
    )
    subprocess.run(
        ["docker", "build", "--platform", "linux/amd64", "-t", f"{repo}:{tag}", str(ROOT)],
        check=True,
    )
    subprocess.run(["docker", "push", f"{repo}:{tag}"], check=True)
    _cdk(
        ["deploy", "--all", "--require-approval", "broadening", "--outputs-file", str(outputs)],
        env,
        ctx,
    )
    typer.echo(f"deployed {env} at {tag}; outputs in {outputs}")
    install_signing_key(env, json.loads(outputs.read_text())[f"practika-{env}"])


def install_signing_key(env: str, outputs: dict[str, str]) -> None:
    """On a first deploy the stack creates the CloudFront key secret with a placeholder
    (the private key never goes through CloudFormation) and the tasks start with playback
    off. Put the env's private key in, then restart both services so they sign with it."""
    import boto3

    from practika.aws.cloudfront import is_unset

    arn = outputs["CloudFrontKeySecretArn"]
    region = arn.split(":")[3]
    secrets = boto3.client("secretsmanager", region_name=region)
    if not is_unset(secrets.get_secret_value(SecretId=arn)["SecretString"]):
        typer.echo("CloudFront signing key: already installed")
        return
    pem = _private_key(env)
    secrets.put_secret_value(SecretId=arn, SecretString=pem)
    typer.echo(f"CloudFront signing key: put infra/keys/{env}.private.pem into {arn}")
    ecs = boto3.client("ecs", region_name=region)
    for service in (outputs["ApiServiceName"], outputs["WorkerServiceName"]):
        ecs.update_service(cluster=outputs["ClusterName"], service=service, forceNewDeployment=True)
        typer.echo(f"restarting {service} (new deployment) to load the key")


def _private_key(env: str) -> str:
    """The env's private key, checked against the public key CloudFront trusts."""
    from cryptography.hazmat.primitives import serialization

    private = INFRA / "keys" / f"{env}.private.pem"
    if not private.is_file():
        typer.echo(
            f"{private} is missing, so the key secret still holds its placeholder and "
            "playback stays off: put the private key in by hand (docs/operations.md)",
            err=True,
        )
        raise typer.Exit(2)
    pem = private.read_text()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    public = INFRA / "keys" / f"{env}.pub.pem"
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    trusted = serialization.load_pem_public_key(public.read_bytes())
    if key.public_key().public_bytes(*der) != trusted.public_bytes(*der):
        typer.echo(f"{private} is not the private half of {public}: not installed", err=True)
        raise typer.Exit(2)
    return pem


@app.command()
def destroy(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Delete the stacks (buckets, the database snapshot and the registry are retained)."""
    _cdk(["destroy", "--all"], _env(env), _context(env, context))


@app.command()
def keygen(env: EnvOption = "dev") -> None:
    """Make the CloudFront signing key pair: public half to infra/keys/ENV.pub.pem (commit
    it), private half to infra/keys/ENV.private.pem (never committed) for Secrets Manager."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    _env(env)
    public, private = INFRA / "keys" / f"{env}.pub.pem", INFRA / "keys" / f"{env}.private.pem"
    if public.exists():
        typer.echo(f"{public} exists; delete it first to rotate (see docs/operations.md)", err=True)
        raise typer.Exit(2)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    typer.echo(
        f"wrote {public} (commit it) and {private} (keep it safe; `practika infra deploy "
        f"--env {env}` installs it in Secrets Manager)"
    )
