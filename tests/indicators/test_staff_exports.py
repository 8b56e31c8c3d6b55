"""What a coordinator meets first: one charset on the CSV, a period form that
follows its type, and figures of made-up learners said to be so."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tutoring.accounts.models import Role
from tutoring.indicators.periods import adapt


@pytest.fixture
def coordinator(app, client, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.COORDINATOR)
    return client


def test_the_csv_export_names_one_charset(coordinator):
    response = coordinator.get("/coordination/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("kind", "value", "read"),
    [
        ("quarter", "2026", "du 1er octobre 2026 au 31 décembre 2026"),
        ("quarter", "2025", "du 1er janvier 2025 au 31 mars 2025"),
        ("month", "2026-T2", "du 1er avril 2026 au 30 avril 2026"),
        ("year", "2026-03", "du 1er janvier 2026 au 31 décembre 2026"),
    ],
)
def test_switching_the_period_type_keeps_a_value_of_that_type(
    coordinator, kind, value, read, monkeypatch
):
    import tutoring.indicators.periods as periods

    class Today(periods.date):  # type: ignore[misc, name-defined]
        @classmethod
        def today(cls):
            return periods.date(2026, 12, 2)

    monkeypatch.setattr(periods, "date", Today)
    response = coordinator.get(f"/coordination/?period={kind}&value={value}")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert read in page
    assert re.search(r'src="/static/js/page(\.\w{12})?\.js"', page)  # it also changes the field at once


def test_adapt_leaves_what_it_cannot_read():
    from datetime import date

    assert adapt("quarter", "n'importe quoi", date(2026, 12, 2)) == "n'importe quoi"
    assert adapt("month", "2026-13", date(2026, 12, 2)) == "2026-13"
    assert adapt("quarter", "2026-T3", date(2026, 12, 2)) == "2026-T3"


def test_synthetic_learners_are_said_to_be_so(coordinator, runner):
    page = coordinator.get("/coordination/").get_data(as_text=True)
    assert "population synthétique" not in page
    assert runner.invoke(args=["demo", "generate", "--learners", "30"]).exit_code == 0
    for path in ("/coordination/", "/coordination/bilan"):
        page = unescape(coordinator.get(path).get_data(as_text=True))
        assert "Données de démonstration" in page, path
        assert "population synthétique" in page, path
    csv = coordinator.get("/coordination/export.csv").get_data().decode("utf-8-sig")
    assert "population synthétique" in csv
