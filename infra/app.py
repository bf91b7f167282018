"""The CDK app: `cdk synth -c env=prod` (or `practika infra synth --env prod`).

Settings per environment are in practika_infra/config.py; any of them can be
overridden with context, e.g. `-c practika:prod:domain=practika.example.com
-c practika:prod:hosted_zone_id=Z0123456789`.
"""

from __future__ import annotations

import os
import sys

from aws_cdk import App

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from practika_infra import config
from practika_infra.stack import build


def main() -> None:
    app = App(context=config.feature_flags())
    name = app.node.try_get_context("env") or "dev"
    build(app, config.load(name, app.node.try_get_context))
    app.synth()


if __name__ == "__main__":
    main()
