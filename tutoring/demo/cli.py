"""Command line of demonstration data: load the demo, generate synthetic learners."""

from __future__ import annotations

from datetime import date, timedelta

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
    PublicCategory,
    Sex,
)
from tutoring.core.extensions import db
from tutoring.demo.synthetic import generate as generate_synthetic
from tutoring.pairing import availability
from tutoring.pairing.models import Place

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


demo_cli = AppGroup("demo", help="Demonstration data (never for production).")


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


@demo_cli.command("generate")
@click.option("--learners", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
def demo_generate(learners: int, seed: int) -> None:
    """Bulk-load synthetic learners and their activity (scale tests, never production)."""

    counts = generate_synthetic(learners, seed)
    db.session.commit()
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))
