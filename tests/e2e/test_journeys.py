"""What learners and referents meet, on a phone, in French and in Arabic."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tutoring.accounts.models import Role


def _sign_in(page, base, username, password=PASSWORD, shared=False):
    page.goto(f"{base}/connexion")
    page.get_by_label("Identifiant ou adresse e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    if shared:
        page.get_by_label("Je suis sur un ordinateur partagé").check()
    page.get_by_role("button", name="Se connecter").first.click()


def test_referent_enrols_and_learner_enters_with_the_card(
    live_server, desk, phone, make, journey
):
    make.user("claire", Role.REFERENT)
    page = desk.new_page()
    page.goto(live_server)
    journey.check(page, "landing")
    _sign_in(page, live_server, "claire")
    journey.check(page, "referent-home")
    page.get_by_role(
        "link", name="Inscrire un apprenant ou une apprenante"
    ).first.click()
    journey.check(page, "enrol-form")
    page.get_by_label("Prénom", exact=True).fill("Amina")
    page.locator("#public_category-0").check()
    page.get_by_label("Année d’arrivée en France").fill("2025")
    page.locator("#goal-0").check()
    page.get_by_label("Arabe").check()
    page.locator("#consent").check()
    page.get_by_role("button", name="Inscrire").click()
    journey.check(page, "learner-record")
    page.get_by_role("button", name="Imprimer une carte").click()
    code = page.locator("p.code").first.inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    journey.check(page, "card")

    learner = phone.new_page()
    learner.goto(f"{live_server}/c/{code}")  # what scanning the QR code opens
    journey.check(learner, "qr-sign-in")
    learner.get_by_role("button", name="Entrer").tap()
    learner.wait_for_url(f"{live_server}/")
    assert "Bonjour Amina" in learner.content()
    journey.check(learner, "learner-home")


def _choose_arabic(page):
    page.locator("summary").first.tap()
    with page.expect_navigation():
        page.get_by_role("button", name="العربية").tap()


def test_learner_journey_in_arabic(live_server, phone, make, journey):
    referent = make.user("claire", Role.REFERENT)
    _profile, learner_id = make.learner(referent, first_name="Amina")
    code = make.card(learner_id, referent)
    page = phone.new_page()
    page.goto(live_server)
    _choose_arabic(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    journey.check(page, "landing-ar")
    page.goto(f"{live_server}/carte")
    page.locator("#code").fill(code)
    journey.check(page, "card-sign-in-ar")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    assert (
        page.locator("html").get_attribute("lang") == "fr"
    )  # the account's language wins
    _choose_arabic(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    journey.check(page, "learner-home-ar")
    page.goto(f"{live_server}/compte/mes-donnees")
    journey.check(page, "my-data-ar")


def test_shared_computer_leaves_nothing_behind(live_server, desk, make, journey):
    make.user("claire", Role.REFERENT)
    _profile, _learner = make.learner(
        make.user("ref2", Role.REFERENT), first_name="Yasmine"
    )
    page = desk.new_page()
    _sign_in(page, live_server, "claire", shared=True)
    assert "Ordinateur partagé" in page.content()
    journey.check(page, "shared-home")
    page.goto(f"{live_server}/compte/")
    with page.expect_navigation():  # a shared computer's big « Terminer »
        page.locator("#sign-out").get_by_role("button", name="Terminer").click()
    page.go_back()
    page.wait_for_load_state()
    assert "claire" not in page.content()
    assert "/connexion" in page.url
