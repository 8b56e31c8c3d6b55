"""The « Numérique » track: its page, a unit practised in order through the pages,
an empty answer when the time is over, track items kept out of ordinary practice,
placement, mock exams and the learner model, the referent's view, the home card."""

from __future__ import annotations

import random
import re
import uuid

import pytest
from sqlalchemy import select

from exercises.loading import load_bank
from tests.conftest import FIXTURE_BANK, csrf_from, login
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt, PracticeSet, SetMode

TRACK_BANK = FIXTURE_BANK.parent / "track"
UNIT = "a2-numerique-ecran-test"

# A right answer for each item of the test unit (indexes into the written lists).
RIGHT = {
    "01": {"targets": "1"},
    "02": {"targets": "1"},
    "03": {"targets": "6"},
    "04": {"targets": ["0", "1"]},
    "05": {"text": "amina.haddad@exemple.fr"},
    "06": {"fields": ["Haddad", "Millau"]},
    "07": None,  # timed_choice: the choices are shuffled, read from the page
    "08": None,  # single_choice, shuffled too
}


@pytest.fixture
def track(app, bank):
    """The fixture bank and the test unit of the track, both in the database."""
    from tutoring.content.bank import sync_bank
    from tutoring.content.models import ItemVersion

    items = load_bank(FIXTURE_BANK, check_audio=False)[0]
    track_items, problems = load_bank(TRACK_BANK, check_audio=False)
    assert problems == []
    with app.app_context():
        sync_bank([*items, *track_items])
        db.session.commit()
        return {
            v.item_id: v.id
            for v in db.session.scalars(
                select(ItemVersion).where(ItemVersion.track.is_not(None))
            )
        }


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _choice_of(page: str, label: str) -> str:
    """The value of the radio whose label is `label` (choices are shuffled)."""
    found = re.search(
        rf'id="c(\d+)" name="choice" value="\1"[^>]*> <label for="c\1">{re.escape(label)}</label>',
        page,
    )
    assert found, page
    return found.group(1)


