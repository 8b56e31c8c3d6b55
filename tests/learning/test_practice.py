"""A learner practises: sets, every item type through the page, feedback, resume,
harmless resubmits, clear 4xx on bad input, homework from a referent."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import card_login, login, statements
from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment, Attempt, PracticeSet, Submission

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 200


def _set(make) -> PracticeSet:
    return make.run(
        lambda: db.session.scalar(select(PracticeSet).order_by(PracticeSet.id.desc()))
    )


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _current_type(make, practice) -> str:
    from tutoring.content.models import ItemVersion

    return make.run(
        lambda: (
            db.session.get(
                ItemVersion, practice.item_version_ids[practice.position]
            ).type
        )
    )


ANSWERS = {
    "single_choice": {"choice": "1"},
    "multiple_choice": {"choices": ["0", "1", "3"]},
    "true_false": {"answer": "false"},
    "gap_typed": {"gaps": "suis"},
    "gap_list": {"gaps": "0"},
    "matching": {"pairs": ["0", "1", "2"]},
    "ordering": {"order": ["0", "1", "2"]},
    "image_choice": {"choice": "pharmacie"},
    "dictation": {"text": "Le cabinet est fermé le samedi."},
    "form_filling": {"fields": ["Haddad", "Millau"]},
    "short_writing": {
        "text": "Bonjour docteur, je dois annuler mon rendez-vous. Merci beaucoup."
    },
    "oral_production": {"seconds": "8.5"},
}


def _answer(client, make, practice_id: int, **extra):
    page = client.get(f"/pratique/serie/{practice_id}").get_data(as_text=True)
    practice = make.run(lambda: db.session.get(PracticeSet, practice_id))
    kind = _current_type(make, practice)
    data = {
        "position": _hidden(page, "position"),
        "client_id": _hidden(page, "client_id"),
        "shown_at": _hidden(page, "shown_at"),
        **ANSWERS[kind],
        **extra,
    }
    if kind == "oral_production":
        data["audio"] = (__import__("io").BytesIO(WEBM), "reponse.webm", "audio/webm")
    return (
        kind,
        client.post(
            f"/pratique/serie/{practice_id}",
            data=data,
            content_type="multipart/form-data",
        ),
        data,
    )


def test_learner_practises_a_full_set_of_every_type(learner, make):
    page = learner.get("/pratique/").get_data(as_text=True)
    assert "Pratiquer mon niveau" in page
    response = learner.post("/pratique/nouvelle")
    assert response.status_code == 302
    practice = _set(make)
    assert len(practice.item_version_ids) == 10
    seen = set()
    for _ in range(10):
        kind, response, _data = _answer(learner, make, practice.id)
        seen.add(kind)
        assert response.status_code == 302, (kind, response.data[:300])
        feedback = learner.get(response.headers["Location"]).get_data(as_text=True)
        assert "Explication" in feedback
    assert len(seen) == 10
    summary = learner.get(f"/pratique/serie/{practice.id}/bilan").get_data(as_text=True)
    assert "Bilan de la série" in summary
    attempts = make.run(lambda: db.session.scalars(select(Attempt)).all())
    assert len(attempts) == 10
    assert all(a.score in (None, 1.0) for a in attempts), [
        (a.score, a.response) for a in attempts
    ]


def test_item_page_never_contains_the_answer_key(learner, make, bank):
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    for _ in range(10):
        page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
        for secret in (
            "Le cabinet est fermé le samedi",
            "Le passé composé avec être",
            "La table est un meuble",
            "Il arrive à dix heures",
            "right-answer",
        ):
            assert secret not in page
        kind, response, _ = _answer(learner, make, practice.id)


def test_instruction_is_translated_and_has_audio_in_the_learner_language(learner, make):
    learner.post("/langue", data={"lang": "ar"})
    learner.post("/pratique/nouvelle")
    page = learner.get(f"/pratique/serie/{_set(make).id}").get_data(as_text=True)
    assert '<h1 class="instruction" lang="fr" dir="ltr">' in page
    assert 'class="translation"' in page
    assert '<html lang="ar" dir="rtl">' in page


def test_same_answer_sent_twice_is_stored_once(learner, make):
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    kind, first, data = _answer(learner, make, practice.id)
    if kind == "oral_production":
        data["audio"] = (__import__("io").BytesIO(WEBM), "reponse.webm", "audio/webm")
    again = learner.post(
        f"/pratique/serie/{practice.id}", data=data, content_type="multipart/form-data"
    )
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert (
        make.run(lambda: db.session.scalar(select(func.count()).select_from(Attempt)))
        == 1
    )


@pytest.mark.parametrize("other_stored_it", [True, False])
def test_an_answer_sent_twice_at_once_is_never_a_server_error(
    learner, make, monkeypatch, other_stored_it
):
    """A double tap on a slow network: two requests with the same client id cross,
    and the second one's insert collides with the first's (a unique violation).
    The learner sees the stored answer's feedback; if the collision was something
    else and nothing is stored, the error page asks to try again. Never a 500."""
    from sqlalchemy.exc import IntegrityError

    from tutoring.learning import practice as service

    real = service.record_answer

    def crossing(profile, practice, **attempt):
        if other_stored_it:  # the other request's answer, committed first
            real(profile, practice, **attempt)
            db.session.commit()
        raise IntegrityError("INSERT INTO attempts", {}, Exception("unique"))

    monkeypatch.setattr(service, "record_answer", crossing)
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    _kind, response, _data = _answer(learner, make, practice.id)
    stored = make.run(
        lambda: db.session.scalar(select(func.count()).select_from(Attempt))
    )
    if other_stored_it:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(
            f"/pratique/serie/{practice.id}/correction/0"
        )
        assert stored == 1
    else:  # the page says to go back and try again (4xx, nothing stored)
        assert 400 <= response.status_code < 500
        assert stored == 0


def test_first_answers_of_two_learners_to_an_item_at_once_both_count(
    learner, make, monkeypatch, database_url
):
    """Two learners answer an item nobody had answered yet, at the same moment: both
    make its difficulty row. The second finds the first's and adds to it, and its
    answer is stored; it used to be refused with « try again ». PostgreSQL only: on
    SQLite the first writer holds the whole database until it commits."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the crossing needs two writers at once (PostgreSQL)")
    from tutoring.learning import progress
    from tutoring.learning.models import ItemStat

    real = progress.added_once
    crossed: list[str] = []

    def crossing(row):
        if isinstance(row, ItemStat) and not crossed:  # the other learner's, first
            crossed.append(row.item_id)
            make.run(lambda: (
                db.session.add(ItemStat(item_id=row.item_id, adjustment=0.0, answers=1)),
                db.session.commit(),
            ))  # fmt: skip
        return real(row)

    monkeypatch.setattr(progress, "added_once", crossing)
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    answered = 0
    while answered < 10 and not crossed:  # up to the first item marked at once
        answered += 1
        _kind, response, _data = _answer(learner, make, practice.id)
        assert response.status_code == 302
        assert "/correction/" in response.headers["Location"]
    assert crossed
    assert make.run(lambda: db.session.get(ItemStat, crossed[0]).answers) == 2
    assert make.run(
        lambda: db.session.scalar(select(func.count()).select_from(Attempt))
    ) == answered


