"""`practika infra synth|diff|deploy|smoke|destroy|keygen|cost --env ENV`: the CDK app in infra/.

`synth` runs the Python CDK app directly (offline, no AWS account, no npm); the
others wrap the AWS CDK CLI pinned in infra/package.json, installed with `npm ci`, and
the AWS CLI (docs/operations.md says what each command calls, in order).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
APP_DIR = ROOT / "infra"  # where practika_infra imports from (INFRA is the CDK CLI's cwd)
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


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _aws(args: list[str], region: str) -> tuple[int, Any, str]:
    """The AWS CLI, JSON out: (exit code, parsed stdout or None, stderr)."""
    done = subprocess.run(
        ["aws", *args, "--region", region, "--output", "json"], capture_output=True, text=True
    )
    parsed = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
    return done.returncode, parsed, done.stderr


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        _fail(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def _region(env: str, context: dict[str, str]) -> str:
    """The environment's region, as the CDK app reads it (config plus context)."""
    if str(APP_DIR) not in sys.path:
        sys.path.insert(0, str(APP_DIR))
    from practika_infra import config

    return config.load(env, context).region


def deployed_image_tag(env: str, region: str) -> str | None:
    """The image tag the environment's services run (the stack's ImageTag parameter),
    or None when the stack does not exist yet."""
    return deployed_stack(env, region)[0]


def deployed_stack(env: str, region: str) -> tuple[str | None, dict[str, str]]:
    """(the services' image tag, the stack's outputs); (None, {}) when not deployed."""
    code, described, err = _aws(
        ["cloudformation", "describe-stacks", "--stack-name", f"practika-{env}"], region
    )
    if code != 0:
        if "does not exist" in err:
            return None, {}
        _fail(f"cannot read the deployed stack practika-{env}: {err.strip()}")
    stack = described["Stacks"][0]
    outputs = {o["OutputKey"]: str(o["OutputValue"]) for o in stack.get("Outputs", [])}
    for parameter in stack.get("Parameters", []):
        if parameter["ParameterKey"] == "ImageTag":
            return str(parameter["ParameterValue"]), outputs
    return None, outputs


def stack_outputs(env: str, region: str) -> dict[str, str]:
    """The deployed platform stack's outputs (what `practika infra smoke` reads)."""
    code, described, err = _aws(
        ["cloudformation", "describe-stacks", "--stack-name", f"practika-{env}"], region
    )
    if code != 0:
        _fail(f"cannot read the deployed stack practika-{env}: {err.strip()}")
    outputs = described["Stacks"][0].get("Outputs", [])
    return {o["OutputKey"]: str(o["OutputValue"]) for o in outputs}


def image_exists(repository: str, tag: str, region: str) -> bool:
    """Whether ECR holds `repository:tag` (tags are immutable: a second push fails)."""
    code, _, err = _aws(
        [
            "ecr",
            "describe-images",
            "--repository-name",
            repository,
            "--image-ids",
            f"imageTag={tag}",
        ],
        region,
    )
    if code == 0:
        return True
    if "ImageNotFoundException" in err:
        return False
    _fail(f"cannot ask ECR for {repository}:{tag}: {err.strip()}")


def _image_parameters(env: str, services: str, migration: str) -> list[str]:
    stack = f"practika-{env}"
    return [
        "--parameters",
        f"{stack}:ImageTag={services}",
        "--parameters",
        f"{stack}:MigrationImageTag={migration}",
    ]