def _start(client) -> int:
    page = client.get("/pratique/numerique/").get_data(as_text=True)
    response = client.post(
        f"/pratique/numerique/{UNIT}", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 302
    return int(
        re.search(r"/pratique/serie/(\d+)", response.headers["Location"]).group(1)
    )


def _answer(client, set_id: int, number: str, answer: dict | None = None):
    page = client.get(f"/pratique/serie/{set_id}").get_data(as_text=True)
    if answer is None:
        answer = RIGHT[number]
    if answer is None:
        answer = {"choice": _choice_of(page, "Valider" if number == "07" else "39")}
    data = {
        "csrf_token": csrf_from(page),
        "position": _hidden(page, "position"),
        "client_id": _hidden(page, "client_id"),
        "shown_at": _hidden(page, "shown_at"),
        **answer,
    }
    return page, client.post(f"/pratique/serie/{set_id}", data=data)


def test_the_track_page_lists_its_units_and_a_set_goes_through_them_in_order(
    learner, track, make
):
    page = learner.get("/pratique/numerique/").get_data(as_text=True)
    assert "L’écran de l’examen (test)" in page
    assert "0 exercice fait sur 8" in page
    assert "Pour ordinateur : 4 exercices" in page  # double click, drag, typing, Tab
    set_id = _start(learner)
    pages = {}
    for number in sorted(RIGHT):
        pages[number], response = _answer(learner, set_id, number)
        assert response.status_code == 302, (
            number,
            response.get_data(as_text=True)[:800],
        )
    practice = make.run(lambda: db.session.get(PracticeSet, set_id))
    assert practice.mode == SetMode.TRACK
    assert practice.item_version_ids == [track[f"{UNIT}-{n}"] for n in sorted(RIGHT)]
    assert practice.finished_at is not None
    scores = make.run(
        lambda: db.session.scalars(
            select(Attempt.score).where(Attempt.set_id == set_id)
        ).all()
    )
    assert scores == [1.0] * 8
    after = learner.get("/pratique/numerique/").get_data(as_text=True)
    assert "8 exercices faits sur 8" in after
    assert "Meilleur score : 100" in after
    assert "Recommencer" in after
    summary = learner.get(f"/pratique/serie/{set_id}/bilan").get_data(as_text=True)
    assert "/pratique/numerique/" in summary
    # what each page shows: real buttons, the phone wording, the exam screen
    assert 'name="targets" value="1"' in pages["01"]
    assert "Touchez le bon bouton." in pages["01"]
    assert "data-double" in pages["02"]
    assert "appuyez sur Entrée" in pages["02"]
    assert 'class="scroll-list"' in pages["03"]
    assert 'data-drag="1"' in pages["04"]
    assert 'class="pairs drag-fallback"' in pages["04"]
    assert "amina.haddad@exemple.fr" in pages["05"]
    assert "appuyez longtemps sur une lettre" in pages["05"]
    assert "touche Tab" in pages["06"]
    assert 'role="timer"' in pages["07"]
    assert 'data-seconds="30"' in pages["07"]
    assert 'class="screen-title"' in pages["08"]
    assert "Question : 7 / 39" in pages["08"]


def test_a_wrong_typing_and_an_empty_timed_answer_are_scored(learner, track, make):
    set_id = _start(learner)
    for number in ("01", "02", "03", "04"):
        _answer(learner, set_id, number)
    _page, response = _answer(
        learner, set_id, "05", {"text": "Amina.Haddad@exemple.fr"}
    )
    feedback = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Attention aux accents et aux majuscules" in feedback
    _answer(learner, set_id, "06")
    _page, response = _answer(learner, set_id, "07", {"choice": ""})  # the time ran out
    assert response.status_code == 302
    feedback = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Temps écoulé : pas de réponse" in feedback
    scores = make.run(
        lambda: db.session.scalars(
            select(Attempt.score)
            .where(Attempt.set_id == set_id)
            .order_by(Attempt.position)
        ).all()
    )
    assert scores[4:] == [0.5, 1.0, 0.0]


def test_an_unknown_unit_or_a_forged_request_is_refused(learner, track):
    page = learner.get("/pratique/numerique/").get_data(as_text=True)
    token = csrf_from(page)
    assert (
        learner.post(
            "/pratique/numerique/a2-sante-test", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert learner.get(f"/pratique/numerique/{UNIT}").status_code == 405
    set_id = _start(learner)
    _page, response = _answer(learner, set_id, "01", {"targets": "9"})
    assert response.status_code == 400


def test_continuing_reopens_the_unfinished_set(learner, track):
    set_id = _start(learner)
    _answer(learner, set_id, "01")
    page = learner.get("/pratique/numerique/").get_data(as_text=True)
    assert f"/pratique/serie/{set_id}" in page
    assert "Continuer" in page
    assert _start(learner) == set_id


def test_track_items_never_come_in_practice_placement_or_mock_exams(
    learner, track, make
):
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.content.bank import active_items, active_versions
    from tutoring.exams.language import ExamError, start_language_exam, start_section
    from tutoring.learning import practice

    track_ids = set(track.values())
    assert track_ids

    def draw():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        drawn: set[int] = set()
        for seed in range(10):
            rng = random.Random(seed)
            drawn |= set(practice.start_adaptive_set(profile, rng).item_version_ids)
            drawn |= set(
                practice.start_set(profile, level="A2", rng=rng).item_version_ids
            )
            placement = practice.start_placement(profile, reads=True, rng=rng)
            drawn |= set(placement.item_version_ids)
        with pytest.raises(practice.PracticeError, match="no_items"):
            practice.start_set(profile, level="A2", theme="numerique")
        exam = start_language_exam(profile)
        # the mock exam draws from `active_versions()` (checked below); the test
        # bank is too small for a whole section
        with pytest.raises(ExamError, match="bank"):
            start_section(profile, exam, random.Random(1))
        ordinary = {vid for vid, _item in active_items().values()}
        ordinary |= {v.id for v in active_versions()}
        return drawn, ordinary

    drawn, ordinary = make.run(draw)
    assert drawn
    assert not drawn & track_ids
    assert not ordinary & track_ids


def test_track_answers_leave_the_learner_model_and_rows_unchanged(learner, track, make):
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.learning import state
    from tutoring.learning.models import ItemStat, ReviewCard

    def model():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        estimates = {
            k: (e.value, e.attempts) for k, e in state.estimates(profile).items()
        }
        return (
            estimates,
            state.stored(profile.id)["units"],
            state.stored(profile.id)["skills"],
        )

    before = make.run(model)
    set_id = _start(learner)
    _answer(learner, set_id, "01")
    _answer(learner, set_id, "02", {"targets": "0"})  # wrong: no review card either
    after = make.run(model)
    assert after == before

    def check():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        stored = state.stored(profile.id)
        computed = state.computed(profile)
        assert stored["skills"] == computed["skills"]
        assert stored["units"] == {k: v for k, v in computed["units"].items() if v}
        assert stored["learner"]["month_attempts"] == 2  # counted as activity
        assert stored["learner"]["recent"] == []
        assert db.session.scalar(select(ReviewCard.id)) is None
        assert db.session.scalar(select(ItemStat.item_id)) is None

    make.run(check)


def test_the_home_suggests_the_track_before_the_first_mock_exam(learner, track, make):
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.exams.civic import start_civic_exam

    home = learner.get("/").get_data(as_text=True)
    assert "Avant l’examen blanc : entraînez-vous sur ordinateur" in home
    make.run(
        lambda: start_civic_exam(
            db.session.get(LearnerProfile, learner.profile_id), "csp"
        )
    )
    home = learner.get("/").get_data(as_text=True)
    assert "Avant l’examen blanc" not in home


def test_the_home_suggests_the_track_until_it_is_finished(learner, track):
    set_id = _start(learner)
    numbers = sorted(RIGHT)
    for number in numbers[:1]:
        _answer(learner, set_id, number, {"targets": "0"} if number == "01" else None)
    assert "Avant l’examen blanc" in learner.get("/").get_data(as_text=True)
    for number in numbers[1:]:
        _answer(learner, set_id, number, None)
    assert "Avant l’examen blanc" not in learner.get("/").get_data(as_text=True)


def test_no_track_card_without_track_units(learner):
    assert "Avant l’examen blanc" not in learner.get("/").get_data(as_text=True)


def test_the_referent_sees_the_track_progress(app, learner, track, make):
    set_id = _start(learner)
    for number in sorted(RIGHT):
        answer = {"targets": "0"} if number == "01" else None
        _answer(learner, set_id, number, answer)
    referent = app.test_client()
    from tutoring.accounts.models import User

    name = make.run(lambda: db.session.get(User, learner.referent_id).username)
    assert login(referent, name).status_code == 302
    page = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "Parcours « Numérique »" in page
    assert "1 étape terminée sur 1" in page
    assert "(7 sur 8)" in page


def test_a_resubmitted_track_answer_is_harmless(learner, track, make):
    set_id = _start(learner)
    page = learner.get(f"/pratique/serie/{set_id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page), "position": "0", "client_id": str(uuid.uuid4()),
        "shown_at": _hidden(page, "shown_at"), "targets": "1",
    }  # fmt: skip
    assert learner.post(f"/pratique/serie/{set_id}", data=data).status_code == 302
    assert learner.post(f"/pratique/serie/{set_id}", data=data).status_code == 302
    count = make.run(lambda: len(db.session.scalars(select(Attempt.id)).all()))
    assert count == 1
