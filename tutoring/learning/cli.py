"""Command line of learning: rebuild the learner-state rows (`flask learning
rebuild-state`) and the item analysis (`flask exercises analyse`)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from exercises.analysis import (
    MIN_ANSWERS,
    NEGATIVE_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    UNUSED_SHARE,
)
from tutoring.content.cli import exercises_cli
from tutoring.core.extensions import db
from tutoring.learning.analysis import item_analyses
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


@exercises_cli.command("analyse")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--min-answers", default=MIN_ANSWERS, show_default=True,
    type=click.IntRange(min=1, max=100_000),
    help="Answers an item needs before it is flagged.",
)  # fmt: skip
@click.option("--all", "show_all", is_flag=True, help="Also list unflagged items.")
def exercises_analyse(as_json: bool, min_answers: int, show_all: bool) -> None:
    """Classical item statistics from the learners' first answers; flags the items
    to look at (too easy or too hard for their level, a wrong option more attractive
    than the right one, an option nobody picks, negative discrimination)."""
    analyses = item_analyses(min_answers)
    shown = analyses if show_all else [a for a in analyses if a.flags]
    thresholds = {
        "min_answers": min_answers, "too_easy_above": TOO_EASY,
        "too_hard_below": TOO_HARD, "unused_option_below": UNUSED_SHARE,
        "discrimination_below": NEGATIVE_DISCRIMINATION,
    }  # fmt: skip
    if as_json:
        click.echo(
            json.dumps(
                {"thresholds": thresholds, "analysed": len(analyses),
                 "items": [a.to_json() for a in shown]},
                ensure_ascii=False, indent=2,
            )  # fmt: skip
        )
        return
    click.echo(
        "Thresholds: " + ", ".join(f"{k}={v}" for k, v in thresholds.items())
    )
    for a in shown:
        disc = "-" if a.discrimination is None else f"{a.discrimination:+.2f}"
        at_level = "-" if a.p_at_level is None else f"{a.p_at_level:.2f}"
        click.echo(
            f"{a.item_id} ({a.level}, {a.type}): n={a.answers} p={a.p:.2f} "
            f"p@level={at_level} r={disc} flags={','.join(a.flags) or '-'}"
        )
    click.echo(f"{len(analyses)} item(s) analysed, {len(shown)} shown.")
