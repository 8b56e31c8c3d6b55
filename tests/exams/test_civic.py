"""The civic question bank and the mock civic exam."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from exercises.civic import (
    BASIC_SHARE_MAX,
    BLUEPRINT,
    CIVIC,
    MENTIONS,
    build_exam,
    duplicate_problems,
    load_civic,
    near_duplicates,
)
from tests.conftest import card_login
from tests.spelling import allow_list, unknown_words
from tutoring.accounts.models import Role
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.exams.models import CivicExam

QUESTIONS, PROBLEMS = load_civic()


def test_civic_bank_is_valid_and_large_enough(runner):
    assert [str(p) for p in PROBLEMS] == []
    assert len(QUESTIONS) >= 500
    result = runner.invoke(args=["exercises", "civic", "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert set(counts["theme"]) == {
        "principes",
        "institutions",
        "droits",
        "histoire",
        "societe",
    }
    assert set(counts["mention"]) == set(MENTIONS)


def test_each_mention_can_draw_three_different_exams():
    for mention in MENTIONS:
        seen: set[str] = set()
        for n in range(3):
            exam = build_exam(
                list(QUESTIONS), mention, random.Random(n), frozenset(seen)
            )
            assert len(exam) == 40
            assert sum(q.kind == "situation" for q in exam) == 12
            assert all(mention in q.mentions for q in exam)
            assert not {q.id for q in exam} & seen
            seen |= {q.id for q in exam}
            counts = {s: sum(q.subtheme == s for q in exam) for s in BLUEPRINT}
            assert counts == {s: c for s, (_t, _k, c) in BLUEPRINT.items()}


BLUEPRINT_COUNTS = {s: c for s, (_t, _k, c) in BLUEPRINT.items()}
NEAR_PAIRS = {frozenset((a.id, b.id)) for _score, a, b in near_duplicates(QUESTIONS)}


@pytest.mark.parametrize("mention", MENTIONS)
def test_a_thousand_draws_keep_the_blueprint_the_half_rule_and_no_twins(mention):
    """Résident and naturalisation: at most 20 of 40 from the pluriannuelle pool."""
    rng = random.Random(mention)
    basic_counts = []
    for _ in range(1000):
        exam = build_exam(list(QUESTIONS), mention, rng)
        assert len(exam) == 40
        assert len({q.id for q in exam}) == 40
        assert all(mention in q.mentions for q in exam)
        assert {s: sum(q.subtheme == s for q in exam) for s in BLUEPRINT} == (
            BLUEPRINT_COUNTS
        )
        groups = [q.group for q in exam]
        assert len(set(groups)) == 40  # never two questions of one family
        ids = [q.id for q in exam]
        assert not any(
            frozenset((a, b)) in NEAR_PAIRS
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
        )
        basic_counts.append(sum(q.basic for q in exam))
    if mention == "csp":
        assert min(basic_counts) == 40  # the pluriannuelle exam is all basic
    else:
        assert max(basic_counts) <= BASIC_SHARE_MAX
        assert min(basic_counts) >= 5  # the basic pool still takes part


def test_the_versions_differ_in_difficulty():
    """Each version has questions the easier ones never see."""
    pools = {m: {q.id for q in QUESTIONS if m in q.mentions} for m in MENTIONS}
    assert pools["csp"] < pools["cr"] < pools["nat"]
    assert len(pools["cr"] - pools["csp"]) >= 150
    assert len(pools["nat"] - pools["cr"]) >= 50
    by_difficulty = {
        d: {q.difficulty for q in QUESTIONS if m in q.mentions}
        for d, m in ((1, "csp"), (2, "cr"))
    }
    assert by_difficulty == {1: {1}, 2: {1, 2}}


def test_the_bank_has_no_near_duplicate_outside_a_family(runner):
    assert [str(p) for p in duplicate_problems(QUESTIONS)] == []
    result = runner.invoke(args=["exercises", "civic", "check"])
    assert result.exit_code == 0, result.output
    assert "0 outside a family" in result.output


QUESTION = (
    "  - id: civ-institutions-europe-XXX\n    version: 1\n    kind: knowledge\n    difficulty: 1\n"
    "    mentions: [csp, cr, nat]\n{family}    question: {question}\n"
    "    choices: [« Strasbourg. », « Paris. », « Lyon. », « Lille. »]\n"
    "    answer: « Strasbourg. »\n    explanation: E.\n"
)


def _bank(tmp_path, second: str, family: str = "") -> list[str]:
    head = (
        "theme: institutions\nsubtheme: europe\nsources:\n  - title: T\n"
        "    url: https://europa.eu/\n    checked: 2026-01-15\nquestions:\n"
    )
    first = "Dans quelle ville le Parlement européen a-t-il son siège ?"
    body = "".join(
        QUESTION.replace("XXX", f"00{n}")
        .format(family=f"    family: {family}\n" if family else "", question=text)
        .replace("«", '"')
        .replace("»", '"')
        for n, text in ((1, first), (2, second))
    )
    (tmp_path / "institutions-europe.yaml").write_text(head + body, encoding="utf-8")
    questions, problems = load_civic(tmp_path)
    assert not [p for p in problems if p.item], problems
    return [str(p) for p in duplicate_problems(questions)]


def test_the_check_finds_a_planted_near_duplicate(tmp_path, app, monkeypatch):
    planted = _bank(
        tmp_path, "Dans quelle ville française le Parlement européen a son siège ?"
    )
    assert len(planted) == 1
    assert "civ-institutions-europe-001" in planted[0]
    assert "civ-institutions-europe-002" in planted[0]
    assert (
        _bank(tmp_path, "Dans quelle ville se trouve la Commission européenne ?") == []
    )
    assert _bank(tmp_path, "Où siège le Parlement européen, en France ?", "siege") == []
    # The command fails on the planted pair.
    monkeypatch.setattr("tutoring.content.cli.load_civic", lambda: load_civic(tmp_path))
    _bank(tmp_path, "Dans quelle ville française le Parlement européen a son siège ?")
    result = app.test_cli_runner().invoke(args=["exercises", "civic", "check"])
    assert result.exit_code == 1
    assert "1 outside a family" in result.output


def test_difficulty_family_and_sources_are_checked(tmp_path):
    (tmp_path / "principes-laicite.yaml").write_text(
        "theme: principes\nsubtheme: laicite\nsources:\n  - title: T\n"
        "    url: http://example.org/\n    checked: demain\nquestions:\n"
        "  - id: civ-principes-laicite-001\n    version: 1\n    kind: knowledge\n"
        "    difficulty: 3\n    mentions: [csp, cr, nat]\n    family: Pas Bien\n"
        "    question: Q ?\n    choices: [a, b, c, d]\n    answer: a\n"
        "    explanation: E.\n"
        "  - id: civ-principes-laicite-002\n    version: 1\n    kind: knowledge\n"
        "    difficulty: 4\n    mentions: [nat]\n"
        "    question: Q ?\n    choices: [a, b, c, d]\n    answer: a\n"
        "    explanation: E.\n",
        encoding="utf-8",
    )
    (tmp_path / "principes-devise_symboles.yaml").write_text(
        "theme: principes\nsubtheme: devise_symboles\nquestions: []\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in load_civic(tmp_path)[1]]
    assert any("laicite-001:mentions: difficulté 3" in p for p in problems)
    assert any("laicite-001:family" in p for p in problems)
    assert any("laicite-002:difficulty" in p for p in problems)
    assert any("principes-laicite.yaml:sources[1]" in p for p in problems)
    assert any("principes-devise_symboles.yaml:sources" in p for p in problems)


def test_civic_questions_pass_the_spell_check(tmp_path):
    allowed = allow_list(sorted(CIVIC.glob("allowlist-*.txt")))
    text = "\n".join(
        "\n".join([q.question, *q.choices, q.explanation]) for q in QUESTIONS
    )
    assert unknown_words(text, allowed, tmp_path) == set()


def test_broken_civic_file_is_reported(tmp_path):
    (tmp_path / "principes-laicite.yaml").write_text(
        "theme: principes\nsubtheme: laicite\nquestions:\n"
        "  - id: civ-principes-laicite-001\n    version: 1\n    kind: situation\n"
        "    mentions: [csp, mars]\n    question: Q ?\n    choices: [a, b, c]\n"
        "    answer: d\n    explanation: E.\n",
        encoding="utf-8",
    )
    (tmp_path / "ailleurs-rien.yaml").write_text("theme: x\n", encoding="utf-8")
    problems = [str(p) for p in load_civic(tmp_path)[1]]
    assert any("civ-principes-laicite-001:kind" in p for p in problems)
    assert any("civ-principes-laicite-001:mentions" in p for p in problems)
    assert any("civ-principes-laicite-001:choices" in p for p in problems)
    assert any("ailleurs-rien.yaml" in p for p in problems)


@pytest.fixture
def learner(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    client.profile_id = profile_id
    return client


def _exam(make) -> CivicExam:
    return make.run(
        lambda: db.session.scalar(select(CivicExam).order_by(CivicExam.id.desc()))
    )


def test_learner_sits_a_mock_civic_exam(learner, make):
    page = learner.get("/examens/").get_data(as_text=True)
    assert "Examen civique blanc" in page
    assert learner.post("/examens/civique", data={"mention": "csp"}).status_code == 302
    exam = _exam(make)
    assert len(exam.questions) == 40
    first = learner.get(f"/examens/civique/{exam.id}?page=0").get_data(as_text=True)
    assert "Temps restant : 45 minutes" in first
    assert exam.questions[0]["explanation"] not in first  # no key before the end
    for page in range(8):
        answers = {
            f"q{i}": str(exam.questions[i]["answer"])
            for i in range(page * 5, page * 5 + 5)
        }
        if page == 0:
            answers["q0"] = str((exam.questions[0]["answer"] + 1) % 4)  # one wrong
        action = "finish" if page == 7 else "next"
        response = learner.post(
            f"/examens/civique/{exam.id}?page={page}",
            data={**answers, "action": action},
        )
        assert response.status_code == 302
    result = learner.get(f"/examens/civique/{exam.id}/resultat").get_data(as_text=True)
    assert "39 sur 40" in result
    assert "Réussi" in result
    assert "aucune valeur officielle" in result
    assert _exam(make).score == 39


def test_answers_are_kept_between_pages_and_time_is_enforced(learner, make):
    learner.post("/examens/civique", data={"mention": "nat"})
    exam = _exam(make)
    learner.post(
        f"/examens/civique/{exam.id}?page=0", data={"q0": "2", "action": "next"}
    )
    assert _exam(make).answers[0] == 2
    page = learner.get(f"/examens/civique/{exam.id}?page=0").get_data(as_text=True)
    assert 'name="q0" value="2" checked' in page

    def expire():
        db.session.get(CivicExam, exam.id).started_at = utcnow() - timedelta(minutes=46)

    make.run(expire)
    late = learner.post(
        f"/examens/civique/{exam.id}?page=1", data={"q5": "1", "action": "next"}
    )
    assert late.headers["Location"].endswith("/resultat")
    closed = _exam(make)
    assert closed.submitted_at is not None
    assert closed.answers[5] is None  # too late: not counted
    assert learner.get(f"/examens/civique/{exam.id}?page=0").status_code == 302


@pytest.mark.parametrize(
    "data", [{"q0": "9", "action": "next"}, {"q0": "x", "action": "next"}, {"q3": "1"}]
)
def test_bad_exam_answers_are_refused(learner, make, data):
    learner.post("/examens/civique", data={"mention": "cr"})
    exam = _exam(make)
    response = learner.post(f"/examens/civique/{exam.id}?page=0", data=data)
    if "q3" in data:
        assert response.status_code == 302  # q3 is on this page: accepted
    else:
        assert response.status_code == 400
        assert _exam(make).answers[0] is None


def test_another_learner_cannot_open_my_exam(learner, make, app):
    learner.post("/examens/civique", data={"mention": "csp"})
    exam = _exam(make)
    referent = make.user("ref-b", Role.REFERENT, structure="Autre")
    _profile, other_id = make.learner(referent, first_name="Oksana")
    other = app.test_client()
    card_login(other, make.card(other_id, referent))
    assert other.get(f"/examens/civique/{exam.id}").status_code == 404
    assert other.get(f"/examens/civique/{exam.id}/resultat").status_code == 404
    assert learner.post("/examens/civique", data={"mention": "mars"}).status_code == 400


def test_finishing_with_unanswered_questions_asks_first(learner, make):
    """33 questions left blank: the learner is told how many and chooses."""
    learner.post("/examens/civique", data={"mention": "csp"})
    exam = _exam(make)
    learner.post(
        f"/examens/civique/{exam.id}?page=0",
        data={f"q{i}": "0" for i in range(5)} | {"action": "next"},
    )
    asked = learner.post(
        f"/examens/civique/{exam.id}?page=1",
        data={"q5": "1", "q6": "1", "action": "finish"},
    )
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Vous n’avez pas répondu à 33 questions sur 40." in page
    assert f"/examens/civique/{exam.id}?page=1" in page  # first blank is q7, page 1
    kept = _exam(make)
    assert kept.submitted_at is None  # not closed yet
    assert kept.answers[5:7] == [1, 1]  # but the page's answers are kept
    done = learner.post(
        f"/examens/civique/{exam.id}?page=1",
        data={"action": "finish", "confirmed": "1"},
    )
    assert done.headers["Location"].endswith("/resultat")
    assert _exam(make).submitted_at is not None


def test_finishing_with_every_question_answered_asks_nothing(learner, make):
    learner.post("/examens/civique", data={"mention": "csp"})
    exam = _exam(make)
    make.run(
        lambda: setattr(
            db.session.get(CivicExam, exam.id), "answers", [0] * 39 + [None]
        )
    )
    response = learner.post(
        f"/examens/civique/{exam.id}?page=7", data={"q39": "2", "action": "finish"}
    )
    assert response.headers["Location"].endswith("/resultat")


MINISTRY_PAGE = (
    "https://www.immigration.interieur.gouv.fr/Immigration/"
    "Examen-civique-pour-une-premiere-demande-de-titre-de-sejour-pluriannuel"
)


def test_exam_pages_link_to_the_ministry_page_on_the_civic_exam(learner, make):
    """Before, during and after the mock exam: a plain link, never a loaded resource."""
    label = "L’examen civique sur le site du ministère de l’Intérieur (nouvel onglet)"
    pages = {"index": learner.get("/examens/").get_data(as_text=True)}
    learner.post("/examens/civique", data={"mention": "cr"})
    exam = _exam(make)
    pages["exam"] = learner.get(f"/examens/civique/{exam.id}?page=0").get_data(
        as_text=True
    )
    done = learner.post(
        f"/examens/civique/{exam.id}?page=0",
        data={"action": "finish", "confirmed": "1"},
    )
    assert done.headers["Location"].endswith("/resultat")
    result = learner.get(f"/examens/civique/{exam.id}/resultat")
    assert result.status_code == 200
    pages["result"] = result.get_data(as_text=True)
    for name, page in pages.items():
        tags = [t for t in re.findall(r"<[^>]+>", page) if MINISTRY_PAGE in t]
        assert len(tags) == 1, name
        assert tags[0].startswith(f'<a href="{MINISTRY_PAGE}"'), tags[0]
        assert 'rel="noopener noreferrer"' in tags[0]
        assert label in page, name
    learner.post("/langue", data={"lang": "en"})
    english = learner.get("/examens/").get_data(as_text=True)
    assert "The civic exam on the website of the Ministry of the Interior" in english
