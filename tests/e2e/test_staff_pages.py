"""Every staff page the crawler reaches, on a 360 px phone: axe finds nothing serious
or critical and nothing is wider than the screen. Then the staff's journeys where
what matters is what a person sees: booking with the common free blocks, the card
to print, the copy button of a new API token, the period form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.crawl import crawl, two_tenants
from tests.crawl import sign_in as crawl_sign_in
from tests.e2e.conftest import sign_in
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing import availability

STAFF = [Role.TUTOR, Role.REFERENT, Role.COORDINATOR, Role.ADMIN]


def _html_pages(app, username: str) -> list[str]:
    """The pages (HTML, answering 200) the crawler reaches as this account."""
    result = crawl(app, crawl_sign_in(app, username), max_pages=80, per_endpoint=2)
    return [
        url
        for url, (endpoint, _args, status) in result.pages.items()
        if status == 200
        and not re.search(r"\.(ics|csv|xlsx|pdf|json)(\?|$)", url)
        and endpoint not in {"home.health"}
    ]


@pytest.mark.parametrize("role", STAFF, ids=str)
def test_every_staff_page_passes_axe_without_overflow_on_a_phone(
    app, live_server, phone, make, bank, journey, role
):
    world, _other = two_tenants(app, make, bank)
    username = world["accounts"][role]
    if role == Role.ADMIN:  # a journal with long lines and a list of tokens

        def tokens():
            from tutoring.admin.tokens import issue_api_token
            from tutoring.indicators.scopes import SCOPE_GROUPS

            admin = db.session.scalar(db.select(User).where(User.username == username))
            issue_api_token("Module de coordination du CTAI (lecture seule)",
                            [key for key, _t in SCOPE_GROUPS], admin)  # fmt: skip
            db.session.commit()

        make.run(tokens)
    pages = _html_pages(app, username)
    assert len(pages) >= 3, pages
    page = phone.new_page()
    missing: list[str] = []  # the browser asks for nothing that is not there
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, live_server, username)
    for url in pages:
        page.goto(live_server + url)
        assert page.locator("link[rel=icon]").count() == 1, url  # no /favicon.ico
        journey.check(page, re.sub(r"[^\w-]+", "_", url).strip("_") or "accueil")
    assert missing == []


@pytest.fixture
def paired(app, make):
    """Claire's learner Amina paired with Marc, both free on Tuesday afternoons;
    the MESA is open from 9:00 to 19:00."""
    from datetime import time

    from tutoring.core.database import utcnow
    from tutoring.pairing.models import Pairing, PairingStatus, Place

    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_user = make.learner(referent, first_name="Amina")
    tutor = make.user("marc", Role.TUTOR)

    def build():
        structure_id = db.session.get(User, referent).structure_id
        place = Place(structure_id=structure_id, name="Espace numérique MESA",
                      capacity=4, opens_at=time(9), closes_at=time(19))  # fmt: skip
        db.session.add(place)
        db.session.add(
            Pairing(learner_id=profile_id, tutor_id=tutor,
                    status=PairingStatus.ACTIVE, responded_at=utcnow())
        )  # fmt: skip
        availability.save(db.session.get(User, tutor), {(1, "afternoon")})
        availability.save(
            db.session.get(LearnerProfile, profile_id),
            {(1, "afternoon"), (3, "morning")},
        )
        db.session.commit()

    make.run(build)
    return {"profile": profile_id, "referent": referent}


def test_the_tutor_books_a_proposed_slot_and_is_warned_outside(
    live_server, phone, paired, journey
):
    page = phone.new_page()
    sign_in(page, live_server, "marc")
    page.goto(f"{live_server}/tuteur/apprenants/{paired['profile']}")
    assert page.get_by_role("heading", name="Disponibilités communes").is_visible()
    assert page.get_by_text("mardi après-midi").is_visible()
    journey.check(page, "booking")
    page.locator(".proposals button").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("La séance est programmée.").is_visible()
    # outside the common half-days: the form comes back, filled in, to confirm
    monday = date.today() + timedelta(days=(7 - date.today().weekday()) % 7 or 7)
    page.locator("#day").fill(monday.isoformat())
    page.locator("#at").fill("10:00")
    page.get_by_role("button", name="Programmer la séance").click()
    page.wait_for_load_state()
    assert page.get_by_text("en dehors des disponibilités communes").first.is_visible()
    assert page.locator("#day").input_value() == monday.isoformat()
    journey.check(page, "booking-confirm")
    page.locator("label[for=outside_ok]").click()
    page.get_by_role("button", name="Programmer la séance").click()
    page.wait_for_load_state()
    assert page.get_by_text("La séance est programmée.").is_visible()
    # a night session is refused: the place is closed
    page.locator("#day").fill((monday + timedelta(days=1)).isoformat())
    page.locator("#at").fill("03:00")
    page.get_by_role("button", name="Programmer la séance").click()
    page.wait_for_load_state()
    assert page.get_by_text("Le lieu est fermé à cette heure-là").is_visible()


def test_the_availability_grid_cells_are_big_enough_to_tap(
    live_server, phone, paired, journey
):
    page = phone.new_page()
    sign_in(page, live_server, "marc")
    page.goto(f"{live_server}/tuteur/profil")
    cell = page.locator("label.slot").nth(4)  # Tuesday afternoon
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box is not None
    assert box["width"] >= 44
    assert box["height"] >= 44
    checkbox = cell.locator("input")
    before = checkbox.is_checked()
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)  # the cell's corner
    assert checkbox.is_checked() != before
    page.locator("#bio").fill("x" * 510)
    assert page.locator("#bio-compte").inner_text() == "510 caractères sur 500"
    journey.check(page, "profile")


def test_the_referent_prints_a_card_that_fits_the_phone(
    live_server, phone, paired, journey
):
    page = phone.new_page()
    sign_in(page, live_server, "claire")
    page.goto(f"{live_server}/apprenants/{paired['profile']}")
    page.get_by_role("button", name="Imprimer une carte").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Imprimer les cartes").is_visible()
    journey.check(page, "card")


def test_a_new_api_token_is_copied_with_one_tap(live_server, phone, make, journey):
    make.user("sam", Role.ADMIN)
    page = phone.new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server}/admin/jetons")
    page.locator("#name").fill("Tableau CTAI")
    page.get_by_role("button", name="Créer").click()
    page.wait_for_load_state()
    token = page.locator("#nouveau-jeton").input_value()
    assert token.startswith("ctai_")
    page.get_by_role("button", name="Copier le jeton").click()
    page.get_by_text("Jeton copié.").wait_for()
    journey.check(page, "token")
    revoke = page.get_by_role("button", name="Révoquer")
    box = revoke.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 360  # on the screen, no sideways scroll


def test_the_period_value_follows_the_period_type(live_server, phone, make, journey):
    make.user("julien", Role.COORDINATOR)
    page = phone.new_page()
    sign_in(page, live_server, "julien")
    page.goto(f"{live_server}/coordination/")
    page.locator("#period").select_option("quarter")
    assert re.fullmatch(r"\d{4}-T[1-4]", page.locator("#value").input_value())
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert page.locator(".error-summary").count() == 0
    page.locator("#period").select_option("month")
    assert re.fullmatch(r"\d{4}-\d{2}", page.locator("#value").input_value())
    journey.check(page, "period")
