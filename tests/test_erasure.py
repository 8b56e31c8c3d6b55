"""Erasing a learner reaches every table and file that holds their personal data.

PERSONAL lists each column that can hold the learner's personal data, with the rows
that are theirs; the test writes a marker in each, erases the learner as their
referent would (a POST), then finds the marker nowhere. NOT_PERSONAL says why every
other text column is not the learner's personal data. A new text column must be put
in one list or the other (test_every_text_column_is_classified)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Enum, String, Text, select, text

from tests.conftest import card_login, login
from tutoring.accounts import handoff, outbox
from tutoring.accounts.models import AuditEvent, PictureSignin, RecoveryCode, User
from tutoring.content.recordings import audio_path
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.home import attestations
from tutoring.home.models import ParcoursAnswers
from tutoring.learning.models import Assignment, Attempt, Review, Submission
from tutoring.pairing.models import Pairing
from tutoring.sessions.booking_input import notify_cancelled, notify_change_asked
from tutoring.sessions.models import SessionStatus, TutoringSession

# The learner's rows in each table (:profile is their enrolment, :user their account).
OWNER = {
    "users": "id = :user",
    "login_cards": "user_id = :user",
    "picture_signins": "user_id = :user",
    "user_sessions": "user_id = :user",
    "recovery_codes": "user_id = :user",
    "handoff_tokens": "user_id = :user",
    "learner_profiles": "id = :profile",
    # their own messages, and those telling their tutor what they asked (with name)
    "outbox": "user_id = :user OR key LIKE 'change:%' OR key LIKE 'cancelled:%'",
    "tutoring_sessions": "learner_id = :profile",
    "pairings": "learner_id = :profile",
    "assignments": "learner_id = :profile",
    "attempts": "learner_id = :profile",
    "submissions": "attempt_id IN (SELECT id FROM attempts WHERE learner_id = :profile)",
    "reviews": "submission_id IN (SELECT s.id FROM submissions s "
    "JOIN attempts a ON a.id = s.attempt_id WHERE a.learner_id = :profile)",
    "attestations": "learner_id = :profile",
    "parcours_answers": "learner_id = :profile",
}

# (table, column) -> what erasure does with it.
PERSONAL: dict[tuple[str, str], str] = {
    ("users", "username"): "account deleted",
    ("users", "email"): "account deleted",
    ("users", "first_name"): "account deleted",
    ("users", "last_name"): "account deleted",
    ("users", "phone"): "account deleted",
    ("users", "password_hash"): "account deleted",
    ("users", "locale"): "account deleted",
    ("users", "totp_secret"): "account deleted",
    ("users", "calendar_token_hash"): "account deleted",
    ("login_cards", "code_hash"): "deleted with the account",
    ("picture_signins", "picture"): "deleted with the account",
    ("picture_signins", "code_hash"): "deleted with the account",
    ("user_sessions", "token_hash"): "deleted with the account",
    ("user_sessions", "device_kind"): "deleted with the account",
    ("user_sessions", "browser"): "deleted with the account",
    ("recovery_codes", "code_hash"): "deleted with the account",
    ("handoff_tokens", "token_hash"): "deleted with the account",
    ("learner_profiles", "languages"): "emptied",
    ("outbox", "address"): "deleted (theirs by cascade, the tutor's by sessions)",
    ("outbox", "subject"): "deleted",
    ("outbox", "body"): "deleted",
    ("outbox", "content"): "deleted (the message's values: names, places, a message)",
    ("outbox", "last_error"): "deleted",
    ("tutoring_sessions", "note_for_learner"): "emptied (sessions.rights)",
    ("tutoring_sessions", "note_for_referent"): "emptied",
    ("tutoring_sessions", "cancel_reason"): "emptied",
    ("tutoring_sessions", "change_request"): "emptied",
    ("tutoring_sessions", "change_reason"): "emptied",
    ("tutoring_sessions", "video_url"): "emptied (a link made for them)",
    ("pairings", "reason"): "emptied (pairing.rights)",
    ("assignments", "title"): "emptied (typed by a tutor, may name them)",
    ("attempts", "response"): "its text removed (learning.rights)",
    ("submissions", "text"): "deleted (learning.rights)",
    ("submissions", "audio_file"): "deleted with the file",
    ("submissions", "audio_mime"): "deleted",
    ("reviews", "comment"): "deleted with the submission",
    ("attestations", "content"): "deleted (home.rights): name and structure",
    ("parcours_answers", "card"): "deleted (home.rights)",
    ("parcours_answers", "protection"): "deleted (home.rights): protection status",
    ("parcours_answers", "override_level"): "deleted (home.rights)",
    ("parcours_answers", "override_civic"): "deleted (home.rights)",
    ("parcours_answers", "override_note"): "deleted (home.rights): a referent's note",
}

# (table, column) -> why it is not the erased learner's personal data.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("item_stats", "item_id"): "the exercise bank",
    ("item_versions", "item_id"): "the exercise bank",
    ("item_versions", "unit"): "the exercise bank",
    ("item_versions", "level"): "the exercise bank",
    ("item_versions", "skill"): "the exercise bank",
    ("item_versions", "theme"): "the exercise bank",
    ("item_versions", "track"): "the exercise bank",
    ("item_versions", "type"): "the exercise bank",
    ("item_versions", "content_hash"): "the exercise bank",
    ("item_versions", "payload"): "the exercise bank",
    ("voice_recordings", "item_id"): "a volunteer's recording of an exercise",
    ("voice_recordings", "file_name"): "a volunteer's recording of an exercise",
    ("structures", "name"): "an organisation",
    ("shared_computers", "token_hash"): "a structure's computer",
    ("shared_computers", "label"): "a structure's computer (« MESA – poste 3 »)",
    ("partners", "name"): "an organisation",
    ("places", "name"): "a room",
    ("places", "address"): "a room",
    ("places", "accessibility"): "a room",
    ("places", "opening_hours"): "a room",
    ("places", "open_days"): "a room",
    ("api_tokens", "name"): "a coordinator's API token",
    ("api_tokens", "prefix"): "a coordinator's API token",
    ("api_tokens", "token_hash"): "a coordinator's API token",
    ("api_tokens", "scope"): "a coordinator's API token",
    ("audit_events", "action"): "an event name",
    ("audit_events", "detail"): "identifiers and labels only, by design "
    "(audit.record; checked below)",
    ("learner_profiles", "pseudonym"): "random, kept for the anonymous enrolment",
    ("learner_profiles", "practice_level"): "a level, kept for indicators",
    ("learner_profiles", "place_ids"): "ids of rooms",
    ("learner_profiles", "consent_notice_version"): "a version number",
    ("outbox", "key"): "ids only (sessions.rights finds the tutor's messages by it)",
    ("outbox", "locale"): "a language code",
    ("tutor_profiles", "charter_version"): "a volunteer's, kept when a learner goes",
    ("tutor_profiles", "languages"): "a volunteer's, kept when a learner goes",
    ("tutor_profiles", "bio"): "a volunteer's, kept when a learner goes",
    ("tutor_profiles", "place_ids"): "a volunteer's, kept when a learner goes",
    ("tutor_profiles", "levels"): "a volunteer's, kept when a learner goes",
    ("tutor_months", "public_category"): "an aggregate",
    ("learner_years", "public_category"): "a category, kept for indicators",
    ("learner_years", "sex"): "a category, kept for indicators",
    ("learner_years", "age_band"): "a category, kept for indicators",
    ("learner_outcomes", "level"): "a level, kept for indicators",
    ("learner_outcomes", "certificate"): "test or diploma, kept for indicators",
    ("external_levels", "skill"): "a level, kept for indicators",
    ("external_levels", "level"): "a level, kept for indicators",
    ("language_exams", "target"): "a level",
    ("language_exams", "live_item_version_ids"): "ids of the bank's prompts drawn",
    ("language_exams", "live_marks"): "numbers of a rubric (0 to 3)",
    ("civic_exams", "mention"): "a level",
    ("civic_exams", "questions"): "copied from the bank",
    ("civic_exams", "answers"): "numbers of the options chosen",
    ("practice_sets", "level"): "a level",
    ("practice_sets", "theme"): "a theme of the bank",
    ("practice_sets", "item_version_ids"): "ids of exercises",
    ("assignments", "item_version_ids"): "ids of exercises",
    ("review_cards", "item_id"): "an exercise and its review schedule",
    (
        "learner_skill_states",
        "skill",
    ): "a skill; the state is derived from the scores kept",
    ("learner_unit_states", "unit"): "a unit of the bank",
    ("learner_unit_states", "scores"): "scores, kept like the attempts' scores",
    ("learner_states", "month"): "a month",
    ("learner_states", "review_dues"): "review times, kept like the review cards",
    ("learner_states", "recent"): "scores and themes of the bank",
    ("review_cards", "card"): "an exercise and its review schedule",
    ("attempts", "client_id"): "a random id",
    ("attempts", "result"): "right or wrong per part, no text",
    ("reviews", "criteria"): "marks on the rubric (deleted anyway)",
    ("attestations", "code"): "random (deleted anyway)",
    ("tutoring_sessions", "uid"): "a random id",
    ("tutoring_sessions", "slot"): "a random id",
    ("tutoring_sessions", "series"): "a random id",
    ("tutoring_sessions", "workshop"): "a workshop's title, shared by its learners",
    ("tutoring_sessions", "place"): "a room's name or « visio »",
    ("tutoring_sessions", "skills"): "skills worked on, kept for indicators",
    ("tutoring_sessions", "themes"): "themes worked on, kept for indicators",
}

# What to write in a JSON column instead of the plain marker.
JSON_SHAPE = {
    ("learner_profiles", "languages"): lambda m: [m],
    ("attempts", "response"): lambda m: {"text": m, "choice": 1},
    ("attestations", "content"): lambda m: {"name": m, "structure": m},
    ("submissions", "audio_file"): lambda m: f"{m}.webm",  # a file on disk: RECORDING
}


def text_columns() -> set[tuple[str, str]]:
    """Every column that can hold text: strings, texts, JSON (enums are labels)."""
    return {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, (String, Text, JSON))
        and not isinstance(column.type, Enum)
    }


def test_every_text_column_is_classified(app):
    with app.app_context():
        columns = text_columns()
    assert not set(PERSONAL) & set(NOT_PERSONAL)
    unknown = columns - set(PERSONAL) - set(NOT_PERSONAL)
    assert not unknown, (
        "Say in tests/test_erasure.py whether these columns hold a learner's "
        f"personal data (and erase them) or not: {sorted(unknown)}"
    )
    assert not (set(PERSONAL) | set(NOT_PERSONAL)) - columns, "columns gone"


def marker(index: int) -> str:
    return f"zqxj{index:02d}"


RECORDING = marker(sorted(PERSONAL).index(("submissions", "audio_file"))) + ".webm"


@pytest.fixture
def rich_learner(app, make, pair, bank):
    """Amina with a bit of everything: sessions with notes and a change request,
    an ended pairing, homework, a reviewed text, a recording, an attestation,
    messages, a card, a sign-in, a recovery code."""
    profile_id, user_id = pair["profile"], pair["learner_user"]
    learner = app.test_client()
    card_login(learner, make.card(user_id, pair["referent"]))
    recording = RECORDING

    def fill() -> None:
        now = utcnow()
        session = TutoringSession(
            uid="u1@test", slot="s1@test", pairing_id=pair["pairing"],
            tutor_id=pair["tutor"], learner_id=profile_id,
            starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-1),
            place="MESA", status=SessionStatus.HELD, minutes=60,
        )  # fmt: skip
        db.session.add(session)
        db.session.flush()
        session.change_requested_at = now
        notify_change_asked(session, "Amina")  # the tutor's message quotes her
        user = db.session.get(User, user_id)
        session.cancel_reason = "x"
        notify_cancelled(session, user, by_learner=True)  # and her reason
        outbox.queue(user, "test", lambda: ("subject", "body"))
        db.session.add(RecoveryCode(user_id=user_id, code_hash="x" * 64))
        handoff.issue(user)  # a code to continue on her phone
        db.session.add(
            PictureSignin(user_id=user_id, structure_id=user.structure_id,
                          picture="lit", code_hash="x")
        )  # fmt: skip
        db.session.add(
            Assignment(learner_id=profile_id, created_by_id=pair["tutor"],
                       title="t", item_version_ids=[], due_on=now.date())
        )  # fmt: skip
        version_id = next(iter(bank.values()))
        attempt = Attempt(client_id="c1", learner_id=profile_id,
                          item_version_id=version_id, response={"text": "x"})  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        submission = Submission(attempt_id=attempt.id, text="x",
                                audio_file=recording, audio_mime="audio/webm")  # fmt: skip
        db.session.add(submission)
        db.session.flush()
        db.session.add(Review(submission_id=submission.id, reviewer_id=pair["tutor"],
                              criteria={}, mark=3.0, comment="x"))  # fmt: skip
        path = audio_path(recording)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"voice")
        pairing = db.session.get(Pairing, pair["pairing"])
        pairing.reason = "x"
        db.session.add(ParcoursAnswers(learner_id=profile_id, protection="refugee"))

    make.run(fill)
    page = learner.post("/compte/attestation").get_data(as_text=True)
    code = make.run(lambda: db.session.scalar(select(attestations.Attestation.code)))
    assert code in page
    return {"profile": profile_id, "user": user_id, "code": code,
            "recording": recording, "learner": learner}  # fmt: skip


def _write_markers(profile_id: int, user_id: int) -> None:
    """Put a marker in every personal column of the learner's rows."""
    for index, (table_name, column) in enumerate(sorted(PERSONAL)):
        table = db.metadata.tables[table_name]
        value: Any = marker(index)
        if (table_name, column) in JSON_SHAPE:
            value = JSON_SHAPE[table_name, column](value)
        where = OWNER[table_name]
        ids = {"profile": profile_id, "user": user_id}
        owner = text(where).bindparams(
            **{k: v for k, v in ids.items() if f":{k}" in where}
        )
        result = db.session.execute(table.update().where(owner).values({column: value}))
        assert result.rowcount, f"the fixture has no row of {table_name}.{column}"


