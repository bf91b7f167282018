"""Small readers over a synthesized CloudFormation template (a dict)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def props(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("Properties", {})  # type: ignore[no-any-return]


def refs(value: Any) -> set[str]:
    """Logical ids a value points at, through Ref and Fn::GetAtt, however deep."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".")[0])
        for item in value.values():
            found |= refs(item)
    elif isinstance(value, list):
        for item in value:
            found |= refs(item)
    return found


def mentions(value: Any, text: str) -> bool:
    return text in json.dumps(value)


def one(template: dict[str, Any], kind: str, prefix: str = "") -> tuple[str, dict[str, Any]]:
    matches = [(k, v) for k, v in of_type(template, kind).items() if k.startswith(prefix)]
    assert len(matches) == 1, f"expected one {kind} {prefix}*, found {[k for k, _ in matches]}"
    return matches[0]


def statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(policy logical id, statement) for every IAM policy statement."""
    for key, policy in of_type(template, "AWS::IAM::Policy").items():
        for statement in props(policy)["PolicyDocument"]["Statement"]:
            yield key, statement


def policy_roles(template: dict[str, Any], policy_key: str) -> set[str]:
    return refs(props(template["Resources"][policy_key]).get("Roles", []))