def test_a_set_left_half_way_is_resumed(learner, make):
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    for _ in range(4):
        _answer(learner, make, practice.id)
    page = learner.get("/pratique/").get_data(as_text=True)
    assert "Reprendre ma série en cours (exercice 5 sur 10)" in page
    assert "Exercice 5 sur 10" in learner.get(
        f"/pratique/serie/{practice.id}"
    ).get_data(as_text=True)


def _set_of(make, learner, bank, numbers) -> PracticeSet:
    """A set made of chosen items of the test bank, in this order."""
    learner.post("/pratique/nouvelle")
    practice = _set(make)

    def pin():
        row = db.session.get(PracticeSet, practice.id)
        row.item_version_ids = [bank[f"a2-sante-test-{n:02d}"] for n in numbers]
        return row

    return make.run(pin)


@pytest.mark.parametrize(
    ("number", "bad"),
    [
        (1, {"choice": "99"}),
        (1, {"choice": ""}),
        (2, {"choices": "abc"}),
        (3, {"answer": "<script>alert(1)</script>"}),
        (4, {"gaps": ["x" * 6000]}),
        (6, {"pairs": ["0"]}),
        (8, {"choice": "../../etc/passwd"}),
        (1, {"client_id": "pas-un-uuid"}),
        (1, {"position": "7"}),
    ],
)
def test_bad_answers_get_a_clear_4xx_and_store_nothing(
    learner, make, bank, number, bad
):
    practice = _set_of(make, learner, bank, [number, 1])
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    data = {
        "position": _hidden(page, "position"),
        "client_id": _hidden(page, "client_id"),
        "shown_at": _hidden(page, "shown_at"),
        **ANSWERS[_current_type(make, practice)],
    }
    data.update(bad)
    response = learner.post(f"/pratique/serie/{practice.id}", data=data)
    assert 400 <= response.status_code < 500
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert (
        make.run(lambda: db.session.scalar(select(func.count()).select_from(Attempt)))
        == 0
    )


