"""Command line of indicators: rebuild rollups, record mock exams' outcomes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tutoring.core.extensions import db
from tutoring.exams.language import backfill_language_outcomes
from tutoring.indicators.outcomes import queue_expiry_notices
from tutoring.indicators.rollups import rebuild_all
from tutoring.sessions.cli import QUEUERS

# `flask reminders send` also tells of results that stop counting soon.
QUEUERS.append(queue_expiry_notices)

indicators_cli = AppGroup("indicators", help="CTAI indicators: rollups.")


@indicators_cli.command("language-exams")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Recompute every finished exam, not only those without an outcome.",
)
def indicators_language_exams(everything: bool) -> None:
    """Record, for finished mock French exams, whether each skill reached the target.

    New exams get their outcome when they finish; run this once after the migration
    that added the columns, for exams finished before it. Item difficulties are
    refined as learners answer, so --all may move a past outcome at a boundary.
    """

    examined = backfill_language_outcomes(everything)
    db.session.commit()
    click.echo(f"{examined} finished mock French exams examined.")


@indicators_cli.command("rebuild")
def indicators_rebuild() -> None:
    """Recompute every indicator rollup from the stored rows."""

    counts = rebuild_all()
    db.session.commit()
    click.echo(
        f"{counts['practice_days']} learner-days of practice, "
        f"{counts['session_months']} learner-months of sessions, "
        f"{counts['learner_years']} learner-years of activity, "
        f"{counts['tutor_months']} volunteer-months of meetings, "
        f"{counts['learner_levels']} learners' levels and "
        f"{counts['first_pairings']} first pairings rolled up."
    )
