"""Stand-ins for `npm`, `cdk`, `aws` and `docker`, installed on PATH by tests/infra.

Each call is appended to $FAKE_TOOLS_LOG (one JSON line: the argv and the working
directory) and answered from the world in $FAKE_TOOLS_STATE, which the calls also change
the way the real services would: a push adds the tag to ECR (a second push of a tag fails,
as with immutable tags), `cdk deploy --all` records the stack's parameters (and refuses a
first deploy without an ImageTag, as CloudFormation does), the migration task exits with
the code the test chose.

Run as `python fake_tools.py <tool> ARGS…` (the wrappers on PATH do exactly that).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

TOOLS = ("npm", "cdk", "aws", "docker")
TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/practika/0123456789abcdef"


def install(bin_dir: Path, state: Path, log: Path) -> dict[str, str]:
    """Write the wrappers; returns the environment variables that point them at `state`."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        wrapper(bin_dir / tool, tool)
    return {"FAKE_TOOLS_STATE": str(state), "FAKE_TOOLS_LOG": str(log)}


def wrapper(path: Path, tool: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{__file__}" {tool} "$@"\n')
    path.chmod(0o755)


def calls(log: Path) -> list[list[str]]:
    """Every recorded argv, tool name first."""
    if not log.exists():
        return []
    return [json.loads(line)["argv"] for line in log.read_text().splitlines()]


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _options(args: list[str], name: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == name]


def _npm(args: list[str], state: dict[str, Any]) -> int:
    cwd = Path.cwd()
    if args[:1] == ["ci"]:
        (cwd / "node_modules").mkdir(exist_ok=True)
        if (cwd / "package.json").exists() and "aws-cdk" in (cwd / "package.json").read_text():
            wrapper(cwd / "node_modules" / ".bin" / "cdk", "cdk")
        elif not (cwd / "package.json").exists():
            wrapper(cwd / "node_modules" / ".bin" / "cdk", "cdk")  # the scratch infra/
    elif args[:2] == ["run", "build"]:
        if state.get("web_build_fails"):
            return 1
        (cwd / "dist").mkdir(exist_ok=True)
        (cwd / "dist" / "index.html").write_text("<!doctype html><title>Practika</title>")
    return 0


def _cdk(args: list[str], state: dict[str, Any]) -> int:
    contexts = dict(c.partition("=")[::2] for c in _options(args, "--context"))
    env = contexts["env"]
    registry, main = f"practika-{env}-registry", f"practika-{env}"
    stacks: dict[str, dict[str, str]] = state.setdefault("stacks", {})
    if args[0] == "deploy":
        if "--all" in args:
            given = {
                k.split(":", 1)[1]: v
                for k, _, v in (p.partition("=") for p in _options(args, "--parameters"))
            }
            merged = {**stacks.get(main, {}), **given}
            if "ImageTag" not in merged or "MigrationImageTag" not in merged:
                missing = sorted({"ImageTag", "MigrationImageTag"} - set(merged))
                print(f"Parameters: {missing} must have values", file=sys.stderr)
                return 1
            stacks[main] = merged
            bootstrap = contexts.get(f"practika:{env}:database_bootstrap") == "true"
            state["services_db_user"] = "owner" if bootstrap else "app"
        stacks.setdefault(registry, {})
        out = _option(args, "--outputs-file")
        if out:
            written: dict[str, Any] = {registry: {"RepositoryUri": state["repository_uri"]}}
            if main in stacks:
                written[main] = {
                    **state.get("platform_outputs", {}),
                    "DeployedImageTag": stacks[main]["ImageTag"],
                    "ServicesDatabaseUser": state.get("services_db_user", "app"),
                }
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_text(json.dumps(written))
    return 0


def _aws(args: list[str], state: dict[str, Any]) -> int:
    service, operation = args[0], args[1]
    images: list[str] = state.setdefault("images", [])
    if (service, operation) == ("ecr", "get-login-password"):
        print("password")
    elif (service, operation) == ("ecr", "describe-images"):
        tag = str(_option(args, "--image-ids")).removeprefix("imageTag=")
        if tag not in images:
            print(
                "An error occurred (ImageNotFoundException) when calling the DescribeImages "
                f"operation: The image with imageId {{imageTag:'{tag}'}} does not exist",
                file=sys.stderr,
            )
            return 254
        print(json.dumps({"imageDetails": [{"imageTags": [tag]}]}))
    elif (service, operation) == ("cloudformation", "describe-stacks"):
        name = str(_option(args, "--stack-name"))
        deployed = state.get("stacks", {}).get(name)
        if deployed is None:
            print(
                "An error occurred (ValidationError) when calling the DescribeStacks "
                f"operation: Stack with id {name} does not exist",
                file=sys.stderr,
            )
            return 254
        parameters = [{"ParameterKey": k, "ParameterValue": v} for k, v in deployed.items()]
        reported = {
            **state.get("platform_outputs", {}),
            # A stack deployed by the test's own set-up runs on its own user already.
            "ServicesDatabaseUser": state.get("services_db_user", "app"),
        }
        outputs = [
            {"OutputKey": k, "OutputValue": v}
            for k, v in reported.items()
            if not name.endswith("-registry")
        ]
        stack = {"StackName": name, "Parameters": parameters, "Outputs": outputs}
        print(json.dumps({"Stacks": [stack]}))
    elif (service, operation) == ("ecs", "run-task"):
        print(json.dumps({"tasks": [{"taskArn": TASK_ARN}], "failures": []}))
    elif (service, operation) == ("ecs", "wait"):
        return 0
    elif (service, operation) == ("ecs", "describe-tasks"):
        code = state.get("migration_exit", 0)
        task = {
            "taskArn": TASK_ARN,
            "lastStatus": "STOPPED",
            "stoppedReason": "Essential container in task exited",
            "containers": [{"name": "app", "exitCode": code}],
        }
        print(json.dumps({"tasks": [task]}))
    else:
        print(f"fake aws: {service} {operation} is not faked", file=sys.stderr)
        return 2
    return 0


def _docker(args: list[str], state: dict[str, Any]) -> int:
    if args[0] == "login":
        sys.stdin.read()
    elif args[0] == "push":
        tag = args[1].rpartition(":")[2]
        images: list[str] = state.setdefault("images", [])
        if tag in images:
            print(
                f"tag invalid: The image tag '{tag}' already exists in the repository "
                "and cannot be overwritten because the repository is immutable.",
                file=sys.stderr,
            )
            return 1
        images.append(tag)
    return 0


def main() -> int:
    tool, args = sys.argv[1], sys.argv[2:]
    state_path = Path(os.environ["FAKE_TOOLS_STATE"])
    with open(os.environ["FAKE_TOOLS_LOG"], "a") as log:
        log.write(json.dumps({"argv": [tool, *args], "cwd": os.getcwd()}) + "\n")
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    code = {"npm": _npm, "cdk": _cdk, "aws": _aws, "docker": _docker}[tool](args, state)
    state_path.write_text(json.dumps(state))
    return code


if __name__ == "__main__":
    sys.exit(main())
