"""The mock French exam in the TCF IRN format (issue #16): four-option questions only
for listening and reading, recordings that play once, the three writing and speaking
tasks, the speaking part live with a tutor, and indicative scores on the TCF scales."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from exercises.estimate import LEVEL_CENTRE
from exercises.loading import BANK, load_bank
from exercises.mock import (
    SECTIONS,
    SPEAKING_TASKS,
    WRITING_TASKS,
    draw_section,
    indicative_score,
    is_four_option_mcq,
)
from exercises.model import Item
from tests.conftest import card_login, csrf_from
from tutoring.content.bank import sync_bank
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.exams.models import LanguageExam
from tutoring.learning.models import PracticeSet
from tutoring.sessions.models import TutoringSession

ITEMS, _ = load_bank(BANK, check_audio=False)
CO, CE, EE, EO = SECTIONS


def _item(n: int, skill: str, level: str, options: int = 4) -> Item:
    kind = "single_choice" if options else "true_false"
    data = {"choices": [f"option {k}" for k in range(options)], "answer": 0}
    return Item(
        id=f"{level.lower()}-{skill.lower()}-{n:03d}-{options}", version=1,
        unit="u", level=level, theme="sante", skill=skill, type=kind,
        instruction="choose", explanation="", can_do="", unit_title="",
        data=data if options else {"answer": True}, prompt="?",
    )  # fmt: skip


def _synthetic_bank(per_level: int, levels=("A1", "A2", "B1", "B2")) -> list[Item]:
    """`per_level` four-option items per skill and level, plus items of other shapes
    (three options, true or false) that the mock must never draw."""
    items = []
    for skill in ("CO", "CE"):
        for level in levels:
            items += [_item(n, skill, level) for n in range(per_level)]
            items += [_item(n, skill, level, options=3) for n in range(30)]
            items += [_item(n, skill, level, options=0) for n in range(30)]
    return items


def test_listening_and_reading_draw_only_four_option_questions():
    rng = random.Random(7)
    for section in (CO, CE):
        drawn = draw_section(ITEMS, section, rng, frozenset())
        assert len(drawn) == 25
        assert all(is_four_option_mcq(i) for i in drawn), [i.id for i in drawn]
        assert {len(i.data["choices"]) for i in drawn} == {4}
    synthetic = draw_section(_synthetic_bank(40), CO, rng, frozenset())
    assert len(synthetic) == 25
    assert all(i.id.endswith("-4") for i in synthetic)


def test_three_mocks_in_a_row_repeat_no_item_with_forty_per_level():
    bank = _synthetic_bank(40)
    rng = random.Random(11)
    for section in (CO, CE):
        seen: set[str] = set()
        for _mock in range(3):
            drawn = draw_section(bank, section, rng, frozenset(seen))
            ids = {i.id for i in drawn}
            assert len(ids) == 25
            assert not ids & seen
            seen |= ids


def test_a_nearby_level_stands_in_when_one_is_short():
    bank = _synthetic_bank(40, levels=("A2", "B1", "B2"))  # no A1 four-option item
    drawn = draw_section(bank, CO, random.Random(1), frozenset())
    assert len(drawn) == 25
    assert all(is_four_option_mcq(i) for i in drawn)
    assert {i.level for i in drawn} == {"A2", "B1", "B2"}


def test_the_three_writing_and_speaking_tasks_of_the_format():
    assert [(t.min_words, t.max_words) for t in WRITING_TASKS] == [
        (60, 120), (120, 150), (120, 180),
    ]  # fmt: skip
    assert [t.seconds + t.preparation_seconds for t in SPEAKING_TASKS] == [
        120, 330, 270,
    ]  # fmt: skip
    assert len(draw_section(ITEMS, EE, random.Random(2), frozenset())) == 3


def test_indicative_scores_on_the_tcf_scales():
    # CO/CE: A2 from 200, B1 from 300, B2 from 400; EE/EO: B1 from 6/20, B2 from 10/20
    low_b1 = LEVEL_CENTRE["B1"] - 0.5
    assert indicative_score("CO", low_b1) == 300
    assert indicative_score("CE", low_b1 - 0.01) == 299
    assert indicative_score("EE", low_b1) == 6
    assert indicative_score("EO", LEVEL_CENTRE["B2"] - 0.5) == 10
    assert indicative_score("CO", -9) == 100
    assert indicative_score("EO", -9) == 0
    assert indicative_score("CO", 9) == 499  # the bank measures up to B2


@pytest.fixture
def world(app, make, pair):
    """Amina (paired with the tutor Marc) with the whole bank, signed in by card."""
    with app.app_context():
        sync_bank(ITEMS)
        db.session.commit()
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    return {**pair, "learner": learner}


def _latest(make, model):
    return make.run(lambda: db.session.scalar(select(model).order_by(model.id.desc())))


def _expire(make, practice_id: int) -> None:
    def run():
        db.session.get(PracticeSet, practice_id).deadline = utcnow() - timedelta(
            seconds=1
        )

    make.run(run)


def _start_exam(world, make) -> int:
    learner = world["learner"]
    page = learner.get("/examens/").get_data(as_text=True)
    learner.post("/examens/francais", data={"csrf_token": csrf_from(page)})
    return _latest(make, LanguageExam).id


def test_a_mock_recording_plays_once(world, make, monkeypatch, tmp_path):
    import tutoring.exams.language as language

    sound = tmp_path / "son.opus"
    sound.write_bytes(b"OggS fake opus")
    monkeypatch.setattr(
        language, "mock_audio_file", lambda item, s: (sound, "audio/ogg")
    )
    learner = world["learner"]
    exam_id = _start_exam(world, make)
    learner.post(f"/examens/francais/{exam_id}/partie")
    listening = _latest(make, PracticeSet)
    page = learner.get(f"/pratique/serie/{listening.id}").get_data(as_text=True)
    url = f"/examens/francais/partie/{listening.id}/ecoute/0"
    assert f'data-src="{url}"' in page
    assert "<audio" not in page.split("play-once", 1)[1].split("</div>", 1)[0]
    assert '<button type="button" class="button big play-once-button"' in page
    assert "disabled" not in page.split("play-once-button", 1)[1].split(">", 1)[0]
    assert re.search(r"js/play-once(\.\w{12})?\.js", page)  # maybe fingerprinted

    first = learner.get(url)
    assert first.status_code == 200
    assert first.data == b"OggS fake opus"
    assert first.headers["Cache-Control"] == "no-store"
    first.close()
    again = learner.get(url)
    assert again.status_code == 410
    assert "déjà été écouté" in again.get_data(as_text=True)
    reloaded = learner.get(f"/pratique/serie/{listening.id}").get_data(as_text=True)
    assert "disabled" in reloaded.split("play-once-button", 1)[1].split(">", 1)[0]
    # only the current item of the learner's own running section
    assert (
        learner.get(f"/examens/francais/partie/{listening.id}/ecoute/1").status_code
        == 404
    )
    assert world["client"].get(url).status_code == 403  # the tutor is no learner


def _through_writing(world, make) -> int:
    """Start an exam and let the time of listening, reading and writing run out."""
    learner = world["learner"]
    exam_id = _start_exam(world, make)
    for _section in range(3):
        learner.post(f"/examens/francais/{exam_id}/partie")
        practice = _latest(make, PracticeSet)
        if _section == 2:  # the writing section shows its task and word counts
            page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
            assert "Tâche 1 : un message court" in page
            assert "Entre 60 et 120 mots." in page
        _expire(make, practice.id)
    learner.get(f"/examens/francais/{exam_id}")
    return exam_id


def _held_session(world, make) -> int:
    def run():
        starts = utcnow() - timedelta(minutes=10)
        session = TutoringSession(
            uid="live@test", slot="live@test", pairing_id=world["pairing"],
            tutor_id=world["tutor"], learner_id=world["profile"], starts_at=starts,
            ends_at=starts + timedelta(hours=1), place="Espace numérique MESA",
            place_id=world["place"],
        )  # fmt: skip
        db.session.add(session)
        db.session.flush()
        return session.id

    return make.run(run)


def _choose_live(world, exam_id: int):
    learner = world["learner"]
    page = learner.get(f"/examens/francais/{exam_id}").get_data(as_text=True)
    assert "Comment passer l’oral ?" in page
    return learner.post(
        f"/examens/francais/{exam_id}/oral",
        data={"csrf_token": csrf_from(page), "mode": "live"},
    )


def test_speaking_live_with_the_tutor_during_a_session(world, make):
    learner, tutor = world["learner"], world["client"]
    exam_id = _through_writing(world, make)
    assert _choose_live(world, exam_id).status_code == 302
    page = learner.get(f"/examens/francais/{exam_id}").get_data(as_text=True)
    assert "avec votre tuteur, pendant une séance" in page
    assert "M’enregistrer maintenant" not in page
    before = _latest(make, PracticeSet).id
    learner.post(
        f"/examens/francais/{exam_id}/partie", data={"csrf_token": csrf_from(page)}
    )
    assert _latest(make, PracticeSet).id == before  # no recorded section now

    session_id = _held_session(world, make)
    report = tutor.get(f"/tuteur/seances/{session_id}/compte-rendu").get_data(
        as_text=True
    )
    live_url = f"/corrections/examen-oral/{exam_id}"
    assert live_url in report
    assert "Faire passer l’oral" in report

    waiting = tutor.get("/corrections/").get_data(as_text=True)
    assert "Oraux d’examen blanc à faire passer" in waiting
    assert live_url in waiting
    live = tutor.get(live_url)
    body = live.get_data(as_text=True)
    assert live.status_code == 200
    for task in (
        "entretien dirigé",
        "exercice en interaction",
        "expression d’un point de vue",
    ):
        assert task in body
    assert body.count('class="task-timer"') == 3
    assert 'data-preparation="120"' in body
    assert re.search(r"js/task-timer(\.\w{12})?\.js", body)
    assert "La prononciation se comprend bien" in body  # the speaking rubric
    drawn = make.run(
        lambda: db.session.get(LanguageExam, exam_id)
    ).live_item_version_ids
    assert len(drawn) == 3
    tutor.get(live_url)  # a reload keeps the prompts drawn
    assert (
        make.run(lambda: db.session.get(LanguageExam, exam_id)).live_item_version_ids
        == drawn
    )

    token = csrf_from(body)
    rubric = ("task", "coherence", "vocabulary", "grammar", "pronunciation")
    marks = {f"t{n}-{key}": "3" for n in (1, 2, 3) for key in rubric}
    incomplete = tutor.post(
        live_url, data={**marks, "t3-grammar": "", "csrf_token": token}
    )
    assert incomplete.status_code == 400
    assert "Donnez une appréciation pour chaque critère." in incomplete.get_data(
        as_text=True
    )
    assert _latest(make, LanguageExam).finished_at is None

    assert tutor.post(live_url, data={**marks, "csrf_token": token}).status_code == 302
    exam = make.run(lambda: db.session.get(LanguageExam, exam_id))
    assert exam.finished_at is not None
    assert exam.passed_eo is True
    assert exam.live_marks == [dict.fromkeys(rubric, 3)] * 3
    assert tutor.get(live_url).status_code == 302  # marked: nothing to take any more
    assert live_url not in tutor.get("/corrections/").get_data(as_text=True)

    result = learner.get(f"/examens/francais/{exam_id}/resultat").get_data(as_text=True)
    assert "notée par votre tuteur, en séance" in result
    eo = result.split('id="partie-EO"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<dd class="score">\d+ sur l’échelle du TCF \(0 à 20\)</dd>', eo)
    co = result.split('id="partie-CO"', 1)[1].split("</section>", 1)[0]
    assert '<dd class="score">—</dd>' in co  # nothing answered: no score
    assert "ce n’est pas un score officiel du TCF" in result
    assert "estimations à partir d’exercices d’entraînement" in result


def test_the_result_names_the_skill_furthest_from_the_card_level(world, make):
    exam_id = _through_writing(world, make)
    _choose_live(world, exam_id)
    tutor = world["client"]
    live_url = f"/corrections/examen-oral/{exam_id}"
    token = csrf_from(tutor.get(live_url).get_data(as_text=True))
    rubric = ("task", "coherence", "vocabulary", "grammar", "pronunciation")
    marks = {f"t{n}-{key}": "1" for n in (1, 2, 3) for key in rubric}
    tutor.post(live_url, data={**marks, "csrf_token": token})
    result = (
        world["learner"]
        .get(f"/examens/francais/{exam_id}/resultat")
        .get_data(as_text=True)
    )
    # listening, reading and writing: nothing answered, so no level; speaking is
    # below A2: it is the skill to work on first.
    assert "la compétence la plus éloignée est : Expression orale" in result


def test_the_learner_may_go_back_to_recording(world, make):
    exam_id = _through_writing(world, make)
    _choose_live(world, exam_id)
    learner = world["learner"]
    page = learner.get(f"/examens/francais/{exam_id}").get_data(as_text=True)
    learner.post(
        f"/examens/francais/{exam_id}/oral",
        data={"csrf_token": csrf_from(page), "mode": "recorded"},
    )
    assert (
        make.run(lambda: db.session.get(LanguageExam, exam_id)).speaking_live is False
    )
    page = learner.get(f"/examens/francais/{exam_id}").get_data(as_text=True)
    learner.post(
        f"/examens/francais/{exam_id}/partie", data={"csrf_token": csrf_from(page)}
    )
    speaking = _latest(make, PracticeSet)
    assert speaking.exam_id == exam_id
    assert len(speaking.item_version_ids) == 3
    item_page = learner.get(f"/pratique/serie/{speaking.id}").get_data(as_text=True)
    assert "Tâche 1 : entretien dirigé" in item_page
    assert world["client"].get(f"/corrections/examen-oral/{exam_id}").status_code == 302


def test_the_speaking_choice_is_refused_out_of_order_or_forged(world, make):
    learner = world["learner"]
    exam_id = _start_exam(world, make)
    page = learner.get(f"/examens/francais/{exam_id}").get_data(as_text=True)
    assert "Comment passer l’oral ?" not in page  # listening comes first
    token = csrf_from(page)
    url = f"/examens/francais/{exam_id}/oral"
    assert (
        learner.post(url, data={"csrf_token": token, "mode": "live"}).status_code == 400
    )
    assert (
        learner.post(url, data={"csrf_token": token, "mode": "vite"}).status_code == 400
    )
    assert (
        make.run(lambda: db.session.get(LanguageExam, exam_id)).speaking_live is False
    )
    assert (
        learner.post(
            f"/examens/francais/{2**40}/oral", data={"csrf_token": token}
        ).status_code
        == 404
    )
