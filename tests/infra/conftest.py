"""Synthesize each environment once per session, offline, with cdk-nag checking.

`dev` as configured (no domain: AWS hostnames only, plain HTTP on the ALB); `staging`
and `prod` with an example domain, hosted zone and alarm address (they refuse to
synthesize without), so Route53 and ACM appear too.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
# The CDK app's package (infra/practika_infra) imports as the app does, from infra/.
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))
# jsii warns on every start that Node 20 is past end of life (docs/operations.md).
os.environ["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
DOMAIN = {
    "practika:domain": "practika.example.com",
    "practika:hosted_zone_id": "Z0123456789ABCDEFGHIJ",
    "practika:alarm_email": "ops@example.com",
}
# The web build is pinned so the tests do not depend on whether web/dist was built:
# dev synthesizes without one, staging and prod upload a fixture.
WEB_BUILD = {"practika:web_dist": str(Path(__file__).parent / "fixtures" / "web-dist")}
NO_WEB_BUILD = {"practika:web_dist": str(Path(__file__).parent / "fixtures" / "no-web-build")}
# staging and prod refuse to synthesize without a domain, an alarm address and a web build.
# prod also gets the CI stack (the GitHub OIDC deploy role).
CI = {"practika:github_repository": "example/practika"}
ENVS = {"dev": NO_WEB_BUILD, "staging": DOMAIN | WEB_BUILD, "prod": DOMAIN | WEB_BUILD | CI}


@dataclass
class Synth:
    env: str
    outdir: Path
    templates: dict[str, dict[str, Any]]  # stack name → CloudFormation template
    report: dict[str, Any]
    regions: dict[str, str]  # stack name → the region it deploys to

    @property
    def main(self) -> dict[str, Any]:
        return self.templates[f"practika-{self.env}"]

    def resources(self, kind: str, stack: str | None = None) -> dict[str, dict[str, Any]]:
        template = self.templates[stack] if stack else self.main
        return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def synthesize(env: str, outdir: Path, context: dict[str, str]) -> Synth:
    from aws_cdk import App
    from practika_infra import config
    from practika_infra.stack import build

    app = App(outdir=str(outdir), context={**config.feature_flags(), "env": env})
    build(app, config.load(env, context))
    assembly = app.synth()  # raises if cdk-nag finds anything not acknowledged
    templates = {s.stack_name: s.template for s in assembly.stacks}
    report = json.loads((outdir / "validation-report.json").read_text())
    regions = {s.stack_name: s.environment.region for s in assembly.stacks}
    return Synth(env, outdir, templates, report, regions)


@pytest.fixture(scope="session")
def synths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Synth]:
    return {
        env: synthesize(env, tmp_path_factory.mktemp(f"cdk-{env}"), ctx)
        for env, ctx in ENVS.items()
    }


@pytest.fixture(scope="session", params=list(ENVS))
def synth(request: pytest.FixtureRequest, synths: dict[str, Synth]) -> Synth:
    return synths[request.param]
