"""`flask db …` (Flask-Migrate) without loading Alembic in every web worker.

Flask-Migrate imports Alembic as it is imported, about 11 MB per process that a
worker serving pages never uses. The `db` command group is registered as a
stand-in that loads Flask-Migrate when one of its commands is looked up; code that
runs migrations itself (the tests) calls `migrations(app)` first.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, g
from flask.cli import ScriptInfo, with_appcontext

from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import db

DIRECTORY = PROJECT_ROOT / "migrations"


def migrations(app: Flask) -> Any:
    """Bind Flask-Migrate to `app` (once); return its `db` command group."""
    from flask_migrate import Migrate
    from flask_migrate.cli import db as commands  # type: ignore[import-not-found]

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(DIRECTORY))
    return commands


class _LazyGroup(click.Group):
    """Its subcommands are Flask-Migrate's, looked up when one is asked for."""

    def _real(self, ctx: click.Context) -> click.Group:
        app = ctx.ensure_object(ScriptInfo).load_app()
        group: click.Group = migrations(app)
        return group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real(ctx).get_command(ctx, cmd_name)


@click.group("db", cls=_LazyGroup)
@click.option(
    "-d",
    "--directory",
    default=None,
    help='Migration script directory (default is "migrations")',
)
@click.option(
    "-x",
    "--x-arg",
    multiple=True,
    help="Additional arguments consumed by custom env.py scripts",
)
@with_appcontext
def _db(directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Perform database migrations (Flask-Migrate)."""
    # What Flask-Migrate's own group does: its commands read these.
    g.directory = directory
    g.x_arg = x_arg


def init_app(app: Flask) -> None:
    app.cli.add_command(_db)
