"""Command line of the exercise bank: check, load, count, civic bank, audio."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from exercises.__main__ import stats
from exercises.civic import (
    NEAR_DUPLICATE_SCORE,
    civic_stats,
    duplicate_problems,
    load_civic,
    near_duplicates,
)
from exercises.loading import BANK, Problem, load_bank
from exercises.model import Item
from tutoring.content import speech
from tutoring.content.audio import generate
from tutoring.content.bank import ContentError, sync_bank
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import db

exercises_cli = AppGroup("exercises", help="Check, load and count the exercise bank.")


def _bank() -> tuple[list[Item], list[Problem]]:

    return load_bank(BANK, PROJECT_ROOT / "static")


@exercises_cli.command("check")
def exercises_check() -> None:
    """Validate every bank file; exit 1 with file, item and field for each problem."""
    items, problems = _bank()
    for problem in problems:
        click.echo(
            f"{problem.file}:{problem.item or '-'}:{problem.field or '-'}: {problem.message}"
        )
    click.echo(f"{len(items)} item(s) valid, {len(problems)} problem(s).")
    if problems:
        raise SystemExit(1)


@exercises_cli.command("load")
def exercises_load() -> None:
    """Sync the bank into the database (idempotent; edited items need a new version)."""

    items, problems = _bank()
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s): run `flask exercises check`."
        )
    try:
        report = sync_bank(items)
    except ContentError as exc:
        db.session.rollback()
        raise click.ClickException(
            f"items changed without a new version (bump `version`): {exc.detail}"
        ) from exc
    db.session.commit()
    click.echo(
        f"{report.added} added, {report.unchanged} unchanged, "
        f"{report.retired} retired, {report.reactivated} reactivated."
    )


@exercises_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def exercises_stats(as_json: bool) -> None:
    """Print the counts of items by level, skill, theme and type."""


    items, _problems = _bank()
    counts = stats(items)
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    for key, values in counts.items():
        click.echo(f"{key}: " + ", ".join(f"{k}={v}" for k, v in values.items()))


@exercises_cli.group("civic", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def exercises_civic(ctx: click.Context, as_json: bool) -> None:
    """Check the civic question bank and count it by theme, kind and mention."""

    if ctx.invoked_subcommand is not None:
        return
    questions, problems = load_civic()
    for problem in problems:
        click.echo(str(problem), err=True)
    counts = civic_stats(questions)
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{len(questions)} question(s) valid, {len(problems)} problem(s).")
        for key, values in counts.items():
            click.echo(
                f"{key}: " + ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
            )
    if problems:
        raise SystemExit(1)


@exercises_civic.command("check")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=NEAR_DUPLICATE_SCORE,
    show_default=True,
    help="Similarity (0-100) from which two questions are near-duplicates.",
)
def exercises_civic_check(threshold: float) -> None:
    """List near-duplicate civic questions; fail on pairs not in one family."""

    questions, problems = load_civic()
    pairs = near_duplicates(questions, threshold)
    for score, a, b in pairs:
        mark = f"famille {a.family}" if a.group == b.group else "À TRAITER"
        click.echo(f"{score:5.1f}  {a.id}  {b.id}  [{mark}]")
        click.echo(f"       {a.question} → {a.answer}")
        click.echo(f"       {b.question} → {b.answer}")
    unmarked = duplicate_problems(questions, threshold)
    for problem in problems + unmarked:
        click.echo(str(problem), err=True)
    click.echo(
        f"{len(pairs)} near-duplicate pair(s), {len(unmarked)} outside a family, "
        f"{len(problems)} other problem(s)."
    )
    if problems or unmarked:
        raise SystemExit(1)


@exercises_cli.command("audio")
@click.option("--force", is_flag=True, help="Regenerate every file.")
def exercises_audio(force: bool) -> None:
    """Synthesise the missing audio (espeak-ng, Opus) and remove stale files."""

    items, problems = load_bank(BANK, PROJECT_ROOT / "static", check_audio=False)
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s): run `flask exercises check`."
        )
    created, removed = generate(items, force=force)
    click.echo(f"{created} audio file(s) created, {removed} removed.")


audio_cli = AppGroup("audio", help="The interface's spoken phrases (speaker buttons).")


@audio_cli.command("build")
@click.option("--force", is_flag=True, help="Synthesise every clip again.")
def audio_build(force: bool) -> None:
    """Make the clip of every spoken phrase in each catalog with a voice, from the
    message catalogs (run after editing a translation), and remove stale clips."""
    report = speech.build(force=force)
    click.echo(
        f"{report.created} created, {report.kept} kept, {report.removed} removed; "
        f"voices: {', '.join(report.languages)}; "
        f"French only (no voice): {', '.join(report.without_voice) or '-'}."
    )
