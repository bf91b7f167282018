"""cdk-nag acknowledgements: every one names the finding and says why it is fine."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, *findings: tuple[str, str]) -> None:
    """Acknowledge `(rule id, reason)` pairs on a construct and its children."""
    Validations.of(scope).acknowledge(
        *(Acknowledgment(id=f"AwsSolutions::{rule}", reason=why) for rule, why in findings)
    )
