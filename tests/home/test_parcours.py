"""« Mon parcours »: the rules (a table of situations), the learner's page, the
referent's correction, and what nobody else sees."""

from __future__ import annotations

import pytest

from tests.conftest import card_login, csrf_from
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import AgeBand, FrenchGoal, PublicCategory
from tutoring.core.extensions import db
from tutoring.home.models import ParcoursAnswers
from tutoring.home.parcours import (
    RULES,
    SOURCES,
    Card,
    Protection,
    Situation,
    Status,
    decide,
)

CSP, CR, NAT = Card.CSP, Card.CR, Card.NATURALISATION
REF, SUB, STA, NONE = (
    Protection.REFUGEE, Protection.SUBSIDIARY, Protection.STATELESS, Protection.NONE,
)  # fmt: skip
REQ, DIP, EX, CHK = Status.REQUIRED, Status.DIPLOMA, Status.EXEMPT, Status.CHECK

# situation -> level, language status, civic version, civic status, exemptions
TABLE = [
    (Situation(CSP, NONE), "A2", REQ, CSP, REQ, []),
    (Situation(CR, NONE), "B1", REQ, CR, REQ, []),
    (Situation(NAT, NONE), "B2", REQ, NAT, REQ, []),
    # over 65: civic exempt for a residence card, not for naturalisation
    (Situation(CSP, NONE, over_65=True), "A2", CHK, None, EX, ["csp_65", "civic_65"]),
    (Situation(CR, NONE, over_65=True), None, EX, None, EX, ["cr_65", "civic_65"]),
    (Situation(NAT, NONE, over_65=True), "B2", CHK, NAT, REQ, ["nat_60"]),
    # schooling in France: civic exempt for a residence card; unsure for naturalisation
    (Situation(CSP, schooling=True), "A2", REQ, None, EX, ["civic_school"]),
    (Situation(CR, schooling=True), "B1", REQ, None, EX, ["civic_school"]),
    (Situation(NAT, schooling=True), "B2", REQ, NAT, CHK, ["nat_school"]),
    # subsidiary protection: no A2 for the CSP, no civic exam for a residence card
    (Situation(CSP, SUB), None, EX, None, EX, ["bpi_csp_language", "civic_protection"]),
    (Situation(CR, SUB), "B1", REQ, None, EX, ["civic_protection"]),
    (Situation(NAT, SUB), "B2", REQ, NAT, REQ, []),
    (Situation(CSP, STA), "A2", REQ, None, EX, ["civic_protection"]),
    (Situation(NAT, STA), "B2", REQ, NAT, REQ, []),
    # refugees get a carte de résident directly: to check
    (Situation(CSP, REF), "A2", CHK, CSP, CHK, ["refugee_card"]),
    (Situation(CR, REF), "B1", CHK, CR, CHK, ["refugee_card"]),
    (Situation(NAT, REF), "B2", REQ, NAT, REQ, []),
    # a diploma can be the proof
    (Situation(CSP, NONE, diploma=True), "A2", DIP, CSP, REQ, ["diploma"]),
    (Situation(NAT, diploma=True), "B2", DIP, NAT, REQ, ["diploma"]),
    (Situation(CR, diploma=True, over_65=True), None, EX, None, EX,
     ["cr_65", "civic_65"]),
]  # fmt: skip


@pytest.mark.parametrize(("situation", "level", "language", "civic", "civic_status",
                          "exemptions"), TABLE)  # fmt: skip
def test_rules_table(situation, level, language, civic, civic_status, exemptions):
    verdict = decide(situation)
    assert verdict.level == level
    assert verdict.language is language
    assert verdict.civic is civic
    assert verdict.civic_status is civic_status
    assert verdict.exemptions == exemptions


def test_naturalisation_says_what_does_not_exempt() -> None:
    notes = decide(Situation(NAT, SUB, over_65=True)).notes
    assert "nat_65_civic" in notes
    assert "nat_protection_civic" in notes


def test_every_statement_has_a_source_and_the_general_notes() -> None:
    for key, rule in RULES.items():
        assert rule.sources, key
        assert all(s in SOURCES for s in rule.sources), key
    notes = decide(Situation(CSP)).notes
    for key in ("proof", "two_years", "first_only", "medical", "bilateral"):
        assert key in notes
    assert RULES["bilateral"].unconfirmed
    assert RULES["csp_65"].unconfirmed
    undecided = decide(Situation(None))
    assert undecided.level is None
    assert "level_nat" in undecided.notes


