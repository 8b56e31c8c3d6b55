"""The item-analysis page and `flask exercises analyse` on answers in the database."""

from __future__ import annotations

import json
import uuid

import pytest
from flask import Flask

from tests.conftest import Factory
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import FrenchGoal, LearnerProfile, PublicCategory
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt

LEARNERS = 40


@pytest.fixture
def answered(app: Flask, make: Factory, bank: dict[str, int]) -> dict[str, int]:
    """40 learners: most pick « lundi » (wrong) for the day of the appointment."""
    structure = make.structure()
    choice_item = bank["a2-sante-test-01"]  # choices lundi, mardi (right), jeudi
    other = bank["a2-sante-test-02"]
    with app.app_context():
        for n in range(LEARNERS):
            profile = LearnerProfile(
                pseudonym=f"secret-pseudo-{n}", structure_id=structure,
                public_category=PublicCategory.CIR, arrival_year=2024,
                goal=FrenchGoal.A2, practice_level="A2",
            )  # fmt: skip
            db.session.add(profile)
            db.session.flush()
            picked = "1" if n % 4 == 0 else "0"  # 10 right, 30 « lundi »
            db.session.add_all([
                Attempt(client_id=str(uuid.uuid4()), learner_id=profile.id,
                        item_version_id=choice_item, response={"choice": picked},
                        score=1.0 if picked == "1" else 0.0, time_ms=12_000 + n),
                Attempt(client_id=str(uuid.uuid4()), learner_id=profile.id,
                        item_version_id=other, response={"choices": []},
                        score=float(n % 4 == 0 or n % 5 == 0), time_ms=8_000),
            ])  # fmt: skip
        db.session.commit()
    return bank


def test_referent_sees_the_items_to_look_at_and_the_thresholds(
    client, signed_in, answered
) -> None:
    signed_in(Role.REFERENT)
    page = client.get("/banque/analyse")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "a2-sante-test-01" in html
    assert "Mauvaise réponse attirante" in html
    assert "Réponse jamais choisie" in html  # nobody picked « jeudi »
    assert "à partir de 30 réponses" in html  # the threshold is written
    assert "moins de 30 % de bonnes réponses" in html
    assert f"/banque/exercice/{answered['a2-sante-test-01']}" in html
    assert "secret-pseudo" not in html  # aggregates only
    # reached from the bank
    assert "/banque/analyse" in client.get("/banque/").get_data(as_text=True)


def test_admin_sees_the_page_without_the_bank_link(
    app, client, signed_in, answered
) -> None:
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    html = client.get("/banque/analyse").get_data(as_text=True)
    assert "a2-sante-test-01" in html
    assert "/banque/exercice/" not in html  # the bank is for referents and tutors


def test_too_few_answers_nothing_to_look_at(client, signed_in, bank) -> None:
    signed_in(Role.REFERENT)
    html = client.get("/banque/analyse").get_data(as_text=True)
    assert "Aucun exercice à revoir pour l’instant." in html


def test_command_prints_json_with_flags_and_statistics(runner, answered) -> None:
    result = runner.invoke(args=["exercises", "analyse", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["thresholds"]["min_answers"] == 30
    (item,) = [i for i in data["items"] if i["item_id"] == "a2-sante-test-01"]
    assert item["answers"] == LEARNERS
    assert item["p"] == 0.25
    assert item["flags"] == ["too_hard", "attractive_distractor", "unused_option"]
    shares = {o["label"]: o["share"] for o in item["options"]}
    assert shares == {"lundi": 0.75, "mardi": 0.25, "jeudi": 0.0}
    assert item["median_time_ms"] == pytest.approx(12_019.5)
    assert "secret-pseudo" not in result.output
    # more answers needed than there are: nothing flagged
    quiet = runner.invoke(args=["exercises", "analyse", "--json", "--min-answers", "41"])
    assert json.loads(quiet.output)["items"] == []
    text = runner.invoke(args=["exercises", "analyse"])
    assert "a2-sante-test-01" in text.output
    assert "attractive_distractor" in text.output
    bad = runner.invoke(args=["exercises", "analyse", "--min-answers", "0"])
    assert bad.exit_code == 2
