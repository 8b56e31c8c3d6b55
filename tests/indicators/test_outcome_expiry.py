"""Results recorded with a date: until when they count, and the notice three months
before the end, to the learner and their referent, once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.conftest import card_login, login
from tutoring.accounts.models import Role
from tutoring.accounts.outbox import Channel, OutboxMessage
from tutoring.core.extensions import db
from tutoring.indicators.models import LearnerOutcome, OutcomeKind
from tutoring.indicators.outcomes import add_years, queue_expiry_notices, valid_until


def _outcome(app, profile_id, kind, obtained_on, certificate=None, level=None):
    with app.app_context():
        row = LearnerOutcome(
            learner_id=profile_id, kind=kind, obtained_on=obtained_on,
            certificate=certificate, level=level,
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()
        return row.id


def test_a_test_counts_two_years_a_diploma_does_not_end(app) -> None:
    test = LearnerOutcome(
        kind=OutcomeKind.CERTIFICATION, obtained_on=date(2025, 3, 10),
        certificate="test",
    )  # fmt: skip
    diploma = LearnerOutcome(
        kind=OutcomeKind.CERTIFICATION, obtained_on=date(2025, 3, 10),
        certificate="diploma",
    )  # fmt: skip
    civic = LearnerOutcome(kind=OutcomeKind.CIVIC_EXAM, obtained_on=date(2025, 3, 10))
    with app.app_context():
        assert valid_until(test) == date(2027, 3, 9)
        assert valid_until(diploma) is None
        assert valid_until(civic) is None  # unknown: « à vérifier »
        app.config["CIVIC_VALID_YEARS"] = 5
        assert valid_until(civic) == date(2030, 3, 9)
        app.config["CIVIC_VALID_YEARS"] = 0
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_learner_and_referent_are_told_three_months_before_once(app, make) -> None:
    referent = make.user("claire", Role.REFERENT, email="claire@myriade.example")
    other_structure = make.user("paul", Role.REFERENT, structure="Autre association")
    profile_id, learner = make.learner(referent, first_name="Amina")
    today = date(2026, 12, 2)
    # ends 1 February 2027: within three months
    soon = _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2025, 2, 2),
                    "test", "A2")  # fmt: skip
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2025, 9, 1), "test", "B1")
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2024, 1, 5), "diploma",
             "A2")  # fmt: skip
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2024, 6, 1), "test", "A1")
    _outcome(app, profile_id, OutcomeKind.CIVIC_EXAM, date(2025, 1, 10))
    with app.app_context():
        queued = queue_expiry_notices(today)
        rows = db.session.scalars(select(OutboxMessage)).all()
        by_user = {(r.user_id, r.channel) for r in rows}
        assert queued == len(rows) == 3
        assert by_user == {
            (learner, Channel.APP), (referent, Channel.APP), (referent, Channel.EMAIL),
        }
        assert all(f"expiry:{soon}:" in r.key for r in rows)
        assert not any(r.user_id == other_structure for r in rows)
        learner_notice = next(r for r in rows if r.user_id == learner)
        assert "1er février 2027" in learner_notice.body
        assert "certification de français A2" in learner_notice.body
        referent_mail = next(r for r in rows if r.channel == Channel.EMAIL)
        assert "Amina" in referent_mail.body
        # told once: running again queues nothing
        assert queue_expiry_notices(today) == 0
        assert queue_expiry_notices(date(2027, 1, 15)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
        # after the end: nothing more
        assert queue_expiry_notices(date(2027, 3, 1)) == 0


def test_reminders_send_queues_them(app, make, runner) -> None:
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner = make.learner(referent)
    ends_in_a_month = add_years(date.today(), -2) + timedelta(days=30)
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, ends_in_a_month, "test", "A2")
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        keys = db.session.scalars(select(OutboxMessage.key)).all()
        assert any(k.startswith("expiry:") and k.endswith(f":{learner}:app") for k in keys)


def test_pages_show_until_when_a_result_counts(app, client, make) -> None:
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner = make.learner(referent)
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2025, 9, 1), "test", "B1")
    _outcome(app, profile_id, OutcomeKind.CERTIFICATION, date(2020, 9, 1), "test", "A2")
    _outcome(app, profile_id, OutcomeKind.CIVIC_EXAM, date(2026, 1, 10))
    login(client, "claire")
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "Compte jusqu’au 31 août 2027." in page
    assert "Ne compte plus depuis le 31 août 2022." in page
    assert "Durée de validité : à vérifier avec votre référent ou la préfecture." in page
    mine = app.test_client()
    card_login(mine, make.card(learner, referent))
    assert "Compte jusqu’au 31 août 2027." in mine.get("/mon-parcours").get_data(
        as_text=True
    )


def test_referent_records_a_diploma(app, client, make) -> None:
    referent = make.user("claire", Role.REFERENT)
    profile_id, _learner = make.learner(referent)
    login(client, "claire")
    url = f"/apprenants/{profile_id}/resultat"
    client.post(url, data={"kind": "certification", "level": "A2",
                           "certificate": "diploma", "obtained_on": "2024-06-01"})
    refused = client.post(url, data={"kind": "certification", "level": "A2",
                                     "certificate": "permis", "obtained_on": "2024-06-01"})
    assert refused.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(LearnerOutcome)).all()
        assert [(r.certificate, r.level) for r in rows] == [("diploma", "A2")]
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "Un diplôme ne périme pas." in page