@pytest.fixture
def amina(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(
        referent, first_name="Amina", goal=FrenchGoal.B1,
        public_category=PublicCategory.BPI, age_band=AgeBand.AGE_36_45,
    )  # fmt: skip
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    return client, profile_id, referent


def test_learner_answers_and_reads_the_result(app, amina) -> None:
    client, profile_id, _referent = amina
    home = client.get("/").get_data(as_text=True)
    assert "/mon-parcours" in home
    page = client.get("/mon-parcours").get_data(as_text=True)
    # from the profile alone: a residence card, B1, civic exam « carte de résident »
    assert "Niveau B1, à l’oral et à l’écrit." in page
    assert "Examen civique « carte de résident »" in page
    assert "Ce n’est pas un conseil juridique." in page
    assert "service-public.fr/particuliers/vosdroits/F34501" in page
    assert "Informations vérifiées le" in page
    response = client.post("/mon-parcours", data={
        "csrf_token": csrf_from(page), "card": "cr", "schooling": "no",
        "diploma": "", "protection": "subsidiary", "over_65": "no",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get("/mon-parcours").get_data(as_text=True)
    assert "Vous n’auriez pas à passer l’examen civique." in page
    assert "Niveau B1, à l’oral et à l’écrit." in page

    def stored():
        return db.session.scalar(db.select(ParcoursAnswers))

    with app.app_context():
        row = stored()
        assert (row.learner_id, row.protection, row.schooling, row.diploma) == (
            profile_id, "subsidiary", False, None,
        )  # fmt: skip


def test_answers_and_a_correction_at_the_same_moment_keep_both(
    app, amina, make, monkeypatch
) -> None:
    """The learner's first answers and the referent's correction cross: both saw no
    row and both make one. The learner's send finds the referent's row instead of a
    server error, and writes its answers into it; the correction stays."""
    from tutoring.home import parcours

    client, profile_id, _referent = amina
    page = client.get("/mon-parcours").get_data(as_text=True)
    real = parcours.answers_of
    crossed: list[bool] = []

    def crossing(profile):
        if not crossed:  # the referent's request commits its row first
            crossed.append(True)
            make.run(lambda: (
                db.session.add(ParcoursAnswers(
                    learner_id=profile_id, override_note="Vu avec la préfecture.",
                )),
                db.session.commit(),
            ))  # fmt: skip
            return None
        return real(profile)

    monkeypatch.setattr(parcours, "answers_of", crossing)
    response = client.post("/mon-parcours", data={
        "csrf_token": csrf_from(page), "card": "cr", "schooling": "no",
        "protection": "subsidiary", "over_65": "no",
    })  # fmt: skip
    assert response.status_code == 302
    assert crossed
    with app.app_context():
        rows = db.session.scalars(db.select(ParcoursAnswers)).all()
        assert [(r.card, r.protection, r.override_note) for r in rows] == [
            ("cr", "subsidiary", "Vu avec la préfecture.")
        ]


def test_unconfirmed_points_say_to_check(amina) -> None:
    client, _profile_id, _referent = amina
    page = client.get("/mon-parcours").get_data(as_text=True)
    client.post("/mon-parcours", data={
        "csrf_token": csrf_from(page), "card": "csp", "over_65": "yes",
    })  # fmt: skip
    page = client.get("/mon-parcours").get_data(as_text=True)
    assert "Niveau A2, sauf dispense possible." in page
    assert "À vérifier avec votre référent ou la préfecture." in page


def test_bad_answer_is_refused_and_nothing_saved(app, amina) -> None:
    client, _profile_id, _referent = amina
    page = client.get("/mon-parcours").get_data(as_text=True)
    response = client.post("/mon-parcours", data={
        "csrf_token": csrf_from(page), "card": "visa", "protection": "x" * 500,
    })  # fmt: skip
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(ParcoursAnswers)) is None


def test_referent_corrects_and_the_learner_sees_it(app, client, amina, make) -> None:
    learner, profile_id, referent = amina
    from tests.conftest import login

    login(client, "claire")
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "Examen civique « carte de résident »" in page  # the result is shown
    response = client.post(f"/apprenants/{profile_id}/parcours", data={
        "csrf_token": csrf_from(page), "level": "none", "civic": "none",
        "note": "Réfugiée : carte de résident de plein droit, vu avec la préfecture.",
    })  # fmt: skip
    assert response.status_code == 302
    mine = learner.get("/mon-parcours").get_data(as_text=True)
    assert "Votre référent a corrigé ce résultat" in mine
    assert "vu avec la préfecture" in mine
    assert "Pas de niveau demandé." in mine
    assert "Pas d’examen civique" in mine
    # a note too long is refused, the correction stays
    too_long = client.post(f"/apprenants/{profile_id}/parcours", data={
        "csrf_token": csrf_from(page), "note": "x" * 501,
    })  # fmt: skip
    assert too_long.status_code == 302
    assert "vu avec la préfecture" in learner.get("/mon-parcours").get_data(as_text=True)
    # emptying every field removes the correction
    client.post(f"/apprenants/{profile_id}/parcours", data={
        "csrf_token": csrf_from(page), "level": "", "civic": "", "note": "",
    })  # fmt: skip
    mine = learner.get("/mon-parcours").get_data(as_text=True)
    assert "Votre référent a corrigé" not in mine


def test_referents_of_other_structures_see_nothing(app, client, amina, make):
    _learner, profile_id, _referent = amina
    from tests.conftest import login

    make.user("other", Role.REFERENT, structure="Autre association")
    login(client, "other")
    page = client.get("/apprenants/")
    token = csrf_from(page.get_data(as_text=True))
    assert client.get(f"/apprenants/{profile_id}").status_code == 404
    response = client.post(
        f"/apprenants/{profile_id}/parcours", data={"csrf_token": token, "level": "A2"}
    )
    assert response.status_code == 404
    assert client.post(
        "/apprenants/99999999999/parcours", data={"csrf_token": token}
    ).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(ParcoursAnswers)) is None


def test_undecided_goal_then_a_referents_level(app, client, make) -> None:
    from tests.conftest import login

    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(
        referent, first_name="Yonas", goal=FrenchGoal.UNDECIDED, locale="ar"
    )
    mine = app.test_client()
    card_login(mine, make.card(user_id, referent))
    page = mine.get("/mon-parcours").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "هذه ليست استشارة قانونية." in page  # « Ce n’est pas un conseil juridique. »
    assert "اختر البطاقة التي تطلبها" in page  # choose the card first
    login(client, "claire")
    token = csrf_from(client.get(f"/apprenants/{profile_id}").get_data(as_text=True))
    client.post(f"/apprenants/{profile_id}/parcours", data={
        "csrf_token": token, "level": "B1", "note": "",
    })  # fmt: skip
    page = mine.get("/mon-parcours").get_data(as_text=True)
    assert "المستوى B1، شفهيًا وكتابيًا." in page
