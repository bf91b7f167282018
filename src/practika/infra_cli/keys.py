"""The CloudFront signing key pair: `practika infra keygen [--rotate]` makes it (public
half committed in infra/keys/, private half never), and a deploy installs the private
half in its Secrets Manager secret."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from practika.infra_cli import common
from practika.infra_cli.common import EnvOption, env_name, fail

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes


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
    if not is_unset(held) and _public_half(held) == _der(_trusted_key(env)):
        typer.echo("CloudFront signing key: already installed")
        return
    pem = _private_key(env)
    secrets.put_secret_value(SecretId=arn, SecretString=pem)
    typer.echo(f"CloudFront signing key: put infra/keys/{env}.private.pem into {arn}")
    ecs = boto3.client("ecs", region_name=region)
    for service in (outputs["ApiServiceName"], outputs["WorkerServiceName"]):
        ecs.update_service(cluster=outputs["ClusterName"], service=service, forceNewDeployment=True)
        typer.echo(f"restarting {service} (new deployment) to load the key")


def _der(public: PublicKeyTypes) -> bytes:
    """A public key's bytes, comparable whichever file or secret it came from."""
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _public_half(private_pem: str) -> bytes | None:
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    except ValueError:
        return None
    return _der(key.public_key())


def _public_key_file(env: str) -> Path:
    return common.INFRA / "keys" / f"{env}.pub.pem"


def _trusted_key(env: str) -> PublicKeyTypes:
    """The public key CloudFront trusts: the committed infra/keys/ENV.pub.pem."""
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_public_key(_public_key_file(env).read_bytes())


def _private_key(env: str) -> str:
    """The env's private key, checked against the public key CloudFront trusts."""
    private = common.INFRA / "keys" / f"{env}.private.pem"
    if not private.is_file():
        fail(
            f"{private} is missing, so the key secret still holds its placeholder and "
            "playback stays off: put the private key in by hand (docs/operations.md)"
        )
    from cryptography.hazmat.primitives import serialization

    pem = private.read_text()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if _der(key.public_key()) != _der(_trusted_key(env)):
        fail(f"{private} is not the private half of {_public_key_file(env)}: not installed")
    return pem


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
    env_name(env)
    keys = common.INFRA / "keys"
    public, private = keys / f"{env}.pub.pem", keys / f"{env}.private.pem"
    previous_public = keys / f"{env}.previous.pub.pem"
    if public.exists() and not rotate:
        fail(f"{public} exists; `--rotate` to replace it (see docs/operations.md)")
    if rotate:
        _retire(public, private, previous_public, keys / f"{env}.previous.private.pem")
    _write_pair(public, private)
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


def _retire(public: Path, private: Path, previous_public: Path, previous_private: Path) -> None:
    """The current pair renamed to ENV.previous.*: one rotation at a time."""
    if not public.exists():
        fail(f"{public} does not exist: nothing to rotate (run keygen without --rotate)")
    if previous_public.exists():
        fail(
            f"{previous_public} exists: a rotation is under way. Deploy, wait for the "
            "old URLs to expire, delete it, deploy again; then rotate"
        )
    public.rename(previous_public)
    if private.exists():
        private.rename(previous_private)


def _write_pair(public: Path, private: Path) -> None:
    """A new RSA-2048 pair: the private half readable by its owner only."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

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
