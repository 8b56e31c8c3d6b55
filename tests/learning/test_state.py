"""The learner-state rows: equal to a recomputation from the attempts after every kind
of change, read by the pages, rebuilt by `flask learning rebuild-state`."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from exercises.loading import load_bank
from tests.conftest import FIXTURE_BANK, login, statements
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import (
    Attempt,
    LearnerSkillState,
    LearnerState,
    LearnerUnitState,
    ReviewCard,
)
from tutoring.learning.state import computed, stored


def _consistent(make: Any, profile_id: int) -> dict[str, Any]:
    """Assert the stored rows equal their recomputation; return them."""

    def both() -> tuple[dict[str, Any], dict[str, Any]]:
        profile = db.session.get(LearnerProfile, profile_id)
        return stored(profile_id), computed(profile)

    rows, fresh = make.run(both)
    assert rows == fresh
    return rows


def _answer(
    make: Any, profile_id: int, version_id: int, response: dict[str, Any]
) -> None:
    from tutoring.learning import practice

    def run() -> None:
        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [version_id]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response=response, time_ms=95_000,
        )  # fmt: skip

    make.run(run)


def test_rows_equal_a_recomputation_after_every_kind_of_change(
    learner, make, app, bank
):
    profile_id = learner.profile_id
    rows = _consistent(make, profile_id)  # enrolled, level chosen by the referent
    assert set(rows["skills"]) == {"CO", "CE", "EE", "EO"}
    assert rows["learner"]["month_attempts"] == 0

    # Answers, right and wrong (a wrong one schedules a review).
    _answer(make, profile_id, bank["a2-sante-test-01"], {"choice": "1"})
    _answer(make, profile_id, bank["a2-sante-test-01"], {"choice": "0"})
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2
    assert rows["learner"]["minutes_ms"] == 2 * 95_000
    assert len(rows["learner"]["review_dues"]) == 1
    assert sum(attempts for _v, _e, attempts in rows["skills"].values()) == 2

    # A whole set answered over HTTP: the set finishes.
    from tests.learning.test_practice import _answer as answer_page
    from tests.learning.test_practice import _set

    learner.post("/pratique/nouvelle")
    practice = _set(make)
    for _ in range(len(practice.item_version_ids)):
        answer_page(learner, make, practice.id)
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2 + len(practice.item_version_ids)
    assert rows["units"]

    # A tutor's mark on a production changes an attempt's score.
    def mark_production() -> None:
        attempt = db.session.scalar(
            select(Attempt).where(Attempt.score.is_(None)).order_by(Attempt.id)
        )
        assert attempt is not None
        attempt.score = 0.75

    make.run(mark_production)
    _consistent(make, profile_id)

    # A review comes due.
    def review_due() -> None:
        card = db.session.scalar(select(ReviewCard))
        card.due = utcnow() - timedelta(minutes=1)

    make.run(review_due)
    before = _consistent(make, profile_id)

    # The learner chooses a level; the placement test sets one.
    assert learner.post("/pratique/niveau", data={"level": "B1"}).status_code == 302
    after = _consistent(make, profile_id)
    assert after["skills"]["EO"] != before["skills"]["EO"]  # the starting point moved

    def placement() -> None:
        from tutoring.learning.practice import finish_placement

        finish_placement(db.session.get(LearnerProfile, profile_id))

    make.run(placement)
    _consistent(make, profile_id)

    # A level measured outside, recorded by the referent.
    referent = app.test_client()
    login(referent, "claire")
    assert (
        referent.post(
            f"/apprenants/{profile_id}/niveau-externe",
            data={
                "source": "tcf",
                "skill": "CO",
                "level": "B2",
                "taken_on": "2026-10-01",
            },
        ).status_code
        == 302
    )
    _consistent(make, profile_id)

    # The exercise bank loaded again.
    def reload_bank() -> None:
        from tutoring.content.bank import sync_bank

        items, _problems = load_bank(FIXTURE_BANK, check_audio=False)
        sync_bank(items)

    make.run(reload_bank)
    _consistent(make, profile_id)

    # The learner's account erased (the anonymous enrolment and scores stay).
    def erase() -> None:
        from tutoring.accounts.rights import erase_learner

        actor = db.session.scalar(select(User).where(User.username == "claire"))
        erase_learner(db.session.get(LearnerProfile, profile_id), actor)

    make.run(erase)
    _consistent(make, profile_id)


def test_a_rollback_leaves_the_rows_as_they_were(learner, make, app, bank):
    before = _consistent(make, learner.profile_id)

    with app.app_context():
        from tutoring.learning import practice

        profile = db.session.get(LearnerProfile, learner.profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-01"]]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"choice": "0"}, time_ms=5_000,
        )  # fmt: skip
        db.session.rollback()
        db.session.commit()  # nothing left to refresh
    assert _consistent(make, learner.profile_id) == before


def test_pages_read_the_rows_and_the_command_rebuilds_them(learner, make, app, bank):
    _answer(make, learner.profile_id, bank["a2-sante-test-01"], {"choice": "1"})
    page = learner.get("/").get_data(as_text=True)
    assert ">1</span> jour d’exercices" in page

    def tamper() -> None:  # behind the application's back: no refresh
        db.session.execute(
            update(LearnerState)
            .where(LearnerState.learner_id == learner.profile_id)
            .values(days_active=7)
        )
        db.session.execute(
            update(LearnerSkillState)
            .where(LearnerSkillState.learner_id == learner.profile_id)
            .values(attempts=5)
        )

    make.run(tamper)
    page = learner.get("/").get_data(as_text=True)
    assert ">7</span> jours d’exercices" in page  # read from the row
    assert "(5 sur 8)" in page

    result = app.test_cli_runner().invoke(args=["learning", "rebuild-state"])
    assert result.exit_code == 0, result.output
    assert "learners' state rebuilt" in result.output
    page = learner.get("/").get_data(as_text=True)
    assert ">1</span> jour d’exercices" in page
    assert "(5 sur 8)" not in page
    _consistent(make, learner.profile_id)


def test_a_learner_without_rows_is_computed_as_before(learner, make, bank):
    """Learners enrolled before the rows existed, until the rebuild."""
    _answer(make, learner.profile_id, bank["a2-sante-test-01"], {"choice": "1"})

    def drop() -> None:
        for model in (LearnerState, LearnerSkillState):
            db.session.execute(
                model.__table__.delete().where(
                    model.__table__.c.learner_id == learner.profile_id
                )
            )

    make.run(drop)
    page = learner.get("/").get_data(as_text=True)
    assert ">1</span> jour d’exercices" in page


def test_staff_see_the_same_board(learner, make, app, bank):
    _answer(make, learner.profile_id, bank["a2-sante-test-01"], {"choice": "0"})
    referent = app.test_client()
    login(referent, "claire")
    page = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "Progression" in page
    assert make.run(
        lambda: db.session.scalar(
            select(User).where(User.username == "claire")
        ).has_role(Role.REFERENT)
    )


def test_a_unit_answered_more_often_than_its_window_keeps_its_last_scores(
    learner, make, bank
):
    """An answer refreshes its unit from the unit's last answers only (not the whole
    history): the row still equals a recomputation from every answer."""
    from exercises.mastery import WINDOW

    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    choices = ["1", "0", "1", "1", "0", "0", "1", "0"]  # more than WINDOW answers
    assert len(choices) > WINDOW
    for choice in choices:
        _answer(make, profile_id, version, {"choice": choice})
    rows = _consistent(make, profile_id)
    [(scores, _last)] = [v for v in rows["units"].values() if v]
    assert scores == [1.0 if c == "1" else 0.0 for c in choices][-WINDOW:]


def _insert(
    make: Any, profile_id: int, version_id: int, created_at: Any, **extra: Any
) -> None:
    """An answer as an offline batch stores it: its own time, whatever the order."""

    def run() -> None:
        db.session.add(
            Attempt(
                client_id=str(uuid.uuid4()), learner_id=profile_id,
                item_version_id=version_id, response={"choice": "1"},
                score=extra.get("score", 1.0), time_ms=extra.get("time_ms", 40_000),
                created_at=created_at,
            )
        )  # fmt: skip

    make.run(run)


def test_an_answer_brings_the_month_forward_without_reading_the_history(
    learner, make, app, bank
):
    """The usual answer (the newest of the month) adds itself to the stored month
    and latest scores: the learner's answers of the month are not read again, and
    the row still equals a recomputation, day after day."""
    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    now = utcnow()
    day_one = now.replace(day=1, hour=0, minute=5, second=0, microsecond=0)
    _insert(make, profile_id, version, day_one)  # the month's first day
    _consistent(make, profile_id)

    seen = statements(app, lambda: _answer(make, profile_id, version, {"choice": "0"}))
    month_reads = [
        s for s in seen if s.startswith("SELECT attempts.created_at, attempts.time_ms")
    ]
    assert month_reads == []
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2
    assert rows["learner"]["days_active"] == (1 if now.day == 1 else 2)
    assert rows["learner"]["recent"][0][0] == 0.0  # the newest first

    _answer(make, profile_id, version, {"choice": "1"})  # the same day again
    rows = _consistent(make, profile_id)
    assert rows["learner"]["days_active"] == (1 if now.day == 1 else 2)
    assert rows["learner"]["minutes_ms"] == 40_000 + 2 * 95_000


def test_an_answer_reads_each_row_once(learner, make, app, bank):
    """An answer reads the learner's skill row once (for the item's Elo step, then
    written at the commit), the touched item from the session, and the items'
    learned difficulties with the answers themselves."""
    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})  # the rows exist

    seen = statements(app, lambda: _answer(make, profile_id, version, {"choice": "0"}))
    skill_reads = [
        s for s in seen if s.startswith("SELECT") and "FROM learner_skill_states" in s
    ]
    assert len(skill_reads) == 1
    # the missed item got a review card: the reviews due are brought forward
    assert any(s.startswith("INSERT INTO review_cards") for s in seen)
    assert not [s for s in seen if s.startswith("SELECT review_cards.due")]
    # and the unit's last scores: its answers are not read again
    assert any(s.startswith("UPDATE learner_unit_states") for s in seen)
    assert not [s for s in seen if s.startswith("SELECT anon_1.unit")]
    assert not [s for s in seen if "FROM item_stats WHERE item_stats.item_id IN" in s]
    assert not [
        s
        for s in seen
        if s.startswith("SELECT item_versions.skill, item_versions.unit")
    ]
    rows = _consistent(make, profile_id)
    assert len(rows["learner"]["review_dues"]) == 1

    seen = statements(app, lambda: _answer(make, profile_id, version, {"choice": "0"}))
    assert any(s.startswith("UPDATE review_cards") for s in seen)  # moved on
    assert not [s for s in seen if s.startswith("SELECT review_cards.due")]
    rows = _consistent(make, profile_id)
    assert len(rows["learner"]["review_dues"]) == 1


def test_reviews_due_stay_in_time_order_as_cards_move(learner, make, bank):
    """A card pushed later by right answers, then a new one due sooner: the row keeps
    the reviews due soonest first, as a reading of the cards gives them."""
    profile_id = learner.profile_id
    first, second = bank["a2-sante-test-01"], bank["a2-sante-test-03"]
    _answer(make, profile_id, first, {"choice": "0"})  # missed: a card
    for _ in range(3):
        _answer(make, profile_id, first, {"choice": "1"})  # pushed later each time
    _answer(make, profile_id, second, {"answer": "true"})  # missed: due sooner
    rows = _consistent(make, profile_id)
    dues = rows["learner"]["review_dues"]
    assert len(dues) == 2
    assert dues == sorted(dues)
    assert dues[0] < rows["learner"]["review_dues"][-1]


def test_a_unit_row_newer_than_the_answer_is_recomputed(learner, make, bank):
    """Two answers of the same learner at once: the one stored second finds the
    unit's row holding a newer answer than its own, and recomputes the unit instead
    of adding its score after it."""
    from tutoring.learning import practice

    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})

    def run() -> None:
        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [version]
        attempt = practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"choice": "0"}, time_ms=5_000,
        )  # fmt: skip
        db.session.flush()
        # what the other answer's commit left: the unit's last answer after ours
        db.session.execute(
            update(LearnerUnitState)
            .where(LearnerUnitState.learner_id == profile_id)
            .values(scores=[1.0, 1.0], last_attempt_id=attempt.id + 1)
        )

    make.run(run)
    rows = _consistent(make, profile_id)
    [(scores, _last)] = [v for v in rows["units"].values() if v]
    assert scores == [1.0, 0.0]


def test_review_moves_recomputed_during_the_answer_are_not_counted_twice(
    learner, make, bank
):
    """A card moved, the row recomputed, then an answer, in one transaction: the
    recomputation holds the move already, the commit does not add it again."""
    from tutoring.learning import practice
    from tutoring.learning.progress import schedule_review
    from tutoring.learning.state import refresh

    profile_id = learner.profile_id
    _answer(make, profile_id, bank["a2-sante-test-01"], {"choice": "1"})

    def run() -> None:
        profile = db.session.get(LearnerProfile, profile_id)
        schedule_review(profile, "a2-sante-test-03", 0.0, utcnow())
        db.session.flush()
        refresh(profile)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-01"]]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"choice": "1"}, time_ms=5_000,
        )  # fmt: skip

    make.run(run)
    rows = _consistent(make, profile_id)
    assert len(rows["learner"]["review_dues"]) == 1


def test_answers_sent_late_are_recomputed_exactly(learner, make, bank):
    """An offline batch arrives after newer answers: its answers are older than the
    row's latest (or of last month), so the month is recomputed from the history."""
    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})
    now = utcnow()
    earlier = now - timedelta(minutes=30)
    if earlier.month == now.month:
        _insert(make, profile_id, version, earlier, score=0.0, time_ms=20 * 60_000)
        rows = _consistent(make, profile_id)
        assert rows["learner"]["month_attempts"] == 2
        assert rows["learner"]["minutes_ms"] == 95_000 + 15 * 60_000  # capped
    last_month = now.replace(day=1) - timedelta(days=3)
    _insert(make, profile_id, version, last_month)
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == (2 if earlier.month == now.month else 1)