def test_recording_must_be_real_audio(learner, make, app, bank):
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    practice = _set_of(make, learner, bank, [12])
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    base = {k: _hidden(page, k) for k in ("position", "client_id", "shown_at")}
    fake = learner.post(
        f"/pratique/serie/{practice.id}",
        data={
            **base,
            "seconds": "6",
            "audio": (__import__("io").BytesIO(b"<html>"), "x.webm", "audio/webm"),
        },
        content_type="multipart/form-data",
    )
    assert fake.status_code == 400
    assert "pas un enregistrement audio accepté" in fake.get_data(as_text=True)
    missing = learner.post(
        f"/pratique/serie/{practice.id}", data={**base, "seconds": "6"}
    )
    assert missing.status_code == 400
    app.config["MAX_CONTENT_LENGTH"] = 2048  # the web server's limit on any request
    big = learner.post(
        f"/pratique/serie/{practice.id}",
        data={
            **base,
            "seconds": "6",
            "audio": (__import__("io").BytesIO(WEBM * 20), "x.webm", "audio/webm"),
        },
        content_type="multipart/form-data",
    )
    assert big.status_code == 413
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    ok = learner.post(
        f"/pratique/serie/{practice.id}",
        data={
            **base,
            "seconds": "6",
            "audio": (__import__("io").BytesIO(WEBM), "x.webm", "audio/webm"),
        },
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    submission = make.run(lambda: db.session.scalar(select(Submission)))
    assert submission.audio_file.endswith(".webm")
    assert submission.status.value == "pending"


def test_recordings_over_five_megabytes_are_refused(app):
    from tutoring.content.bank import ContentError
    from tutoring.content.recordings import store_audio

    with app.app_context(), pytest.raises(ContentError) as error:
        store_audio(WEBM + b"\x00" * (5 * 1024 * 1024), "audio/webm")
    assert error.value.code == "audio_size"


def test_another_learner_cannot_open_my_set(learner, make, app):
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    referent = make.user("ref2", Role.REFERENT, structure="Autre")
    _profile, other_id = make.learner(referent, first_name="Oksana")
    other = app.test_client()
    card_login(other, make.card(other_id, referent))
    assert other.get(f"/pratique/serie/{practice.id}").status_code == 404
    assert (
        other.post(f"/pratique/serie/{practice.id}", data={"position": "0"}).status_code
        == 404
    )
    assert other.get(f"/pratique/serie/{practice.id}/correction/0").status_code == 404


def test_referent_assigns_homework_the_learner_sees_first(learner, make, app, bank):
    referent = app.test_client()
    login(referent, "claire")
    page = referent.get("/banque/?level=A2&skill=CE").get_data(as_text=True)
    assert "Chez le médecin (test)" in page
    preview = referent.get(f"/banque/exercice/{bank['a2-sante-test-01']}").get_data(
        as_text=True
    )
    assert "Réponse attendue" in preview
    assert "mardi" in preview
    due = (date.today() + timedelta(days=7)).isoformat()
    response = referent.post(
        "/banque/devoir",
        data={"learner_id": str(learner.profile_id), "title": "Lire un SMS", "due_on": due,
              "items": [str(bank["a2-sante-test-01"]), str(bank["a2-sante-test-05"])]},
    )  # fmt: skip
    assert response.status_code == 302
    home = learner.get("/").get_data(as_text=True)
    assert "Lire un SMS" in home
    assignment_id = make.run(lambda: db.session.scalar(select(Assignment.id)))
    start = learner.post(f"/pratique/devoir/{assignment_id}")
    practice = _set(make)
    assert practice.item_version_ids == [
        bank["a2-sante-test-01"],
        bank["a2-sante-test-05"],
    ]
    for _ in range(2):
        _answer(learner, make, practice.id)
    assert (
        make.run(lambda: db.session.get(Assignment, assignment_id).completed_at)
        is not None
    )
    assert "Lire un SMS" not in learner.get("/").get_data(as_text=True)
    assert start.status_code == 302


def test_homework_needs_items_a_future_date_and_own_learner(learner, make, app, bank):
    referent = app.test_client()
    login(referent, "claire")
    past = (date.today() - timedelta(days=1)).isoformat()
    referent.post(
        "/banque/devoir",
        data={
            "learner_id": str(learner.profile_id),
            "title": "X",
            "due_on": past,
            "items": [str(bank["a2-sante-test-01"])],
        },
    )
    referent.post(
        "/banque/devoir",
        data={
            "learner_id": str(learner.profile_id),
            "title": "X",
            "due_on": date.today().isoformat(),
        },
    )
    assert (
        make.run(
            lambda: db.session.scalar(select(func.count()).select_from(Assignment))
        )
        == 0
    )
    make.user("ref-b", Role.REFERENT, structure="Autre")
    other = app.test_client()
    login(other, "ref-b")
    response = other.post(
        "/banque/devoir",
        data={
            "learner_id": str(learner.profile_id),
            "title": "X",
            "due_on": date.today().isoformat(),
            "items": [str(bank["a2-sante-test-01"])],
        },
    )
    assert response.status_code == 302
    assert (
        make.run(
            lambda: db.session.scalar(select(func.count()).select_from(Assignment))
        )
        == 0
    )


def test_erasure_deletes_productions_but_keeps_scores(learner, make, app):
    learner.post("/pratique/nouvelle")
    practice = _set(make)
    for _ in range(10):
        _answer(learner, make, practice.id)
    referent = app.test_client()
    login(referent, "claire")
    referent.post(f"/apprenants/{learner.profile_id}/effacer", data={"confirm": "y"})
    assert (
        make.run(
            lambda: db.session.scalar(select(func.count()).select_from(Submission))
        )
        == 0
    )
    attempts = make.run(lambda: db.session.scalars(select(Attempt)).all())
    assert len(attempts) == 10
    assert all("text" not in a.response for a in attempts)
    assert (
        make.run(
            lambda: db.session.scalar(select(User).where(User.first_name == "Amina"))
        )
        is None
    )


def test_bank_sync_is_idempotent_and_versions_edits(app, bank):
    from exercises.loading import load_bank
    from tests.conftest import FIXTURE_BANK
    from tutoring.content.bank import ContentError, sync_bank
    from tutoring.content.models import ItemVersion

    items, _ = load_bank(FIXTURE_BANK, check_audio=False)
    with app.app_context():
        report = sync_bank(items)
        assert (report.added, report.unchanged) == (0, 12)
        edited = [i for i in items]
        from dataclasses import replace

        edited[0] = replace(items[0], explanation="Autre explication.")
        with pytest.raises(ContentError):
            sync_bank(edited)
        db.session.rollback()
        edited[0] = replace(edited[0], version=2)
        report = sync_bank(edited)
        assert (report.added, report.retired) == (1, 1)
        versions = db.session.scalars(
            select(ItemVersion).where(ItemVersion.item_id == items[0].id)
        ).all()
        assert sorted((v.version, v.active) for v in versions) == [
            (1, False),
            (2, True),
        ]
        report = sync_bank(items[1:])
        assert report.retired == 1
        db.session.rollback()
    assert uuid


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (1, ["Quel jour est le rendez-vous ?", "mardi", "rendez-vous mardi"]),
        (3, ["Le docteur arrive à huit heures.", "<audio"]),
        (4, ["Hier, je", "allé chez le médecin", 'name="gaps"']),
        (5, ["J’ai mal", "à la", "aux"]),
        (6, ["le pharmacien", "vend des médicaments"]),
        (7, ["prends", "Position 3"]),
        (8, ["exercises/img/pharmacie.", ".svg", 'alt="la pharmacie"']),  # fingerprinted
        (9, ["<audio", 'name="text"']),
        (10, ["Leila Haddad", "Ville"]),
        (11, ["annuler votre rendez-vous", "Entre 10 et 60 mots."]),
        (12, ["Dites où vous avez mal.", 'name="audio"', 'capture="user"']),
    ],
)
def test_each_item_type_shows_what_the_learner_needs(
    learner, make, bank, number, shown
):
    practice = _set_of(make, learner, bank, [number])
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    for text in shown:
        assert text in page


