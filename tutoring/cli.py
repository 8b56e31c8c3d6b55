"""Command-line groups: accounts, demo data and translations."""

from __future__ import annotations

import subprocess  # noqa: S404 - runs pybabel, a fixed local tool  # nosec B404
import sys
from datetime import date, timedelta
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app, url_for
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from tutoring import PROJECT_ROOT
from tutoring.extensions import db
from tutoring.models import (
    AgeBand,
    FrenchGoal,
    Partner,
    Place,
    PublicCategory,
    Role,
    Sex,
    Structure,
    TutorProfile,
    TutorStatus,
    User,
)
from tutoring.models.base import utcnow
from tutoring.services import accounts as account_service
from tutoring.services import availability
from tutoring.services.learners import (
    LearnerData,
    enrol_learner,
    issue_login_card,
    purge_inactive,
)
from tutoring.services.mail import send_mail
from tutoring.services.passwords import hash_password

DEMO_PASSWORD = "apprendre-ensemble-2026"  # noqa: S105 - published demo password  # nosec B105
DEMO_USERNAMES = [
    "demo-apprenant",
    "demo-tuteur",
    "demo-referent",
    "demo-coordination",
    "demo-admin",
]
DEMO_PARTNERS = [
    "CCAS de Millau",
    "France Travail Millau",
    "CADA de Millau",
    "13e DBLE",
    "Association Myriade (accueil direct)",
    "OFII",
]
# Places of the demo (name, people at a time); address, access and opening hours are
# left for the referents to fill in from what they know, not invented here.
DEMO_PLACES = [
    ("Locaux de Myriade", 8),
    ("Espace numérique MESA", 6),
    ("Médiathèque de Millau", 4),
    ("Campus connecté", 4),
]


accounts_cli = AppGroup("accounts", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demonstration data (never for production).")
exercises_cli = AppGroup("exercises", help="Check, load and count the exercise bank.")
translate_cli = AppGroup("translate", help="Extract, update and compile translations.")
reminders_cli = AppGroup("reminders", help="Session reminders and queued messages.")


@reminders_cli.command("send")
def reminders_send() -> None:
    """Queue tomorrow's session reminders, then send queued e-mails and texts.

    Run it from cron (e.g. every hour): a reminder is queued once per session and
    time, and a message is never sent twice, even when two runs overlap.
    """
    from tutoring.services.notify import queue_reminders, send_pending

    queued = queue_reminders()
    sent, failed = send_pending()
    click.echo(f"{queued} reminders queued, {sent} messages sent, {failed} failed.")


indicators_cli = AppGroup("indicators", help="CTAI indicators: rollups.")


@accounts_cli.command("create-admin")
@click.option("--username", required=True)
@click.option("--email", default=None)
@click.option("--first-name", default="Admin")
def create_admin(username: str, email: str | None, first_name: str) -> None:
    """Create an administrator and print a link to choose the password."""
    if account_service.username_taken(username):
        raise click.ClickException(f"username {username!r} is already taken")
    user = User(username=username.lower(), email=email, first_name=first_name)
    user.add_role(Role.ADMIN)
    db.session.add(user)
    db.session.flush()
    from tutoring.services import audit

    audit.record("account_created", None, user, roles="admin")
    db.session.commit()
    with current_app.test_request_context():
        link = url_for(
            "auth.choose_password",
            token=account_service.password_link_token(user),
            _external=True,
        )
    click.echo(
        f"Administrator {username} created. Choose the password (valid 3 days):\n{link}"
    )


@accounts_cli.command("purge-inactive")
def purge_inactive_command() -> None:
    """Warn referents of learners unused for 24 months; erase them 30 days later."""
    config = current_app.config
    flagged, erased = purge_inactive(
        months=config["INACTIVE_MONTHS"], notice_days=config["ERASURE_NOTICE_DAYS"]
    )
    for learner in flagged:
        referents = db.session.scalars(
            select(User).where(
                User.structure_id == learner.structure_id, User.email.is_not(None)
            )
        ).all()
        for referent in referents:
            if Role.REFERENT in referent.roles and referent.email:
                with current_app.test_request_context(), force_locale(referent.locale):
                    send_mail(
                        referent.email,
                        _("Compte inactif bientôt effacé"),
                        _(
                            "Le compte %(username)s n’a pas servi depuis %(months)s mois. "
                            "Il sera effacé dans %(days)s jours, sauf nouvelle connexion.",
                            username=learner.username,
                            months=config["INACTIVE_MONTHS"],
                            days=config["ERASURE_NOTICE_DAYS"],
                        ),
                    )
    db.session.commit()
    click.echo(f"{len(flagged)} learner(s) flagged, {erased} erased.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo accounts once; refuse if the database holds any other account."""
    existing = db.session.scalar(select(func.count()).select_from(User)) or 0
    demo_count = (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.username.in_(DEMO_USERNAMES))
        )
        or 0
    )
    if demo_count:
        click.echo("Demo data already loaded.")
        _print_demo_accounts()
        return
    if existing:
        raise click.ClickException(
            "The database already holds accounts: demo data not loaded."
        )
    structure = Structure(name="Association Myriade")
    db.session.add(structure)
    db.session.flush()
    for name in DEMO_PARTNERS:
        db.session.add(Partner(structure_id=structure.id, name=name))
    places = [
        Place(structure_id=structure.id, name=name, capacity=capacity)
        for name, capacity in DEMO_PLACES
    ]
    db.session.add_all(places)
    db.session.flush()

    def staff(username: str, first: str, roles: list[Role]) -> User:
        user = User(
            username=username,
            first_name=first,
            structure_id=structure.id,
            password_hash=hash_password(DEMO_PASSWORD),
            email=f"{username}@demo.invalid",
        )
        for role in roles:
            user.add_role(role)
        db.session.add(user)
        db.session.flush()
        return user

    referent = staff("demo-referent", "Claire", [Role.REFERENT])
    staff("demo-coordination", "Julien", [Role.COORDINATOR])
    staff("demo-admin", "Sam", [Role.ADMIN])
    tutor = staff("demo-tuteur", "Marc", [Role.TUTOR])
    db.session.add(
        TutorProfile(
            user_id=tutor.id,
            charter_version=account_service.CHARTER_VERSION,
            status=TutorStatus.APPROVED,
            approved_at=utcnow(),
            decided_by_id=referent.id,
            structure_id=structure.id,
            languages=["ar", "en"],
            place_ids=[places[0].id, places[1].id],
            video_ok=True,
        )
    )
    availability.save(tutor, {(1, "afternoon"), (3, "afternoon"), (5, "morning")})
    partner = db.session.scalar(select(Partner).where(Partner.name == "CADA de Millau"))
    learner = enrol_learner(
        referent,
        LearnerData(
            first_name="Amina",
            public_category=PublicCategory.BPI,
            arrival_year=date.today().year - 1,
            goal=FrenchGoal.A2,
            locale="fr",
            consent_on=date.today() - timedelta(days=3),
            languages=["ar", "en"],
            partner_id=partner.id if partner else None,
            sex=Sex.FEMALE,
            age_band=AgeBand.AGE_26_35,
        ),
    )
    learner_profile = learner.learner_profile
    if learner_profile is not None:
        learner_profile.place_ids = [places[1].id]
        availability.save(learner_profile, {(1, "afternoon"), (4, "morning")})
    learner.username = "demo-apprenant"
    learner.password_hash = hash_password(DEMO_PASSWORD)
    code = issue_login_card(learner, referent)
    db.session.commit()
    _print_demo_accounts(code)


