"""Command line of accounts: create an administrator, purge inactive learners."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from tutoring.accounts import audit, users
from tutoring.accounts.models import Role, User
from tutoring.accounts.rights import purge_inactive
from tutoring.core.extensions import db
from tutoring.core.mail import send_mail
from tutoring.core.urls import external_url

accounts_cli = AppGroup("accounts", help="Manage accounts.")


@accounts_cli.command("create-admin")
@click.option("--username", required=True)
@click.option("--email", default=None)
@click.option("--first-name", default="Admin")
def create_admin(username: str, email: str | None, first_name: str) -> None:
    """Create an administrator and print a link to choose the password."""
    if users.username_taken(username):
        raise click.ClickException(f"username {username!r} is already taken")
    user = User(username=username.lower(), email=email, first_name=first_name)
    user.add_role(Role.ADMIN)
    db.session.add(user)
    db.session.flush()

    audit.record("account_created", None, user, roles="admin")
    db.session.commit()
    link = external_url("accounts.choose_password", token=users.password_link_token(user))
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
