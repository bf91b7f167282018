"""The `practika` command: serve, migrate, manage users, seed demo data, upload, dump the
API spec, and the `infra` group. Each module registers its commands on the one Typer app,
in the order `practika --help` lists them."""

from __future__ import annotations

from practika.cli.common import app

# isort: split
from practika.cli import service  # noqa: F401  (migrate, serve, worker, openapi)

# isort: split
from practika.cli import accounts, media  # noqa: F401


def _register_infra() -> None:
    from practika import infra_cli

    app.add_typer(infra_cli.app, name="infra")


_register_infra()

__all__ = ["app"]
