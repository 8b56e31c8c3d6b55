"""Command line of demonstration data: load the demo, generate synthetic learners."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, time, timedelta
from http.client import HTTPConnection, HTTPException
from time import monotonic, sleep
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from tutoring.accounts import users
from tutoring.accounts.cards import issue_login_card
from tutoring.accounts.enrolment import LearnerData, enrol_learner
from tutoring.accounts.models import Partner, Role, Structure, User
from tutoring.accounts.passwords import hash_password
from tutoring.accounts.profiles import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    PublicCategory,
    Sex,
)
from tutoring.core.clock import local
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.demo.synthetic import generate as generate_synthetic
from tutoring.indicators.report import synthetic_present
from tutoring.pairing import availability, pairings
from tutoring.pairing.models import Place
from tutoring.sessions import booking
from tutoring.sessions.models import Attendance

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


# Places of the demo (name, people at a time, days open, hours); address and access
# are left for the referents to fill in from what they know, not invented here.
DEMO_PLACES = [
    ("Locaux de Myriade", 8, "01234", time(9, 0), time(18, 0)),
    ("Espace numérique MESA", 6, "012345", time(9, 0), time(19, 0)),
    ("Médiathèque de Millau", 4, "12345", time(10, 0), time(18, 0)),
    ("Campus connecté", 4, "01234", time(8, 30), time(20, 0)),
]


def production(config: Mapping[str, object]) -> bool:
    """Is this a deployment (HTTPS cookies and an https:// address)? Demo data never
    goes there."""
    return bool(config.get("SESSION_COOKIE_SECURE")) and str(
        config.get("SITE_URL") or ""
    ).startswith("https://")


def _refuse_in_production() -> None:
    if production(current_app.config):
        raise click.ClickException(
            "This looks like a deployment (SESSION_COOKIE_SECURE and an https:// "
            "SITE_URL): demo data is never loaded there."
        )


demo_cli = AppGroup("demo", help="Demonstration data (never for production).")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo accounts once; refuse if the database holds any other account."""
    _refuse_in_production()
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
        Place(
            structure_id=structure.id, name=name, capacity=capacity,
            open_days=days, opens_at=opens, closes_at=closes,
        )
        for name, capacity, days, opens, closes in DEMO_PLACES
    ]  # fmt: skip
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
    users.add_approved_volunteer(
        tutor,
        referent,
        languages=["ar", "en"],
        place_ids=[places[0].id, places[1].id],
        video_ok=True,
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
    if learner_profile is not None:
        _demo_sessions(referent, tutor, learner_profile, places[1])
    db.session.commit()
    _print_demo_accounts(code)


def _demo_sessions(
    referent: User, tutor: User, learner: LearnerProfile, place: Place
) -> None:
    """Pair the demo tutor and learner, with sessions at their common half-day
    (Tuesday afternoon): two reported, one past to report, one to come."""
    pairing = pairings.propose(referent, learner, tutor)
    pairings.respond(tutor, pairing, accept=True)
    db.session.flush()
    today = local(utcnow()).date()
    last_tuesday = today - timedelta(days=(today.weekday() - 1) % 7 or 7)
    days = [last_tuesday - timedelta(days=14), last_tuesday - timedelta(days=7),
            last_tuesday, last_tuesday + timedelta(days=7)]  # fmt: skip
    for i, day in enumerate(days):
        [row] = booking.book(
            booking.Booking(
                tutor_id=tutor.id, learners=[(learner.id, pairing.id)], day=day,
                at=time(14, 0), minutes=60, place=place, past_ok=True,
            )
        )  # fmt: skip
        if i < 2:
            booking.record_report(
                row, attendance=Attendance.PRESENT, minutes=60,
                note_for_learner="Bravo : vous vous présentez très bien.",
                note_for_referent="", skills=["EO"], themes=[],
            )  # fmt: skip


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


@demo_cli.command("welcome")
@click.option("--url", required=True, help="The address the demo server answers on.")
@click.option("--wait", type=click.IntRange(0, 600), default=0,
              help="Seconds to wait for the server to answer first.")  # fmt: skip
@click.option("--pid", type=int, help="The server's process: stop waiting if it ends.")
def demo_welcome(url: str, wait: int, pid: int | None) -> None:
    """Print the box to start with: address, accounts, password and a fresh login
    card code for demo-apprenant (the previous card stops working)."""
    _refuse_in_production()
    learner = db.session.scalar(select(User).where(User.username == "demo-apprenant"))
    referent = db.session.scalar(select(User).where(User.username == "demo-referent"))
    if learner is None or referent is None:
        raise click.ClickException("Demo data is not loaded: run `flask demo load`.")
    if wait and not _answers(url, wait, pid):
        raise click.ClickException(f"The server does not answer on {url}.")
    code = issue_login_card(learner, referent)
    db.session.commit()
    click.echo(welcome_box(url, code))


def _answers(url: str, wait: int, pid: int | None) -> bool:
    """Does the demo answer its health check at `url` (tried for `wait` seconds,
    while the server process `pid` runs)?"""
    parts = urlsplit(url)
    deadline = monotonic() + wait
    while monotonic() < deadline:
        if pid is not None and not _running(pid):
            return False
        try:
            connection = HTTPConnection(
                parts.hostname or "127.0.0.1", parts.port or 80, timeout=2
            )
            connection.request("GET", "/sante")
            response = connection.getresponse()
            ok = response.status == 200 and b'"ok"' in response.read()
            connection.close()
        except (OSError, HTTPException):
            ok = False
        if ok:
            return True
        sleep(0.25)
    return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def welcome_box(url: str, code: str) -> str:
    """The demo's address, accounts, password and card code, framed."""
    lines = [
        "Myriade tutoring demo",
        "",
        f"Open: {url}",
        "",
        f"Accounts (password for all: {DEMO_PASSWORD}):",
        "  demo-apprenant     learner",
        "  demo-tuteur        volunteer tutor",
        "  demo-referent      referent",
        "  demo-coordination  coordinator",
        "  demo-admin         administrator",
        "",
        f"Login card code of demo-apprenant: {code}",
        f"  (or open {url.rstrip('/')}/carte and type it)",
        "",
        "Stop the server with Ctrl+C.",
    ]
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])


@demo_cli.command("generate")
@click.option("--learners", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--once", is_flag=True, help="Do nothing if synthetic learners exist.")
def demo_generate(learners: int, seed: int, once: bool) -> None:
    """Bulk-load synthetic learners and their activity (scale tests, never production)."""
    _refuse_in_production()
    if once and synthetic_present():
        click.echo("Synthetic learners already loaded.")
        return
    counts = generate_synthetic(learners, seed)
    db.session.commit()
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))