def test_feedback_shows_my_answer_beside_the_right_one(learner, make, bank):
    practice = _set_of(make, learner, bank, [1, 4])
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    base = {k: _hidden(page, k) for k in ("position", "client_id", "shown_at")}
    wrong = learner.post(f"/pratique/serie/{practice.id}", data={**base, "choice": "0"})
    feedback = learner.get(wrong.headers["Location"]).get_data(as_text=True)
    mine = feedback.index("Ma réponse")
    right = feedback.index("La bonne réponse")
    assert mine < right
    assert "lundi" in feedback[mine:right]  # what I chose
    assert "mardi" in feedback[right:]  # what was right


def test_a_recording_shorter_than_the_task_asks_is_refused(learner, make, bank):
    practice = _set_of(make, learner, bank, [12])  # 5 to 60 seconds
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    assert "Enregistrer ma voix" in page
    assert ">Envoyer<" in page
    base = {k: _hidden(page, k) for k in ("position", "client_id", "shown_at")}

    def post(seconds: str):
        return learner.post(
            f"/pratique/serie/{practice.id}",
            data={
                **base,
                "seconds": seconds,
                "audio": (__import__("io").BytesIO(WEBM), "x.webm", "audio/webm"),
            },
            content_type="multipart/form-data",
        )

    short = post("2")
    assert short.status_code == 400
    assert "Parlez au moins 5 secondes" in short.get_data(as_text=True)
    assert (
        make.run(lambda: db.session.scalar(select(func.count()).select_from(Attempt)))
        == 0
    )
    assert post("6.2").status_code == 302


