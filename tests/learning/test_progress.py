"""The learner model: estimates on simulated learners, adaptive sets, spaced review,
dashboards for the learner and the referent."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from exercises.estimate import (
    LEVEL_CENTRE,
    START_ABILITY,
    best_level,
    estimate,
    item_difficulty,
    probability,
    sublevel_index,
)
from exercises.model import Item
from exercises.selection import adaptive_set
from tests.conftest import card_login, login
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import ItemStat, PracticeSet, ReviewCard


def _simulate(true_ability: float, attempts: int, rng: random.Random) -> float:
    """A learner of known ability answers items chosen where the estimate is."""
    answers: list[tuple[float, float]] = []
    current = estimate(answers)
    for _ in range(attempts):
        level = min(
            LEVEL_CENTRE, key=lambda lvl: abs(item_difficulty(lvl) - current.value)
        )
        difficulty = item_difficulty(level) + rng.gauss(0, 0.3)
        right = rng.random() < probability(true_ability, difficulty)
        answers.append((difficulty, 1.0 if right else 0.0))
        current = estimate(answers)
    return current.value


@pytest.mark.parametrize("level", ["A1", "A2", "B1"])
def test_simulated_learner_is_estimated_at_their_level_after_40_answers(level):
    rng = random.Random(2026)
    truth = LEVEL_CENTRE[level]
    results = [_simulate(truth, 40, rng) for _ in range(40)]
    close = sum(
        1 for r in results if abs(sublevel_index(r) - sublevel_index(truth)) <= 1
    )
    assert close >= 0.8 * len(results)
    assert abs(sum(results) / len(results) - truth) < 1 / 3


def test_estimate_says_when_evidence_is_thin():
    assert estimate([]).value == START_ABILITY
    assert not estimate([(0.0, 1.0)] * 3).enough
    many = estimate([(0.0, 1.0), (0.0, 0.0)] * 10)
    assert many.enough
    assert many.standard_error < 0.6


def test_comfortable_level_is_the_learners_own():
    assert best_level(LEVEL_CENTRE["A2"]) == "A2"
    assert 0.70 <= probability(LEVEL_CENTRE["A2"], item_difficulty("A2")) <= 0.85


def _items() -> list[Item]:
    items = []
    for level in LEVEL_CENTRE:
        for skill in ("CO", "CE", "EE", "EO"):
            for n in range(8):
                items.append(
                    Item(
                        id=f"{level}-{skill}-{n}", version=1, unit="u", level=level,
                        theme="sante", skill=skill,
                        type="oral_production" if skill == "EO" else "single_choice",
                        instruction="choose_answer", explanation="E.", can_do="", unit_title="U",
                    )
                )  # fmt: skip
    return items


def test_adaptive_set_follows_the_estimates_and_the_weakest_skill():
    items = _items()
    low = adaptive_set(
        items,
        random.Random(1),
        levels=dict.fromkeys(["CO", "CE", "EE", "EO"], "A1"),
        weakest="CE",
    )
    high = adaptive_set(
        items,
        random.Random(1),
        levels=dict.fromkeys(["CO", "CE", "EE", "EO"], "B1"),
        weakest="CE",
    )
    assert {i.level for i in low} == {"A1"}
    assert {i.level for i in high} == {"B1"}
    assert len(low) == 10
    assert sum(1 for i in low if i.skill == "CE") >= 5
    reviews = [i for i in items if i.level == "A2"][:2]
    mixed = adaptive_set(
        items,
        random.Random(1),
        levels=dict.fromkeys(["CO", "CE", "EE", "EO"], "A1"),
        weakest="CO",
        reviews=reviews,
    )
    assert mixed[:2] == reviews


def _answer(make, profile_id: int, bank: dict, number: int, response: dict):
    from tutoring.learning import practice

    def run():
        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank[f"a2-sante-test-{number:02d}"]]
        practice.record_answer(
            profile,
            current,
            position=0,
            client_id=str(uuid.uuid4()),
            response=response,
            time_ms=60_000,
        )

    make.run(run)


def test_a_missed_item_comes_back_for_review(learner, make, bank):
    _answer(make, learner.profile_id, bank, 1, {"choice": "0"})  # wrong: lundi
    card = make.run(lambda: db.session.scalar(select(ReviewCard)))
    assert card.item_id == "a2-sante-test-01"
    assert card.due <= utcnow() + timedelta(minutes=15)

    def make_due():
        db.session.scalar(select(ReviewCard)).due = utcnow() - timedelta(minutes=1)

    make.run(make_due)
    home = learner.get("/").get_data(as_text=True)
    assert "Revoir 1 exercice manqué" in home
    response = learner.post("/pratique/revision")
    assert response.status_code == 302
    review = make.run(
        lambda: db.session.scalar(select(PracticeSet).order_by(PracticeSet.id.desc()))
    )
    assert review.item_version_ids == [bank["a2-sante-test-01"]]
    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})  # right this time
    later = make.run(lambda: db.session.scalar(select(ReviewCard)))
    assert later.due > utcnow() + timedelta(minutes=5)  # FSRS: next learning step
    assert later.reviews == 2


def test_right_answers_create_no_review_but_refine_difficulty(learner, make, bank):
    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    assert make.run(lambda: db.session.scalar(select(ReviewCard))) is None
    stat = make.run(lambda: db.session.get(ItemStat, "a2-sante-test-01"))
    assert stat.answers == 1
    assert stat.adjustment < 0  # answered right: a little easier than thought


def test_estimates_use_what_each_item_s_difficulty_has_learned(learner, make, bank):
    """The estimate weighs each answer by its item's current difficulty: a right
    answer to an item the other learners found hard counts for more."""
    from tutoring.learning.progress import priors, skill_estimates

    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})

    def estimated(adjustment: float) -> tuple[float, float]:
        def run() -> tuple[float, float]:
            db.session.get(ItemStat, "a2-sante-test-01").adjustment = adjustment
            db.session.flush()
            profile = db.session.get(LearnerProfile, learner.profile_id)
            found = skill_estimates(profile, only="CE")["CE"].value
            expected = estimate(
                [(item_difficulty("A2", adjustment), 1.0)] * 2, priors(profile)["CE"]
            ).value
            db.session.rollback()
            return found, expected

        return make.run(run)

    easy, expected_easy = estimated(-1.5)
    hard, expected_hard = estimated(1.5)
    assert easy == pytest.approx(expected_easy)
    assert hard == pytest.approx(expected_hard)
    assert hard > easy + 0.05


def test_learner_dashboard_shows_each_skill_and_the_month(learner, make, bank):
    for _ in range(3):
        _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    page = learner.get("/").get_data(as_text=True)
    for label in ("Comprendre à l’oral", "Comprendre à l’écrit", "Écrire", "Parler"):
        assert label in page
    assert "pas encore assez d’exercices (3 sur 8)" in page
    assert 'class="skill-progress' not in page  # 3 answers: no bar yet
    assert "Ce mois-ci" in page
    assert ">3</span> minutes de pratique" in page


def test_referent_records_an_outside_level_and_sees_the_progress(
    learner, make, app, bank
):
    referent = app.test_client()
    login(referent, "claire")
    response = referent.post(
        f"/apprenants/{learner.profile_id}/niveau-externe",
        data={"source": "tcf", "skill": "", "level": "B1", "taken_on": "2026-10-01"},
    )
    assert response.status_code == 302
    page = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "TCF – B1" in page
    assert "Progression" in page

    from tutoring.learning.progress import skill_estimates

    values = make.run(
        lambda: {
            k: v.value
            for k, v in skill_estimates(
                db.session.get(LearnerProfile, learner.profile_id)
            ).items()
        }
    )
    assert all(v == LEVEL_CENTRE["B1"] for v in values.values())
    future = referent.post(
        f"/apprenants/{learner.profile_id}/niveau-externe",
        data={
            "source": "tcf",
            "skill": "",
            "level": "B1",
            "taken_on": (date.today() + timedelta(days=9)).isoformat(),
        },
    )
    assert future.status_code == 302
    assert "non enregistrée" in referent.get(
        f"/apprenants/{learner.profile_id}"
    ).get_data(as_text=True)


def test_learner_notes_the_date_the_level_is_needed_by(learner, make):
    def saved() -> str | None:
        profile = db.session.get(LearnerProfile, learner.profile_id)
        return profile.target_date.isoformat() if profile.target_date else None

    empty = learner.post("/pratique/objectif", data={"target_date": ""})
    assert empty.status_code == 400  # nothing noted yet: an empty date is not saved
    assert "Choisissez une date." in empty.get_data(as_text=True)
    assert "La date est enregistrée" not in empty.get_data(as_text=True)
    soon = (date.today() + timedelta(days=200)).isoformat()
    done = learner.post("/pratique/objectif", data={"target_date": soon})
    assert done.status_code == 302
    assert make.run(saved) == soon
    for refused, message in (
        ("1999-01-01", "Cette date est déjà passée."),
        ("2101-03-04", "Cette date est trop lointaine."),
        ("pas une date", "Cette date n’est pas plausible."),
    ):
        page = learner.post("/pratique/objectif", data={"target_date": refused})
        assert page.status_code == 400
        text = page.get_data(as_text=True)
        assert message in text
        if refused[0].isdigit():  # the value typed stays in the field
            assert f'name="target_date" value="{refused}"' in text
        assert 'aria-invalid="true"' in text
        assert make.run(saved) == soon
    cleared = learner.post("/pratique/objectif", data={"target_date": ""})
    assert cleared.status_code == 302
    assert make.run(saved) is None
    assert "La date est supprimée." in learner.get("/pratique/").get_data(as_text=True)


def test_a_bar_shows_only_when_the_estimate_means_something(learner, make, bank):
    """After one right answer the home says « not enough exercises », with no bar;
    with enough answers the bar comes with the uncertainty in words."""
    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    home = learner.get("/").get_data(as_text=True)
    assert "pas encore assez d’exercices (1 sur 8)" in home
    assert "<progress" not in home
    for _ in range(9):
        _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    home = learner.get("/").get_data(as_text=True)
    assert home.count("<progress") == 1  # reading only: the other skills wait
    assert "Pas encore sûr : entre" in home or "Estimation assez sûre." in home


def test_inactive_learner_is_flagged_for_the_referent(learner, make, app):
    def age():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        profile.enrolled_at = utcnow() - timedelta(days=30)

    make.run(age)
    referent = app.test_client()
    login(referent, "claire")
    page = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "aucun exercice depuis 14 jours" in page


def _play_placement(client, make, answer_right: bool) -> PracticeSet:
    """Answer every placement item through the pages, right or wrong."""
    import re

    from tests.content.test_bank_content import key_response

    for _ in range(25):
        current = make.run(
            lambda: db.session.scalar(
                select(PracticeSet).order_by(PracticeSet.id.desc())
            )
        )
        if current.finished_at is not None:
            return current
        page = client.get(f"/pratique/serie/{current.id}").get_data(as_text=True)
        fields = dict(
            re.findall(r'name="(position|client_id|shown_at)" value="([^"]*)"', page)
        )
        from tutoring.content.bank import item_of
        from tutoring.content.models import ItemVersion

        version_id = current.item_version_ids[current.position]
        version = make.run(lambda vid=version_id: db.session.get(ItemVersion, vid))
        item = item_of(version)
        response = key_response(item)
        if not answer_right:
            response = {
                k: (["0"] * len(v) if isinstance(v, list) else "zzz")
                for k, v in response.items()
            }
            if item.type in ("single_choice",):
                wrong = next(
                    i
                    for i, c in enumerate(item.data["choices"])
                    if c != item.data["answer"]
                )
                response = {"choice": str(wrong)}
            if item.type == "true_false":
                response = {"answer": "false" if item.data["answer"] else "true"}
            if item.type == "image_choice":
                wrong = next(
                    c["image"]
                    for c in item.data["choices"]
                    if c["image"] != item.data["answer"]
                )
                response = {"choice": wrong}
        reply = client.post(
            f"/pratique/serie/{current.id}", data={**fields, **response}
        )
        body = reply.get_data(as_text=True)
        assert reply.status_code == 302, (
            item.id,
            response,
            re.findall(r"role=\"alert\">([^<]*)", body),
        )
    raise AssertionError("placement did not finish")


@pytest.fixture
def real_bank(app):
    from exercises.loading import BANK, load_bank
    from tutoring.content.bank import sync_bank

    items, _ = load_bank(BANK, check_audio=False)
    with app.app_context():
        sync_bank(items)
        db.session.commit()


def test_placement_test_finds_a_level_and_adapts(app, make, real_bank):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    assert "test de positionnement" in client.get("/").get_data(as_text=True)
    assert (
        client.post("/pratique/positionnement", data={"reads": "yes"}).status_code
        == 302
    )
    done = _play_placement(client, make, answer_right=True)
    assert len(done.item_version_ids) == 20
    levels = make.run(
        lambda: [
            v.level
            for v in db.session.scalars(
                select(
                    __import__(
                        "tutoring.content.models", fromlist=["ItemVersion"]
                    ).ItemVersion
                ).where(
                    __import__(
                        "tutoring.content.models", fromlist=["ItemVersion"]
                    ).ItemVersion.id.in_(done.item_version_ids)
                )
            )
        ]
    )
    assert {"B1", "B2"} & set(levels)  # right answers lead to harder items
    strong = make.run(lambda: db.session.get(LearnerProfile, profile_id).practice_level)
    page = client.get(f"/pratique/serie/{done.id}/bilan").get_data(as_text=True)
    assert "Résultat du test de positionnement" in page

    referent2 = make.user("ref2", Role.REFERENT, structure="Autre")
    profile2, user2 = make.learner(referent2, first_name="Oksana")
    other = app.test_client()
    card_login(other, make.card(user2, referent2))
    other.post("/pratique/positionnement", data={"reads": "yes"})
    _play_placement(other, make, answer_right=False)
    weak = make.run(lambda: db.session.get(LearnerProfile, profile2).practice_level)
    order = ["A1.1", "A1", "A2", "B1", "B2"]
    assert order.index(strong) > order.index(weak)


def test_learner_who_does_not_read_yet_gets_pictures_and_sound(app, make, real_bank):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    client.post("/pratique/positionnement", data={"reads": "no"})
    done = _play_placement(client, make, answer_right=True)
    from tutoring.content.models import ItemVersion

    versions = make.run(
        lambda: db.session.scalars(
            select(ItemVersion).where(ItemVersion.id.in_(done.item_version_ids))
        ).all()
    )
    assert len(versions) == 10
    assert {v.level for v in versions} == {"A1.1"}
    assert all(v.skill == "CO" or v.type == "image_choice" for v in versions)
    assert (
        make.run(lambda: db.session.get(LearnerProfile, profile_id).practice_level)
        == "A1.1"
    )


def test_learner_prints_an_attestation_anyone_can_check(learner, make, bank, app):
    _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    page = learner.post("/compte/attestation").get_data(as_text=True)
    assert "Attestation de suivi" in page
    assert "n’est pas une certification officielle" in page
    import re

    code = re.search(r"Code de vérification : ([A-Z0-9-]{14})", page).group(1)
    checker = app.test_client()
    check = checker.get(f"/attestation/{code.lower()}")
    assert check.status_code == 200
    assert "authentique" in check.get_data(as_text=True)
    assert "Amina" in check.get_data(as_text=True)
    assert checker.get("/attestation/AAAA-BBBB-CCCC").status_code == 404
    assert checker.get("/attestation/x").status_code == 404


def test_mastery_needs_four_right_among_the_last_five():
    from exercises.mastery import mastery

    assert not mastery([1, 1, 1]).mastered
    assert mastery([0, 1, 1, 1, 1]).mastered
    assert not mastery([1, 1, 1, 1, 0, 0]).mastered  # only the last five count
    assert mastery([0.5, 1, 0.9, 1, 0.8]).right == 4


def test_units_show_their_can_do_and_mastery(learner, make, bank):
    for _ in range(4):
        _answer(make, learner.profile_id, bank, 1, {"choice": "1"})
    page = learner.get("/").get_data(as_text=True)
    assert "Je peux comprendre un rendez-vous chez le médecin." in page
    assert "Acquis" in page
