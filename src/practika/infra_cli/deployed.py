"""What the AWS account holds now: the deployed platform stack and the images in ECR."""

from __future__ import annotations

from practika.infra_cli.common import aws, fail


def deployed_image_tag(env: str, region: str) -> str | None:
    """The image tag the environment's services run (the stack's ImageTag parameter),
    or None when the stack does not exist yet."""
    return deployed_stack(env, region)[0]


def deployed_stack(env: str, region: str) -> tuple[str | None, dict[str, str]]:
    """(the services' image tag, the stack's outputs); (None, {}) when not deployed."""
    code, described, err = aws(
        ["cloudformation", "describe-stacks", "--stack-name", f"practika-{env}"], region
    )
    if code != 0:
        if "does not exist" in err:
            return None, {}
        fail(f"cannot read the deployed stack practika-{env}: {err.strip()}")
    stack = described["Stacks"][0]
    outputs = {o["OutputKey"]: str(o["OutputValue"]) for o in stack.get("Outputs", [])}
    for parameter in stack.get("Parameters", []):
        if parameter["ParameterKey"] == "ImageTag":
            return str(parameter["ParameterValue"]), outputs
    return None, outputs


def stack_outputs(env: str, region: str) -> dict[str, str]:
    """The deployed platform stack's outputs (what `practika infra smoke` reads)."""
    code, described, err = aws(
        ["cloudformation", "describe-stacks", "--stack-name", f"practika-{env}"], region
    )
    if code != 0:
        fail(f"cannot read the deployed stack practika-{env}: {err.strip()}")
    outputs = described["Stacks"][0].get("Outputs", [])
    return {o["OutputKey"]: str(o["OutputValue"]) for o in outputs}


def image_exists(repository: str, tag: str, region: str) -> bool:
    """Whether ECR holds `repository:tag` (tags are immutable: a second push fails)."""
    code, _, err = aws(
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
    fail(f"cannot ask ECR for {repository}:{tag}: {err.strip()}")
