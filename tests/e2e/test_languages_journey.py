"""One learner journey per interface language on a 320 px phone: the home with a notice,
the practice page, a few items of a set, the mock civic exam and « Mes séances »,
with axe (no serious or critical violation) and no sideways scroll on every screen.
Arabic, Dari and Pashto run right to left; Dari and Pashto and Tigrinya get their
vendored fonts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.test_practice_journey import _answer_current_item
from tests.test_i18n import LOCALES
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.i18n import lang_tag, text_direction
from tutoring.pairing.models import Pairing, PairingStatus
from tutoring.sessions import booking_input
from tutoring.sessions.models import TutoringSession

NARROW = {**PHONE, "viewport": {"width": 320, "height": 720}}
ITEMS = 3  # items answered per language (the full set runs in test_practice_journey)


@pytest.fixture
def narrow_phone(browser):
    context = browser.new_context(locale="fr-FR", **NARROW)
    yield context
    context.close()


def _learner_with_a_session(make, locale: str) -> str:
    """A learner reading `locale`, paired, with a session booked (and its notice)."""
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina")
    tutor_id = make.user("marc", Role.TUTOR)

    def setup():
        db.session.get(LearnerProfile, profile_id).practice_level = "A2"
        db.session.get(User, learner_id).locale = locale
        pairing = Pairing(
            learner_id=profile_id, tutor_id=tutor_id,
            status=PairingStatus.ACTIVE, responded_at=utcnow(),
        )  # fmt: skip
        db.session.add(pairing)
        db.session.flush()
        starts = (utcnow() + timedelta(days=3)).replace(minute=0, second=0)
        slot = uuid.uuid4().hex
        session = TutoringSession(
            uid=slot, slot=slot, pairing_id=pairing.id, tutor_id=tutor_id,
            learner_id=profile_id, starts_at=starts, ends_at=starts + timedelta(hours=1),
            place="Médiathèque « Le Jardin »",
        )  # fmt: skip
        db.session.add(session)
        db.session.flush()
        booking_input.notify_booked([session])

    make.run(setup)
    return make.card(learner_id, referent)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_language_fits_a_320px_phone(
    live_server, narrow_phone, make, bank, journey, locale
):
    code = _learner_with_a_session(make, locale)
    page = narrow_phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    html = page.locator("html")
    assert html.get_attribute("lang") == lang_tag(locale)
    assert html.get_attribute("dir") == text_direction(locale)
    # the notice of the booked session: the place keeps its own direction and quotes
    assert page.locator(".notices bdi", has_text="Le Jardin").count() == 1
    journey.check(page, f"home-{locale}")

    page.goto(f"{live_server}/pratique/")
    journey.check(page, f"practice-{locale}")
    with page.expect_navigation():
        page.locator("form button.big").first.tap()
    for number in range(1, ITEMS + 1):
        journey.check(page, f"item-{number:02d}-{locale}")
        _answer_current_item(page)
        with page.expect_navigation():
            page.locator("form.answer-form button[type=submit]").tap()
        assert page.locator("h1.verdict").is_visible()
        journey.check(page, f"feedback-{number:02d}-{locale}")
        with page.expect_navigation():
            page.locator("main a.button.big").tap()

    page.goto(f"{live_server}/examens/")
    journey.check(page, f"exams-{locale}")
    with page.expect_navigation():
        page.locator("form.stack button.big").tap()
    journey.check(page, f"civic-{locale}")
    page.locator("fieldset.civic-question").first.locator(
        "input[type=radio]"
    ).first.check()
    with page.expect_navigation():
        page.locator("button[value=finish]").tap()
    # 39 questions unanswered: the exam asks first, in the learner's language
    journey.check(page, f"civic-confirm-{locale}")
    with page.expect_navigation():
        page.locator("form:has(input[name=confirmed]) button[type=submit]").tap()
    assert "/resultat" in page.url
    journey.check(page, f"civic-result-{locale}")

    page.goto(f"{live_server}/seances/")
    assert page.locator("main").get_by_text("Le Jardin", exact=False).count() >= 1
    journey.check(page, f"sessions-{locale}")
