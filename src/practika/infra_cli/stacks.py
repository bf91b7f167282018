"""`practika infra synth|cost|destroy`: the stacks as a whole. `synth` and `cost` run the
CDK app offline (no AWS account, no npm); `destroy` goes through the CDK CLI."""

from __future__ import annotations

import json

import typer

from practika.infra_cli.common import (
    ContextOption,
    EnvOption,
    cdk,
    cdk_context,
    env_name,
    env_region,
    import_infra_app,
    synthesize,
)


def synth(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Synthesize one environment offline into infra/cdk.out/ENV (cdk-nag runs too). The
    image tag is a stack parameter, so the template is the same for every release."""
    out = synthesize(env_name(env), cdk_context(env, context))
    typer.echo(
        f"synthesized {env}: {', '.join(sorted(p.name for p in out.glob('*.template.json')))}"
    )


def cost(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """The monthly baseline per resource, from the synthesized template and the committed
    price table (infra/prices/<region>.json); offline."""
    ctx = cdk_context(env_name(env), context)
    out = synthesize(env, ctx)
    import_infra_app()
    from practika_infra import cost as costs

    region = env_region(env, ctx)
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


def destroy(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """Delete the stacks (buckets, the database snapshot and the registry are retained)."""
    cdk(["destroy", "--all"], env_name(env), cdk_context(env, context))
