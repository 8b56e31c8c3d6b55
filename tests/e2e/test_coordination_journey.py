"""The coordinator reads the CTAI indicators on a phone, in French and in Arabic."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_coordinator_reads_the_indicators_on_a_phone(
    live_server, phone, desk, make, runner, journey, locale
):
    assert runner.invoke(args=["demo", "generate", "--learners", "60"]).exit_code == 0
    user_id = make.user("coordination", Role.COORDINATOR)
    make.run(lambda: setattr(db.session.get(User, user_id), "locale", locale))
    page = phone.new_page()
    sign_in(page, live_server, "coordination")
    page.goto(
        f"{live_server}/coordination/?period=custom&from=2025-10-01&to=2026-11-30"
    )
    assert page.locator("html").get_attribute("dir") == (
        "rtl" if locale == "ar" else "ltr"
    )
    assert page.locator("svg.bar-chart").count() == 5
    journey.check(page, f"dashboard-{locale}")
    page.goto(f"{live_server}/coordination/definitions")
    journey.check(page, f"definitions-{locale}")
    page.goto(f"{live_server}/coordination/bilan?period=year&value=2026")
    journey.check(page, f"annual-report-{locale}")
    wide = desk.new_page()
    sign_in(wide, live_server, "coordination")
    wide.goto(f"{live_server}/coordination/")
    journey.check(wide, f"dashboard-laptop-{locale}")
