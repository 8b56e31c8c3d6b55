"""Homework from the bank given by a volunteer, to their own learner only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tutoring.core.extensions import db


def test_a_volunteer_gives_homework_from_the_bank_to_their_own_learner_only(app, make, pair, bank):
    from tutoring.learning.models import Assignment

    items = [str(bank["a2-sante-test-01"]), str(bank["a2-sante-test-02"])]
    due = (date.today() + timedelta(days=7)).isoformat()
    page = pair["client"].get("/banque/").get_data(as_text=True)
    assert "Amina" in page
    given = pair["client"].post("/banque/devoir", data={
        "learner_id": str(pair["profile"]), "title": "Chez le médecin", "items": items,
        "due_on": due})  # fmt: skip
    assert given.status_code == 302
    assert make.run(lambda: db.session.scalar(select(Assignment)).learner_id) == pair["profile"]
    stranger, _u = make.learner(pair["referent"], first_name="Yasmin")
    refused = pair["client"].post("/banque/devoir", data={
        "learner_id": str(stranger), "title": "x", "items": items, "due_on": due})  # fmt: skip
    assert refused.status_code == 302
    assert make.run(lambda: db.session.scalar(select(func.count()).select_from(Assignment))) == 1
