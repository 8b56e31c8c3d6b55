"""A learner sits the mock civic exam on a phone, and sees the progress dashboard."""

from __future__ import annotations

import pytest

from tutoring.accounts.models import Role


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_learner_sits_the_civic_exam_on_a_phone(
    live_server, phone, make, journey, locale
):
    referent = make.user("claire", Role.REFERENT)
    _profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    code = make.card(learner_id, referent)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    journey.check(page, f"dashboard-{locale}")
    page.goto(f"{live_server}/examens/")
    journey.check(page, f"exams-{locale}")
    with page.expect_navigation():
        page.locator("form.stack button.big").tap()
    assert page.locator(".timer").is_visible()
    journey.check(page, f"civic-page-1-{locale}")
    for fieldset in page.locator("fieldset.civic-question").all():
        fieldset.locator("input[type=radio]").first.check()
    with page.expect_navigation():
        page.locator("button[value=finish]").tap()
    # 35 questions left blank: the exam asks before closing, saying how many
    assert page.locator("input[name=confirmed]").count() == 1
    assert "35" in page.locator("[role=alert]").inner_text()
    journey.check(page, f"civic-confirm-{locale}")
    with page.expect_navigation():
        page.locator("form:has(input[name=confirmed]) button[type=submit]").tap()
    assert "/resultat" in page.url
    journey.check(page, f"civic-result-{locale}")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_learner_reads_a_mock_french_exam_result_on_a_phone(
    live_server, phone, make, journey, locale
):
    """One card per part, with whether the target level is reached, fits a phone."""
    from datetime import UTC, datetime

    from tutoring.core.extensions import db
    from tutoring.exams.models import LanguageExam

    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    code = make.card(learner_id, referent)

    def finished_exam():
        exam = LanguageExam(
            learner_id=profile_id, target="A2", finished_at=datetime.now(UTC)
        )
        db.session.add(exam)
        db.session.flush()
        return exam.id

    exam_id = make.run(finished_exam)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    page.goto(f"{live_server}/examens/francais/{exam_id}")
    assert page.locator("section.card").count() == 4
    assert page.locator("dd.passed").first.is_visible()
    journey.check(page, f"french-result-{locale}")
