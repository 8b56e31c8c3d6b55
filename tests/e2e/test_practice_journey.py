"""A learner on a phone practises a whole set (every item type, audio, a recording)."""

from __future__ import annotations

import pytest

from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 400


def _answer_current_item(page) -> None:
    """Fill whatever the item asks, the way a learner would with taps and typing."""
    if page.locator("input[name=choice]").count():
        page.locator("input[name=choice]").first.check()
    if page.locator("input[name=choices]").count():
        page.locator("input[name=choices]").first.check()
    if page.locator("input[name=answer]").count():
        page.locator("#vrai").check()
    for gap in page.locator("input[name=gaps]").all():
        gap.fill("suis")
    for select in page.locator(
        "select[name=gaps], select[name=pairs], select[name=order]"
    ).all():
        select.select_option(index=1)
    for field in page.locator("input[name=fields]").all():
        field.fill("Haddad")
    if page.locator("textarea[name=text]").count():
        page.locator("textarea[name=text]").fill(
            "Bonjour, je dois annuler mon rendez-vous. Merci."
        )
    if page.locator("input[name=audio]").count():
        page.locator("input[name=audio]").set_input_files(
            {"name": "reponse.webm", "mimeType": "audio/webm", "buffer": WEBM}
        )


@pytest.mark.parametrize("locale", ["fr", "ar", "uk"])
def test_learner_practises_a_set_on_a_phone(
    live_server, phone, make, bank, journey, locale
):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    make.run(
        lambda: setattr(
            db.session.get(LearnerProfile, profile_id), "practice_level", "A2"
        )
    )
    code = make.card(learner_id, referent)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    assert page.locator("html").get_attribute("lang") == locale
    journey.check(page, f"home-{locale}")
    page.goto(f"{live_server}/pratique/")
    journey.check(page, f"practice-{locale}")
    with page.expect_navigation():
        page.locator("form button.big").first.tap()
    kinds = set()
    for number in range(1, 11):
        assert page.locator(".progress-text").first.is_visible()
        if page.locator("audio").count():
            kinds.add("audio")
        journey.check(page, f"item-{number:02d}-{locale}")
        _answer_current_item(page)
        with page.expect_navigation():
            page.locator("form.answer-form button[type=submit]").tap()
        assert page.locator("h1.verdict").is_visible(), page.content()[:2000]
        journey.check(page, f"feedback-{number:02d}-{locale}")
        with page.expect_navigation():
            page.locator("main a.button.big").tap()
    assert "audio" in kinds
    assert page.locator(".results li").count() == 10
    journey.check(page, f"summary-{locale}")
