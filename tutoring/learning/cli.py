"""Command line of learning: rebuild the learner-state rows."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tutoring.core.extensions import db
from tutoring.learning.state import rebuild_all

learning_cli = AppGroup("learning", help="Learners' practice: state rows.")


@learning_cli.command("rebuild-state")
def learning_rebuild_state() -> None:
    """Recompute every learner's state rows (estimates, units, reviews due, this
    month's activity) from the attempts.

    Answers keep the rows current; run this once after the upgrade that adds them,
    after a bulk load that bypasses the application (`flask demo generate`), and
    nightly, so that the item difficulties refined by other learners' answers reach
    the estimates of learners who have not answered since.
    """
    count = rebuild_all()
    db.session.commit()
    click.echo(f"{count} learners' state rebuilt.")
