"""The demo data: loaded once, never over real accounts, signed into as documented."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import login
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
