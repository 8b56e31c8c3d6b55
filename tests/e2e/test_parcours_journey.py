"""« Mon parcours » on a 320 px phone in French and Arabic (answered by tapping), the
referent's correction, and the item-analysis page: axe-clean and no wider than
the screen."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import PHONE, sign_in
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import FrenchGoal, LearnerProfile, PublicCategory
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt

NARROW = {**PHONE, "viewport": {"width": 320, "height": 640}}


@pytest.fixture
def narrow_phone(browser):
    context = browser.new_context(locale="fr-FR", **NARROW)
    yield context
    context.close()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_learner_answers_mon_parcours_and_reads_the_referents_note(
    live_server, narrow_phone, make, journey, locale
):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(
        referent, first_name="Amina", goal=FrenchGoal.A2, locale=locale
    )
    page = narrow_phone.new_page()
    page.goto(f"{live_server}/c/{make.card(user_id, referent)}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    with page.expect_navigation():
        page.locator("a[href='/mon-parcours']").tap()
    journey.check(page, f"parcours-{locale}")
    page.locator("#schooling-0").tap()  # yes: 3 years of school in France
    page.locator("#protection-1").tap()  # subsidiary protection
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    assert page.locator(".parcours-result").count() == 1
    journey.check(page, f"parcours-answered-{locale}")
    # the referent corrects it, on a phone too
    staff = narrow_phone.browser.new_context(locale="fr-FR", **NARROW)
    desk = staff.new_page()
    sign_in(desk, live_server, "claire")
    desk.goto(f"{live_server}/apprenants/{profile_id}")
    desk.locator("#parcours ~ details summary").first.tap()
    desk.locator("#note").fill("Vu avec la préfecture le 1er décembre.")
    with desk.expect_navigation():
        desk.locator("form[action$='/parcours'] button[type=submit]").tap()
    journey.check(desk, f"referent-parcours-{locale}")
    staff.close()
    page.reload()
    assert page.get_by_text("Vu avec la préfecture le 1er décembre.").count() == 1
    journey.check(page, f"parcours-corrected-{locale}")


def test_referent_reads_the_item_analysis_on_a_phone(
    app, live_server, narrow_phone, make, bank, journey
):
    structure = make.structure()

    def answers():
        for n in range(40):
            profile = LearnerProfile(
                pseudonym=f"p{n}", structure_id=structure, goal=FrenchGoal.A2,
                public_category=PublicCategory.CIR, arrival_year=2024,
                practice_level="A2",
            )  # fmt: skip
            db.session.add(profile)
            db.session.flush()
            picked = "1" if n % 4 == 0 else "0"
            db.session.add(Attempt(
                client_id=str(uuid.uuid4()), learner_id=profile.id,
                item_version_id=bank["a2-sante-test-01"], response={"choice": picked},
                score=1.0 if picked == "1" else 0.0, time_ms=9_000,
            ))  # fmt: skip

    make.run(answers)
    make.user("claire", Role.REFERENT)
    page = narrow_phone.new_page()
    sign_in(page, live_server, "claire")
    page.goto(f"{live_server}/banque/analyse")
    assert page.get_by_text("a2-sante-test-01").count() >= 1
    journey.check(page, "item-analysis")