@app.command()
def synth(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Synthesize one environment offline into infra/cdk.out/ENV (cdk-nag runs too). The
    image tag is a stack parameter, so the template is the same for every release."""
    out = synthesize(_env(env), _context(env, context))
    typer.echo(
        f"synthesized {env}: {', '.join(sorted(p.name for p in out.glob('*.template.json')))}"
    )


TagOption = Annotated[
    str | None,
    typer.Option(help="an image tag in ECR (default: the one the environment runs)"),
]


@app.command()
def diff(env: EnvOption = "dev", context: ContextOption = None, tag: TagOption = None) -> None:
    """Show what a deploy would change (needs AWS credentials), for the image `--tag`
    or, without one, the image the environment runs now."""
    ctx = _context(_env(env), context)
    deployed = deployed_image_tag(env, _region(env, ctx))
    tag = tag or deployed
    if tag is None:
        _fail(
            f"practika-{env} is not deployed, so there is no image to diff against: "
            "pass --tag <an image tag in ECR>"
        )
    typer.echo(f"image: {deployed or '(none deployed)'} -> {tag}")
    _cdk(["diff", "--all", *_image_parameters(env, tag, tag)], env, ctx)


def build_web_app() -> Path:
    """The SPA, built from this checkout (web/dist is not in git): CloudFront serves it."""
    web = ROOT / "web"
    if not (web / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True)
    subprocess.run(["npm", "run", "build"], cwd=web, check=True)
    dist = web / "dist"
    if not (dist / "index.html").is_file():
        _fail(f"the web build wrote no {dist / 'index.html'}: not deploying a site without it")
    return dist


@app.command()
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
    _env(env)
    key = INFRA / "keys" / f"{env}.pub.pem"
    if not key.is_file():
        _fail(f"no CloudFront key for {env}: run `practika infra keygen --env {env}` first")
    if tag is None:
        # The tag names a commit: what is built must be exactly that commit.
        dirty = _git("status", "--porcelain")
        if dirty:
            _fail(
                "the working tree has uncommitted changes, so an image tagged with the "
                f"commit would not be that commit:\n{dirty}\ncommit or stash them, or "
                "redeploy an image already in ECR with --tag"
            )
        tag = _git("rev-parse", "--short=12", "HEAD")
        build_allowed = True
    else:
        build_allowed = False  # never label this checkout's code with another tag
    ctx = _context(env, context) | {f"practika:{env}:web_dist": str(build_web_app())}
    outputs = outdir(env) / "outputs.json"
    _cdk(["deploy", f"practika-{env}-registry", "--outputs-file", str(outputs)], env, ctx)
    repo = json.loads(outputs.read_text())[f"practika-{env}-registry"]["RepositoryUri"]
    registry, _, name = repo.partition("/")
    region = registry.split(".")[3]
    if image_exists(name, tag, region):
        typer.echo(f"image {repo}:{tag} is in ECR already: not building it again")
    elif not build_allowed:
        _fail(
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
    _cdk(
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
        _cdk(
            [*deploy_all, *_image_parameters(env, tag, tag), "--outputs-file", str(outputs)],
            env,
            ctx if migrate else first_ctx,
        )
        platform = json.loads(outputs.read_text())[f"practika-{env}"]
    typer.echo(f"deployed {env} at {tag}; outputs in {outputs}")
    install_signing_key(env, platform)


@app.command()
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
    _env(env)
    if _git("status", "--porcelain"):
        _fail("the working tree has uncommitted changes: the tag would not name its commit")
    tag = _git("rev-parse", "--short=12", "HEAD")
    ctx = _context(env, context)
    outputs = outdir(env) / "outputs.json"
    _cdk(["deploy", f"practika-{env}-registry", "--outputs-file", str(outputs)], env, ctx)
    repo = json.loads(outputs.read_text())[f"practika-{env}-registry"]["RepositoryUri"]
    registry, _, name = repo.partition("/")
    region = registry.split(".")[3]
    if image_exists(name, tag, region):
        typer.echo(f"image {repo}:{tag} is in ECR already")
        return
    _login(registry, region)
    subprocess.run(["docker", "tag", image or f"practika:{tag}", f"{repo}:{tag}"], check=True)
    subprocess.run(["docker", "push", f"{repo}:{tag}"], check=True)
    typer.echo(f"pushed {repo}:{tag}")


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
        ["docker", "build", "--platform", "linux/amd64", "-t", f"{repo}:{tag}", str(ROOT)],
        check=True,
    )
    subprocess.run(["docker", "push", f"{repo}:{tag}"], check=True)


# `aws ecs wait tasks-stopped` gives up after 10 minutes; a long migration gets this many.
MIGRATION_WAITS = 12


def run_migrations(outputs: dict[str, str], region: str) -> None:
    """`practika migrate` as a one-off task of the new image; waits for it and stops the
    deploy unless it exited 0 (the services are still on the old image then)."""
    cluster = outputs["ClusterName"]
    network = (
        f"awsvpcConfiguration={{subnets=[{outputs['ServiceSubnetIds']}],"
        f"securityGroups=[{outputs['ServiceSecurityGroupId']}],assignPublicIp=DISABLED}}"
    )
    code, started, err = _aws(
        [
            "ecs",
            "run-task",
            "--cluster",
            cluster,
            "--task-definition",
            outputs["MigrationTaskDefinitionArn"],
            "--launch-type",
            "FARGATE",
            "--count",
            "1",
            "--started-by",
            "practika-deploy",
            "--network-configuration",
            network,
        ],
        region,
    )
    if code != 0 or not (started or {}).get("tasks"):
        _fail(f"could not start the migration task: {err.strip() or started}")
    task = started["tasks"][0]["taskArn"]
    typer.echo(f"migrating: task {task}")
    for _ in range(MIGRATION_WAITS):
        code, _, err = _aws(
            ["ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", task], region
        )
        if code == 0:
            break
    else:
        _fail(f"the migration task {task} is still running; the services were not updated")
    _, described, _ = _aws(["ecs", "describe-tasks", "--cluster", cluster, "--tasks", task], region)
    [stopped] = described["tasks"]
    [container] = [c for c in stopped["containers"] if c["name"] == "app"]
    if container.get("exitCode") != 0:
        _fail(
            f"the migration failed (exit {container.get('exitCode')}: "
            f"{stopped.get('stoppedReason', 'no reason given')}); the services still run "
            "the previous image. Its log: the api log group, stream prefix app/app/"
        )
    typer.echo("migration finished (exit 0)")


def install_signing_key(env: str, outputs: dict[str, str]) -> None:
    """On a first deploy the stack creates the CloudFront key secret with a placeholder
    (the private key never goes through CloudFormation) and the tasks start with playback
    off; after `keygen --rotate` the secret still holds the retiring key. Either way, put
    the env's current private key in, then restart both services so they sign with it."""
    import boto3

    from practika.aws.cloudfront import is_unset

    arn = outputs["CloudFrontKeySecretArn"]
    region = arn.split(":")[3]
    secrets = boto3.client("secretsmanager", region_name=region)
    held = secrets.get_secret_value(SecretId=arn)["SecretString"]
    if not is_unset(held) and _public_half(held) == _public_half_of_file(env):
        typer.echo("CloudFront signing key: already installed")
        return
    pem = _private_key(env)
    secrets.put_secret_value(SecretId=arn, SecretString=pem)
    typer.echo(f"CloudFront signing key: put infra/keys/{env}.private.pem into {arn}")
    ecs = boto3.client("ecs", region_name=region)
    for service in (outputs["ApiServiceName"], outputs["WorkerServiceName"]):
        ecs.update_service(cluster=outputs["ClusterName"], service=service, forceNewDeployment=True)
        typer.echo(f"restarting {service} (new deployment) to load the key")


def _public_half(private_pem: str) -> bytes | None:
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    except ValueError:
        return None
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _public_half_of_file(env: str) -> bytes:
    from cryptography.hazmat.primitives import serialization

    public = serialization.load_pem_public_key((INFRA / "keys" / f"{env}.pub.pem").read_bytes())
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


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


SMOKE_OUTPUTS = (
    "ApiUrl",
    "AppUrl",
    "VideosBucketName",
    "CloudFrontKeySecretArn",
    "CloudFrontKeyPairId",
)


@app.command()
def smoke(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """After a deploy (needs AWS credentials): /healthz, /readyz, the web app, then a
    video through CloudFront, signed (200) and unsigned (403); stops at the first failure."""
    import boto3

    from practika import infra_smoke

    ctx = _context(_env(env), context)
    region = _region(env, ctx)
    outputs = stack_outputs(env, region)
    missing = sorted(set(SMOKE_OUTPUTS) - set(outputs))
    if missing:
        _fail(f"practika-{env} has no outputs {missing}: deploy this version of the stack first")
    try:
        infra_smoke.run(
            infra_smoke.Deployment.from_outputs(outputs),
            get=infra_smoke.http_status,
            s3=boto3.client("s3", region_name=region),
            secrets=boto3.client("secretsmanager", region_name=region),
            say=typer.echo,
        )
    except infra_smoke.SmokeFailed as exc:
        _fail(f"smoke test failed: {exc}", 1)


@app.command()
def cost(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """The monthly baseline per resource, from the synthesized template and the committed
    price table (infra/prices/<region>.json); offline."""
    ctx = _context(_env(env), context)
    out = synthesize(env, ctx)
    if str(APP_DIR) not in sys.path:
        sys.path.insert(0, str(APP_DIR))
    from practika_infra import cost as costs

    region = _region(env, ctx)
    template = json.loads((out / f"practika-{env}.template.json").read_text())
    lines = costs.estimate(template, costs.prices(region))
    typer.echo(f"practika-{env}, {region}, monthly baseline (USD, on-demand list prices):")
    for line in sorted(lines, key=lambda x: -x.monthly):
        if line.monthly >= 1:
            typer.echo(f"  {line.monthly:9.2f}  {line.item:<45} {line.resource}")
    small = [line for line in lines if line.monthly < 1]
    if small:
        total_small = sum(line.monthly for line in small)
        typer.echo(f"  {total_small:9.2f}  {len(small)} items under $1 (alarms, secrets, …)")
    typer.echo(f"  {sum(line.monthly for line in lines):9.2f}  total")


@app.command()
def destroy(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Delete the stacks (buckets, the database snapshot and the registry are retained)."""
    _cdk(["destroy", "--all"], _env(env), _context(env, context))


@app.command()
def keygen(
    env: EnvOption = "dev",
    rotate: Annotated[
        bool,
        typer.Option(
            help="keep the current pair as ENV.previous.*.pem (CloudFront trusts both until "
            "that file is deleted and the env deployed again) and make a new one"
        ),
    ] = False,
) -> None:
    """Make the CloudFront signing key pair: public half to infra/keys/ENV.pub.pem (commit
    it), private half to infra/keys/ENV.private.pem (never committed) for Secrets Manager."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    _env(env)
    keys = INFRA / "keys"
    public, private = keys / f"{env}.pub.pem", keys / f"{env}.private.pem"
    previous_public = keys / f"{env}.previous.pub.pem"
    previous_private = keys / f"{env}.previous.private.pem"
    if public.exists() and not rotate:
        _fail(f"{public} exists; `--rotate` to replace it (see docs/operations.md)")
    if rotate:
        if not public.exists():
            _fail(f"{public} does not exist: nothing to rotate (run keygen without --rotate)")
        if previous_public.exists():
            _fail(
                f"{previous_public} exists: a rotation is under way. Deploy, wait for the "
                "old URLs to expire, delete it, deploy again; then rotate"
            )
        public.rename(previous_public)
        if private.exists():
            private.rename(previous_private)
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
    if rotate:
        typer.echo(
            f"kept the old public key as {previous_public}: commit both and deploy (CloudFront "
            "trusts both, the app signs with the new one); once the old URLs have expired "
            f"(PRACTIKA_MEDIA_URL_TTL_SECONDS), `git rm` {previous_public.name} and deploy again"
        )
