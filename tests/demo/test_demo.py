"""The demo data: loaded once, never over real accounts, signed into as documented."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import card_login, login
from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db


def test_demo_data_loads_once_and_never_over_real_data(runner, make, app):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for name in (
        "demo-apprenant",
        "demo-tuteur",
        "demo-referent",
        "demo-coordination",
        "demo-admin",
    ):
        assert name in result.output
    assert "apprendre-ensemble-2026" in result.output
    count = make.run(lambda: db.session.scalar(select(func.count()).select_from(User)))
    again = runner.invoke(args=["demo", "load"])
    assert "already loaded" in again.output
    assert (
        make.run(lambda: db.session.scalar(select(func.count()).select_from(User)))
        == count
    )
    client = app.test_client()
    app.config["REQUIRE_2FA_ROLES"] = []
    assert login(client, "demo-referent", "apprendre-ensemble-2026").status_code == 302


def test_demo_data_refuses_a_database_with_real_accounts(runner, make):
    make.user("claire", Role.REFERENT)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "demo data not loaded" in result.output


def test_the_demo_has_sessions_to_report_and_reported_ones(runner, make, app):
    from tutoring.core.database import utcnow
    from tutoring.sessions.models import SessionStatus, TutoringSession

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    rows = make.run(
        lambda: list(db.session.scalars(select(TutoringSession).order_by("starts_at")))
    )
    now = utcnow()
    held = [r for r in rows if r.status == SessionStatus.HELD]
    to_report = [
        r for r in rows if r.status == SessionStatus.SCHEDULED and r.starts_at < now
    ]
    coming = [r for r in rows if r.starts_at > now]
    assert len(held) == 2
    assert all(r.minutes == 60 for r in held)
    assert len(to_report) == 1
    assert len(coming) == 1
    app.config["REQUIRE_2FA_ROLES"] = []
    client = app.test_client()
    login(client, "demo-tuteur", "apprendre-ensemble-2026")
    page = client.get(f"/tuteur/apprenants/{to_report[0].learner_id}").get_data(
        as_text=True
    )
    assert f"/tuteur/seances/{to_report[0].id}/compte-rendu" in page
    assert "Disponibilités communes" in page
    assert (
        client.get(f"/tuteur/seances/{to_report[0].id}/compte-rendu").status_code == 200
    )


def test_synthetic_learners_are_generated_once_and_never_in_a_deployment(
    runner, make, app
):
    from tutoring.accounts.profiles import LearnerProfile

    first = runner.invoke(args=["demo", "generate", "--learners", "20", "--once"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo", "generate", "--learners", "20", "--once"])
    assert "already loaded" in again.output
    count = make.run(lambda: db.session.scalar(select(func.count(LearnerProfile.id))))
    assert count == 20
    app.config.update(
        SESSION_COOKIE_SECURE=True, SITE_URL="https://francais.example.org"
    )
    try:
        for args in (["demo", "generate", "--learners", "5"], ["demo", "load"]):
            refused = runner.invoke(args=args)
            assert refused.exit_code != 0
            assert "never loaded there" in refused.output
    finally:
        app.config.update(SESSION_COOKIE_SECURE=False, SITE_URL=None)


def test_the_welcome_box_gives_address_accounts_password_and_card_code(runner, app):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "welcome", "--url", "http://127.0.0.1:5000"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("+--")
    assert lines[-1].startswith("+--")
    box = "\n".join(lines)
    assert "http://127.0.0.1:5000" in box
    assert "apprendre-ensemble-2026" in box
    for name in ("demo-apprenant", "demo-tuteur", "demo-referent",
                 "demo-coordination", "demo-admin"):  # fmt: skip
        assert name in box
    code = re.search(r"demo-apprenant: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", box)
    assert code is not None
    client = app.test_client()
    assert card_login(client, code[1]).status_code == 302  # the code works
    assert len({len(line) for line in lines}) == 1  # a straight box


def test_the_welcome_waits_for_its_own_server_only(runner, app):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    result = runner.invoke(
        args=["demo", "welcome", "--url", "http://127.0.0.1:9", "--wait", "1"]
    )
    assert result.exit_code != 0
    assert "does not answer" in result.output