def test_a_row_of_last_month_starts_the_month_again(learner, make, bank):
    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})

    def last_month() -> None:
        row = db.session.get(LearnerState, profile_id)
        row.month = "2000-01"

    make.run(last_month)
    _answer(make, profile_id, version, {"choice": "1"})
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2


def test_an_answer_undone_by_a_savepoint_is_not_counted(learner, make, bank):
    """An answer, then a savepoint rolled back with another one in it (as when a
    mock exam's recording is claimed twice at once): the first still counts, the
    undone one does not."""
    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})

    def run() -> None:
        def attempt() -> Attempt:
            return Attempt(
                client_id=str(uuid.uuid4()), learner_id=profile_id,
                item_version_id=version, response={"choice": "1"}, score=1.0,
                time_ms=1_000,
            )  # fmt: skip

        db.session.add(attempt())
        db.session.flush()
        savepoint = db.session.begin_nested()
        db.session.add(attempt())
        db.session.flush()
        savepoint.rollback()

    make.run(run)
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2


def test_a_row_recomputed_during_the_answer_is_not_counted_twice(learner, make, bank):
    """A page of the same transaction may recompute a missing row after the answer
    was stored (a learner enrolled before the rows existed): the commit must not add
    the answer to it again."""
    from tutoring.learning import practice
    from tutoring.learning.state import learner_row

    profile_id = learner.profile_id
    version = bank["a2-sante-test-01"]
    _answer(make, profile_id, version, {"choice": "1"})

    def run() -> None:
        db.session.execute(
            LearnerState.__table__.delete().where(
                LearnerState.__table__.c.learner_id == profile_id
            )
        )
        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [version]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"choice": "0"}, time_ms=5_000,
        )  # fmt: skip
        db.session.flush()
        assert learner_row(profile).month_attempts == 2

    make.run(run)
    rows = _consistent(make, profile_id)
    assert rows["learner"]["month_attempts"] == 2