def _holding_markers() -> list[str]:
    """The personal columns where a marker is still found, in any row."""
    found = set()
    for index, (table_name, column) in enumerate(sorted(PERSONAL)):
        table = db.metadata.tables[table_name]
        for value in db.session.scalars(select(table.c[column])):
            shown = value if isinstance(value, str) else json.dumps(value)
            if marker(index) in (shown or ""):
                found.add(f"{table_name}.{column}")
    return sorted(found)


def _erase(client, profile_id: int) -> None:
    response = client.post(f"/apprenants/{profile_id}/effacer", data={"confirm": "y"})
    assert response.status_code == 302


def test_an_erased_learners_attestation_no_longer_shows_their_name(
    app, make, rich_learner, pair
):
    code = rich_learner["code"]
    anyone = app.test_client()
    before = anyone.get(f"/attestation/{code}")
    assert before.status_code == 200
    assert "Amina" in before.get_data(as_text=True)
    referent = app.test_client()
    login(referent, "claire")
    _erase(referent, rich_learner["profile"])
    after = anyone.get(f"/attestation/{code}")
    assert after.status_code == 404
    body = after.get_data(as_text=True)
    assert "Amina" not in body
    assert "authentique" not in body  # nor her structure, levels or hours
    assert "Aucune attestation ne correspond à ce code." in body


def test_erasure_leaves_no_personal_data_in_any_column_or_file(
    app, make, rich_learner, pair
):
    profile_id, user_id = rich_learner["profile"], rich_learner["user"]
    make.run(lambda: _write_markers(profile_id, user_id))
    assert len(make.run(_holding_markers)) == len(PERSONAL)
    assert audio_path_exists(app, rich_learner["recording"])
    referent = app.test_client()
    login(referent, "claire")
    _erase(referent, profile_id)
    assert make.run(_holding_markers) == []
    assert not audio_path_exists(app, rich_learner["recording"])
    # the anonymous facts stay for the indicators
    minutes = make.run(lambda: db.session.scalar(select(TutoringSession.minutes)))
    assert minutes == 60
    # the audit log keeps no name, login or message of hers
    details = make.run(
        lambda: [json.dumps(e.detail) for e in db.session.scalars(select(AuditEvent))]
    )
    for detail in details:
        assert "zqxj" not in detail
        assert "amina" not in detail.lower()
    # the tutor's home no longer quotes her request
    assert "Amina" not in pair["client"].get("/").get_data(as_text=True)


def audio_path_exists(app, name: str) -> bool:
    with app.app_context():
        return Path(audio_path(name)).exists()
