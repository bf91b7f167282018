"""`practika infra synth|diff|deploy|push|smoke|cost|destroy|keygen --env ENV`: the CDK app
in infra/.

`synth` and `cost` run the Python CDK app directly (offline, no AWS account, no npm); the
others wrap the AWS CDK CLI pinned in infra/package.json, installed with `npm ci`, and
the AWS CLI (docs/operations.md says what each command calls, in order). One module a
job: common (options, the programs driven), deployed (what AWS holds), deploy (release
and rollback), migrations, keys (the CloudFront signing key), smoke, stacks (synth, cost,
destroy). The commands are registered here in the order `practika infra --help` lists them.
"""

from __future__ import annotations

from practika.infra_cli import deploy, keys, smoke, stacks
from practika.infra_cli.common import app

for command in (
    stacks.synth,
    deploy.diff,
    deploy.deploy,
    deploy.push,
    smoke.smoke,
    stacks.cost,
    stacks.destroy,
    keys.keygen,
):
    app.command()(command)

__all__ = ["app"]