@pytest.mark.parametrize(
    ("number", "response", "shown"),
    [
        (5, {"gaps": ["1"]}, "au"),  # the option chosen, in the sentence
        (6, {"pairs": ["1", "0", "2"]}, "le médecin → vend des médicaments"),
        (7, {"order": ["1", "0", "2"]}, "prends Je rendez-vous"),
        (10, {"fields": ["Haddad", "Alep"]}, "Ville : Alep"),
        (9, {"text": "  "}, "…"),  # nothing typed is said, not an empty box
    ],
)
def test_my_answer_reads_as_i_gave_it(learner, make, bank, number, response, shown):
    practice = _set_of(make, learner, bank, [number])
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    base = {k: _hidden(page, k) for k in ("position", "client_id", "shown_at")}
    answered = learner.post(f"/pratique/serie/{practice.id}", data={**base, **response})
    feedback = learner.get(answered.headers["Location"]).get_data(as_text=True)
    mine = feedback[feedback.index("Ma réponse") : feedback.index("La bonne réponse")]
    assert shown in mine
    if number == 10:  # each field says whether it is right
        assert "(juste)" in mine
        assert "(faux)" in mine


def test_an_item_once_read_is_shown_again_without_reading_its_version(
    learner, make, bank, app
):
    """A version's content never changes: once the application has read an item,
    its page and its correction read no version row, and each position still
    shows its own item."""
    practice = _set_of(make, learner, bank, [1, 4])
    url = f"/pratique/serie/{practice.id}"
    page = learner.get(url).get_data(as_text=True)  # the first reading
    again = learner.get(url).get_data(as_text=True)
    base = {k: _hidden(again, k) for k in ("position", "client_id", "shown_at")}
    wrong = learner.post(url, data={**base, "choice": "0"})  # reads what it grades
    shown: list[str] = []
    seen = statements(
        app,
        lambda: shown.append(learner.get(wrong.headers["Location"]).get_data(True)),
    )
    assert [s for s in seen if "FROM item_versions" in s] == []
    feedback = shown[0]
    assert "Quel jour est le rendez-vous ?" in page
    assert "Quel jour est le rendez-vous ?" in again
    assert "La bonne réponse" in feedback
    assert "mardi" in feedback[feedback.index("La bonne réponse") :]  # this item's
    second = learner.get(url).get_data(as_text=True)
    assert "allé chez le médecin" in second
    assert "Quel jour est le rendez-vous ?" not in second