def _print_demo_accounts(card_code: str | None = None) -> None:
    click.echo(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for username in DEMO_USERNAMES:
        click.echo(f"  - {username}")
    if card_code:
        click.echo(f"Login card code of demo-apprenant: {card_code}")
    if not current_app.config["REQUIRE_2FA_ROLES"]:
        click.echo(
            "Two-factor sign-in is NOT required in this demo (REQUIRE_2FA_ROLES is empty)."
        )


def _pybabel(*args: str) -> None:
    cmd = [sys.executable, "-m", "babel.messages.frontend", *args]
    subprocess.run(cmd, check=True, cwd=PROJECT_ROOT)  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603


POT = "tutoring/translations/messages.pot"


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract messages from code and templates into messages.pot."""
    _pybabel(
        "extract",
        "-F",
        "pyproject.toml",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "-o",
        POT,
        ".",
    )


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, merge new messages into every catalog, and fill the French one."""
    translate_extract.callback()  # type: ignore[misc]
    _pybabel(
        "update",
        "-i",
        POT,
        "-d",
        "tutoring/translations",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    fill_reference_catalog(
        PROJECT_ROOT / "tutoring/translations/fr/LC_MESSAGES/messages.po"
    )


@translate_cli.command("init")
@click.argument("locale")
def translate_init(locale: str) -> None:
    """Start the catalog of a new language (then add it to SUPPORTED_LOCALES)."""
    _pybabel("init", "-i", POT, "-d", "tutoring/translations", "-l", locale)


def fill_reference_catalog(path: Path) -> None:
    """French is the source language: its catalog repeats each message as written."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            message.string = (singular, plural, plural)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=88, omit_header=False, no_location=True)


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogs into .mo files."""
    _pybabel("compile", "-d", "tutoring/translations", "--statistics")


def _bank() -> tuple[list, list]:
    from exercises.loading import BANK, load_bank

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
    from tutoring.services.practice import PracticeError, sync_bank

    items, problems = _bank()
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s): run `flask exercises check`."
        )
    try:
        report = sync_bank(items)
    except PracticeError as exc:
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
    import json

    from exercises.__main__ import stats

    items, _problems = _bank()
    counts = stats(items)
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    for key, values in counts.items():
        click.echo(f"{key}: " + ", ".join(f"{k}={v}" for k, v in values.items()))


@exercises_cli.command("civic")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def exercises_civic(as_json: bool) -> None:
    """Check the civic question bank and count it by theme, kind and mention."""
    import json

    from exercises.civic import civic_stats, load_civic

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


@exercises_cli.command("audio")
@click.option("--force", is_flag=True, help="Regenerate every file.")
def exercises_audio(force: bool) -> None:
    """Synthesise the missing audio (espeak-ng, Opus) and remove stale files."""
    from exercises.loading import BANK, load_bank
    from tutoring.services.audio import generate

    items, problems = load_bank(BANK, PROJECT_ROOT / "static", check_audio=False)
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s): run `flask exercises check`."
        )
    created, removed = generate(items, force=force)
    click.echo(f"{created} audio file(s) created, {removed} removed.")


def register(app: Flask) -> None:
    app.cli.add_command(exercises_cli)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(indicators_cli)


@demo_cli.command("generate")
@click.option("--learners", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
def demo_generate(learners: int, seed: int) -> None:
    """Bulk-load synthetic learners and their activity (scale tests, never production)."""
    from tutoring.services.synthetic import generate as generate_synthetic

    counts = generate_synthetic(learners, seed)
    db.session.commit()
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))


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
    from tutoring.services.exams import backfill_language_outcomes

    examined = backfill_language_outcomes(everything)
    db.session.commit()
    click.echo(f"{examined} finished mock French exams examined.")


@indicators_cli.command("rebuild")
def indicators_rebuild() -> None:
    """Recompute every indicator rollup from the stored rows."""
    from tutoring.services.rollups import rebuild_all

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
