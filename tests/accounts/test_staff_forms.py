"""The staff's forms as a newcomer meets them: every error on the first submit, the
card to print in the enrolment message, a card page for a phone, help tied to
fields only when there is some."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select

from tests.accounts.test_learners import VALID
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db


def test_enrolment_cross_field_errors_all_show_on_the_first_submit(
    client, make, signed_in
):
    signed_in(Role.REFERENT)
    bad = dict(
        VALID,
        first_name="",
        arrival_year="2099",
        cir_signed_on="1980-01-01",
        consent_on="2099-01-01",
        target_date="2001-01-01",
    )
    response = client.post("/apprenants/inscrire", data=bad)
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Indiquez le prénom." in page
    assert "L’année doit être comprise entre 1950 et cette année." in page
    for field in ("cir_signed_on", "consent_on", "target_date", "arrival_year"):
        assert f'id="{field}-erreur"' in page, field
    assert page.count("Cette date n’est pas plausible.") >= 3
    assert not make.run(
        lambda: db.session.scalar(select(func.count(LearnerProfile.id)))
    )


def test_after_enrolling_the_print_button_is_in_the_message(client, make, signed_in):
    signed_in(Role.REFERENT)
    response = client.post("/apprenants/inscrire", data=VALID, follow_redirects=True)
    page = unescape(response.get_data(as_text=True))
    notice = re.search(
        r'<div class="notice success enrolled"[^>]*>(.*?)</div>', page, re.S
    )
    assert notice is not None
    assert "Imprimez maintenant sa carte de connexion." in notice[1]
    assert "Imprimer une carte" in notice[1]
    assert "/carte" in notice[1]  # the button posts to the card page
    assert page.index("Imprimer une carte") < page.index("<h2")


def test_the_card_page_has_a_print_button_and_a_favicon(client, make, signed_in):
    referent = signed_in(Role.REFERENT)
    profile_id, _user = make.learner(referent, first_name="Amina")
    page = client.post(f"/apprenants/{profile_id}/carte").get_data(as_text=True)
    assert "data-print" in page
    assert "Imprimer les cartes" in page
    assert re.search(r'<link rel="icon" href="/static/img/favicon(\.\w{12})?\.svg"', page)
    assert re.search(r'<script src="/static/js/page(\.\w{12})?\.js" defer></script>', page)
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200
    icon.close()


def test_no_input_carries_an_empty_description(client, signed_in):
    signed_in(Role.REFERENT)
    for path in ("/apprenants/inscrire", "/compte/"):
        page = client.get(path).get_data(as_text=True)
        assert 'aria-describedby="None"' not in page, path
        assert 'aria-describedby=""' not in page, path
    page = client.post(
        "/apprenants/inscrire", data=dict(VALID, first_name="")
    ).get_data(as_text=True)
    assert 'aria-describedby="None"' not in page
    assert 'aria-describedby="first_name-aide first_name-erreur"' in page


def test_the_enrolment_dates_are_checked_against_today(client, make, signed_in):
    signed_in(Role.REFERENT)
    response = client.post(
        "/apprenants/inscrire",
        data=dict(VALID, consent_on=date.today().isoformat(), target_date=""),
    )
    assert response.status_code == 302
