"""`practika infra diff|deploy|push`: a release is an image in ECR tagged with its commit,
the web app built from the same checkout, and the platform moved to it in two steps
(the migration task first, then the services)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Annotated

import typer

from practika.infra_cli import common
from practika.infra_cli.common import (
    ContextOption,
    EnvOption,
    TagOption,
    cdk,
    cdk_context,
    env_name,
    env_region,
    fail,
    git,
    outdir,
)
from practika.infra_cli.deployed import deployed_image_tag, deployed_stack, image_exists
from practika.infra_cli.keys import install_signing_key
from practika.infra_cli.migrations import run_migrations


def _image_parameters(env: str, services: str, migration: str) -> list[str]:
    stack = f"practika-{env}"
    return [
        "--parameters",
        f"{stack}:ImageTag={services}",
        "--parameters",
        f"{stack}:MigrationImageTag={migration}",
    ]


def diff(env: EnvOption = "dev", context: ContextOption = None, tag: TagOption = None) -> None:
    """Show what a deploy would change (needs AWS credentials), for the image `--tag`
    or, without one, the image the environment runs now."""
    ctx = cdk_context(env_name(env), context)
    deployed = deployed_image_tag(env, env_region(env, ctx))
    tag = tag or deployed
    if tag is None:
        fail(
            f"practika-{env} is not deployed, so there is no image to diff against: "
            "pass --tag <an image tag in ECR>"
        )
    typer.echo(f"image: {deployed or '(none deployed)'} -> {tag}")
    cdk(["diff", "--all", *_image_parameters(env, tag, tag)], env, ctx)


def build_web_app() -> Path:
    """The SPA, built from this checkout (web/dist is not in git): CloudFront serves it."""
    web = common.ROOT / "web"
    if not (web / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True)
    subprocess.run(["npm", "run", "build"], cwd=web, check=True)
    dist = web / "dist"
    if not (dist / "index.html").is_file():
        fail(f"the web build wrote no {dist / 'index.html'}: not deploying a site without it")
    return dist


def deploy(
    env: EnvOption = "dev",
    context: ContextOption = None,
    tag: Annotated[
        str | None,
        typer.Option(help="redeploy this image (already in ECR) without building anything"),
    ] = None,
    migrate: Annotated[
        bool,
        typer.Option(
            help="run the image's migrations before the services move to it; --no-migrate "
            "to roll back to an older image (its code cannot migrate a newer schema)"
        ),
    ] = True,
) -> None:
    """Registry, image (built and pushed only when ECR lacks it), the web app, then the
    platform in two steps: the migration task of the new image runs and must succeed
    before the services move to it. On a first deploy, then the CloudFront signing key
    goes into its secret and both services restart."""
    env_name(env)
    key = common.INFRA / "keys" / f"{env}.pub.pem"
    if not key.is_file():
        fail(f"no CloudFront key for {env}: run `practika infra keygen --env {env}` first")
    build_allowed = tag is None  # never label this checkout's code with another tag
    if tag is None:
        tag = _release_tag()
    ctx = cdk_context(env, context) | {f"practika:{env}:web_dist": str(build_web_app())}
    outputs = outdir(env) / "outputs.json"
    repo, registry, name, region = _registry(env, ctx, outputs)
    if image_exists(name, tag, region):
        typer.echo(f"image {repo}:{tag} is in ECR already: not building it again")
    elif not build_allowed:
        fail(
            f"{repo}:{tag} is not in ECR. --tag redeploys an image that exists; to build "
            "one, deploy without --tag from a clean checkout of that commit"
        )
    else:
        _build_and_push(repo, registry, tag, region)

    deployed, deployed_outputs = deployed_stack(env, region)
    # Step 1: everything but the services' image; the migration task gets the new one.
    # (On a first deploy nothing runs yet: the services start on the new image against
    # an empty database, and the migration right after gives them their schema.) Until
    # the migration has created the services' own database user, they sign in as the
    # master user (bootstrap); step 2 then moves them to their own.
    services = deployed or tag
    bootstrap = deployed_outputs.get("ServicesDatabaseUser") != "app"
    typer.echo(f"deploying {env}: services on {services}, migration task on {tag}")
    deploy_all = ["deploy", "--all", "--require-approval", "broadening"]
    first_ctx = ctx | ({f"practika:{env}:database_bootstrap": "true"} if bootstrap else {})
    cdk(
        [*deploy_all, *_image_parameters(env, services, tag), "--outputs-file", str(outputs)],
        env,
        first_ctx,
    )
    platform = json.loads(outputs.read_text())[f"practika-{env}"]
    if migrate:
        run_migrations(platform, region)
    else:
        typer.echo("not migrating (--no-migrate): the schema stays as it is")
    # Step 2: the services move to the new image (ECS rolls them, circuit breaker on),
    # and after a bootstrap to their own database user, which the migration created.
    # (Without the migration the user may not exist: the services stay on the owner.)
    switch_user = bootstrap and migrate
    if services != tag or switch_user:
        typer.echo(
            f"migrated; moving the services from {services} to {tag}"
            + (" and to their own database user" if switch_user else "")
        )
        cdk(
            [*deploy_all, *_image_parameters(env, tag, tag), "--outputs-file", str(outputs)],
            env,
            ctx if migrate else first_ctx,
        )
        platform = json.loads(outputs.read_text())[f"practika-{env}"]
    typer.echo(f"deployed {env} at {tag}; outputs in {outputs}")
    install_signing_key(env, platform)


def push(
    env: EnvOption = "dev",
    context: ContextOption = None,
    image: Annotated[
        str, typer.Option(help="the local image to push (built once per commit in CI)")
    ] = "",
) -> None:
    """Push a local image (default `practika:<HEAD commit>`) to the environment's registry
    under the commit's tag, unless ECR has that tag already. CI builds once, pushes to each
    environment, then runs `deploy --tag <commit>`, which builds nothing."""
    env_name(env)
    if git("status", "--porcelain"):
        fail("the working tree has uncommitted changes: the tag would not name its commit")
    tag = _head_tag()
    outputs = outdir(env) / "outputs.json"
    repo, registry, name, region = _registry(env, cdk_context(env, context), outputs)
    if image_exists(name, tag, region):
        typer.echo(f"image {repo}:{tag} is in ECR already")
        return
    _login(registry, region)
    subprocess.run(["docker", "tag", image or f"practika:{tag}", f"{repo}:{tag}"], check=True)
    subprocess.run(["docker", "push", f"{repo}:{tag}"], check=True)
    typer.echo(f"pushed {repo}:{tag}")


def _release_tag() -> str:
    """This checkout's commit as the image tag: what is built must be exactly that commit."""
    dirty = git("status", "--porcelain")
    if dirty:
        fail(
            "the working tree has uncommitted changes, so an image tagged with the "
            f"commit would not be that commit:\n{dirty}\ncommit or stash them, or "
            "redeploy an image already in ECR with --tag"
        )
    return _head_tag()


def _head_tag() -> str:
    return git("rev-parse", "--short=12", "HEAD")


def _registry(env: str, ctx: dict[str, str], outputs: Path) -> tuple[str, str, str, str]:
    """The environment's ECR repository, deployed first if need be: (its URI, the
    registry host, the repository name, the region)."""
    cdk(["deploy", f"practika-{env}-registry", "--outputs-file", str(outputs)], env, ctx)
    repo = json.loads(outputs.read_text())[f"practika-{env}-registry"]["RepositoryUri"]
    registry, _, name = repo.partition("/")
    return repo, registry, name, registry.split(".")[3]


def _login(registry: str, region: str) -> None:
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


def _build_and_push(repo: str, registry: str, tag: str, region: str) -> None:
    _login(registry, region)
    subprocess.run(
        ["docker", "build", "--platform", "linux/amd64", "-t", f"{repo}:{tag}", str(common.ROOT)],
        check=True,
    )
    subprocess.run(["docker", "push", f"{repo}:{tag}"], check=True)