def test_reviews_due_counts_every_card_due_by_then_and_no_later_one(learner, make):
    """The count of reviews due is read from the row's times in order: a card due
    exactly at that moment counts, one due a microsecond later does not, whether
    the time falls on a whole second or not, and so do cards far apart."""
    from tutoring.learning.models import ReviewCard
    from tutoring.learning.state import refresh, reviews_due

    profile_id = learner.profile_id
    moment = utcnow().replace(microsecond=0) + timedelta(days=2)
    dues = [
        moment - timedelta(days=30),
        moment - timedelta(microseconds=1),
        moment,
        moment + timedelta(microseconds=1),
        moment + timedelta(microseconds=500_000),
        moment + timedelta(seconds=1),
        moment + timedelta(days=400),
    ]

    def cards() -> None:
        for n, due in enumerate(dues):
            db.session.add(
                ReviewCard(learner_id=profile_id, item_id=f"item-{n}", card={},
                           due=due)
            )  # fmt: skip
        db.session.flush()
        refresh(db.session.get(LearnerProfile, profile_id))

    make.run(cards)
    _consistent(make, profile_id)

    def counts() -> list[int]:
        profile = db.session.get(LearnerProfile, profile_id)
        return [
            reviews_due(profile, now) for now in [moment - timedelta(days=31), *dues]
        ]

    assert make.run(counts) == [0, 1, 2, 3, 4, 5, 6, 7]
