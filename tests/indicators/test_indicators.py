"""CTAI indicators against hand-computed values on a small fixed scenario.

March 2026 (Millau time). Learners: A (BPI, enrolled in February), B (BPT,
enrolled 5 March), C (CIR, enrolled 31 March at 23:30 in Millau), D (BPI, enrolled
in January, erased in May), E (enrolled 1 April at 00:30 in Millau). One tutor.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile, PublicCategory
from tutoring.accounts.rights import erase_learner
from tutoring.core.clock import local_day
from tutoring.core.extensions import db
from tutoring.exams.models import LanguageExam
from tutoring.indicators import definitions as indicators
from tutoring.indicators.models import (
    LearnerOutcome,
    LearnerYear,
    OutcomeKind,
    PracticeDay,
    PracticeMonth,
)
from tutoring.indicators.queries import Scope
from tutoring.indicators.rollups import rebuild_all, rebuild_learner_years
from tutoring.learning.models import ExternalLevel, LevelSource
from tutoring.pairing.models import Pairing, PairingStatus
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession

MARCH = Scope(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Scope(date(2026, 4, 1), date(2026, 4, 30))
HOUR_MS = 3_600_000


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def scenario(make):
    referent = make.user("claire", Role.REFERENT)
    tutor = make.user("marc", Role.TUTOR)
    ids = {}
    for name, category in [
        ("A", PublicCategory.BPI),
        ("B", PublicCategory.BPT),
        ("C", PublicCategory.CIR),
        ("D", PublicCategory.BPI),
        ("E", PublicCategory.OTHER),
    ]:
        ids[name] = make.learner(
            referent, first_name=f"Personne{name}", public_category=category
        )[0]

    def build():
        enrolled = {
            "A": utc(2026, 2, 10, 9),
            "B": utc(2026, 3, 5, 9),
            "C": utc(2026, 3, 31, 21, 30),  # 23:30 in Millau, still March
            "D": utc(2026, 1, 1, 9),
            "E": utc(2026, 3, 31, 22, 30),  # 00:30 on 1 April in Millau
        }
        for name, moment in enrolled.items():
            db.session.get(LearnerProfile, ids[name]).enrolled_at = moment
        erase_learner(db.session.get(LearnerProfile, ids["D"]), None)
        db.session.get(LearnerProfile, ids["D"]).erased_at = utc(2026, 5, 1)
        for name, day, attempts, ms in [
            ("A", date(2026, 3, 1), 3, HOUR_MS),
            ("A", date(2026, 2, 28), 5, HOUR_MS),  # outside March
            ("B", date(2026, 3, 31), 2, 2 * HOUR_MS),
            ("D", date(2026, 3, 10), 1, HOUR_MS // 2),
        ]:
            db.session.add(
                PracticeDay(
                    learner_id=ids[name], day=day, attempts=attempts, time_ms=ms
                )
            )
            db.session.add(  # one day per learner and month in this scenario
                PracticeMonth(
                    learner_id=ids[name], month=day.replace(day=1),
                    attempts=attempts, time_ms=ms,
                )
            )  # fmt: skip
        db.session.flush()
        rebuild_learner_years()
        pairing = {}
        for name, status, responded, ended in [
            ("A", PairingStatus.ACTIVE, utc(2026, 2, 15), None),
            ("B", PairingStatus.DECLINED, utc(2026, 3, 6), None),
            ("C", PairingStatus.PROPOSED, None, None),
            ("D", PairingStatus.ENDED, utc(2026, 3, 11, 9), utc(2026, 3, 25)),
        ]:
            row = Pairing(
                learner_id=ids[name], tutor_id=tutor, status=status,
                created_at=utc(2026, 1, 2), responded_at=responded, ended_at=ended,
            )  # fmt: skip
            db.session.add(row)
            db.session.flush()
            pairing[name] = row.id
        for name, start, minutes, status, attendance, held_minutes in [
            ("A", utc(2026, 3, 2, 10), 60, SessionStatus.HELD, Attendance.PRESENT, 60),
            ("A", utc(2026, 3, 9, 10), 60, SessionStatus.HELD, Attendance.ABSENT, 0),
            ("A", utc(2026, 3, 16, 10), 60, SessionStatus.CANCELLED, None, None),
            ("D", utc(2026, 3, 20, 10), 90, SessionStatus.HELD, Attendance.PRESENT, 90),
            # 00:30 on 1 March in Millau: inside March
            (
                "C",
                utc(2026, 2, 28, 23, 30),
                30,
                SessionStatus.HELD,
                Attendance.PRESENT,
                30,
            ),
            # 01:30 on 1 April in Millau: outside March
            (
                "B",
                utc(2026, 3, 31, 23, 30),
                45,
                SessionStatus.HELD,
                Attendance.PRESENT,
                45,
            ),
        ]:
            db.session.add(
                TutoringSession(
                    uid=(uid := str(uuid.uuid4())), slot=uid,
                    pairing_id=pairing.get(name, pairing["A"]),
                    tutor_id=tutor, learner_id=ids[name], starts_at=start,
                    ends_at=start + timedelta(minutes=minutes), place="MESA",
                    status=status, attendance=attendance, minutes=held_minutes,
                )
            )  # fmt: skip
        db.session.add_all(
            [
                LearnerOutcome(learner_id=ids["D"], kind=OutcomeKind.CERTIFICATION, level="A2", obtained_on=date(2026, 3, 31)),
                LearnerOutcome(learner_id=ids["A"], kind=OutcomeKind.CIVIC_EXAM, obtained_on=date(2026, 4, 1)),
                ExternalLevel(learner_id=ids["A"], skill=None, level="A1", source=LevelSource.OFII, taken_on=date(2026, 2, 1)),
                ExternalLevel(learner_id=ids["A"], skill="CO", level="A2", source=LevelSource.TCF, taken_on=date(2026, 3, 20)),
                ExternalLevel(learner_id=ids["B"], skill=None, level="A2", source=LevelSource.OFII, taken_on=date(2026, 3, 6)),
                ExternalLevel(learner_id=ids["B"], skill=None, level="B1", source=LevelSource.TCF, taken_on=date(2026, 4, 2)),
            ]
        )  # fmt: skip

    make.run(build)
    return ids


def values(make, scope, k=1):
    shown = make.run(lambda: indicators.figures(scope, k))
    return {name: figure.value for name, figure in shown.items()}


def test_march_figures_match_hand_computed_values(make, scenario):
    v = values(make, MARCH)
    assert v["beneficiaries.active"] == 4  # A, B, C (session at 00:30), D (erased)
    assert v["beneficiaries.new"] == 2  # B and C; E enrolled in April, Millau time
    assert v["beneficiaries.cumulative"] == 4
    assert v["tutoring.sessions_held"] == 3
    assert v["tutoring.sessions_missed"] == 1
    assert v["tutoring.sessions_cancelled"] == 1
    assert v["tutoring.hours"] == 3.0  # 60 + 90 + 30 minutes
    assert v["tutoring.median_hours"] == 1.0  # 30, 60, 90 minutes
    assert v["tutoring.learners"] == 3
    assert v["tutoring.tutors"] == 1
    assert v["tutoring.volunteer_hours"] == 4.0  # held sessions, absence included
    assert v["practice.learners"] == 3
    assert v["practice.attempts"] == 6
    assert v["practice.hours"] == 3.5
    assert v["practice.median_hours"] == 1.0
    assert v["pairings.new"] == 1
    assert v["pairings.active"] == 2
    assert v["pairings.ended"] == 1
    assert v["pairings.waiting"] == 2  # B (declined) and C (proposed only)
    assert v["pairings.first_paired"] == 1
    assert v["pairings.median_wait_days"] == 69.0  # 1 January to 11 March
    assert v["outcomes.certification"] == 1  # the erased learner still counts
    assert v["outcomes.civic_exam"] == 0  # obtained on 1 April
    assert v["progress.gained"] == 1  # A gained a level in listening (CO)
    assert v["progress.at_target"] == 1  # B: A2 in all four skills, goal A2


def test_a_custom_period_reads_days_and_agrees_with_the_month(make, scenario):
    v = values(make, Scope(date(2026, 2, 28), date(2026, 3, 31)))
    assert v["practice.attempts"] == 11  # 28 February (A, 5) and March (6)
    assert v["beneficiaries.active"] == 4


def test_april_counts_the_edges_on_the_other_side(make, scenario):
    v = values(make, APRIL)
    assert v["beneficiaries.active"] == 1  # B's session at 01:30 on 1 April
    assert v["beneficiaries.new"] == 1  # E
    assert v["beneficiaries.cumulative"] == 5
    assert v["tutoring.hours"] == 0.8  # 45 minutes
    assert v["outcomes.civic_exam"] == 1
    assert v["progress.gained"] == 2  # B's TCF on 2 April
    assert v["progress.at_target"] == 1  # B: B1 everywhere, goal A2


def test_filters_by_category_and_partner(make, scenario):
    bpi = Scope(MARCH.start, MARCH.end, category="bpi")
    v = values(make, bpi)
    assert v["beneficiaries.active"] == 2  # A and D
    assert v["tutoring.sessions_held"] == 2
    assert v["practice.attempts"] == 4
    nobody = Scope(MARCH.start, MARCH.end, partner_id=999)
    assert values(make, nobody)["beneficiaries.active"] == 0


def test_breakdown_by_category_sums_to_the_active_learners(make, scenario):
    cells, total = make.run(lambda: indicators.breakdown(MARCH, "public_category", 1))
    assert {c.key: c.value for c in cells} == {
        "bpi": 2, "bpt": 1, "cir": 1, "legion_family": 0, "other": 0,
    }  # fmt: skip
    assert total == 4


def test_monthly_trend(make, scenario):
    trend = make.run(
        lambda: indicators.monthly_trend(
            Scope(date(2026, 2, 1), date(2026, 4, 30)), 1, date(2026, 2, 1)
        )
    )
    assert trend["months"] == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    assert trend["series"]["active"] == [1, 4, 1]
    assert trend["series"]["new"] == [1, 2, 1]
    assert trend["series"]["attempts"] == [5, 6, 0]
    assert trend["series"]["sessions"] == [0, 3, 1]


def test_small_counts_are_hidden_with_their_sums(make, scenario):
    v = values(make, MARCH, k=11)
    assert v["beneficiaries.active"] is None
    assert v["tutoring.hours"] is None  # a sum over fewer than 11 people
    assert v["practice.attempts"] is None
    assert v["outcomes.civic_exam"] == 0  # zero is shown
    assert all(
        value is None or value == 0 or not isinstance(value, int) or value >= 11
        for value in v.values()
    )
    trend = make.run(lambda: indicators.monthly_trend(MARCH, 11, date(2026, 3, 1)))
    assert trend["series"]["active"] == [None]
    assert trend["series"]["tutoring_hours"] == [None]


def test_each_attempt_updates_the_daily_rollup(make, learner, bank):
    from tutoring.learning import practice

    def answer():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        for _ in range(2):
            done = practice.start_set(profile, level="A2")
            done.item_version_ids = [bank["a2-sante-test-01"]]
            practice.record_answer(
                profile, done, position=0, client_id=str(uuid.uuid4()),
                response={"choice": "0"}, time_ms=1500,
            )  # fmt: skip
        db.session.commit()
        return snapshot()

    def snapshot():
        days = db.session.scalars(db.select(PracticeDay)).all()
        months = db.session.scalars(db.select(PracticeMonth)).all()
        years = db.session.scalars(db.select(LearnerYear)).all()
        return [(r.attempts, r.time_ms) for r in (*days, *months, *years)] + [
            (r.year, r.practised, r.tutored, r.public_category) for r in years
        ]

    def rebuilt():
        rebuild_all()
        return snapshot()

    def move():  # the referent corrects the learner's public
        profile = db.session.get(LearnerProfile, learner.profile_id)
        profile.public_category = PublicCategory.BPT
        db.session.commit()
        return snapshot()

    today = local_day(datetime.now(UTC))
    month_bit = 1 << (today.month - 1)
    kept = make.run(answer)
    public = make.run(lambda: db.session.get(LearnerProfile, learner.profile_id))
    assert kept == [(2, 3000)] * 3 + [
        (today.year, month_bit, 0, public.public_category.value)
    ]
    assert make.run(rebuilt) == kept
    moved = make.run(move)
    assert moved[-1] == (today.year, month_bit, 0, "bpt")
    assert make.run(rebuilt) == moved


def test_levels_and_first_pairing_rollups_follow_the_rows(make):
    """The outside levels a referent records and the pairings volunteers accept are
    rolled up per learner as they are written, as a rebuild would."""
    from tutoring.indicators.models import LearnerLevels

    referent = make.user("ref-levels", Role.REFERENT)
    tutor = make.user("tuteur-levels", Role.TUTOR)
    learner_id = make.learner(referent)[0]

    def write():
        for skill, level, day in [
            (None, "A1", date(2026, 1, 5)),  # placement: all four skills
            ("CO", "A2", date(2026, 4, 2)),
            ("EE", "xx", date(2026, 5, 2)),  # outside the scale: rank 0
        ]:
            db.session.add(
                ExternalLevel(
                    learner_id=learner_id, skill=skill, level=level,
                    source=LevelSource.OFII, taken_on=day,
                )
            )  # fmt: skip
        for status, responded in [
            (PairingStatus.DECLINED, utc(2026, 2, 1)),
            (PairingStatus.ENDED, utc(2026, 3, 1)),
            (PairingStatus.ACTIVE, utc(2026, 2, 20)),
        ]:
            db.session.add(
                Pairing(
                    learner_id=learner_id, tutor_id=tutor, status=status,
                    responded_at=responded,
                )
            )  # fmt: skip
        db.session.flush()
        return snapshot()

    def snapshot():
        row = db.session.get(LearnerLevels, learner_id)
        profile = db.session.get(LearnerProfile, learner_id)
        db.session.refresh(profile)
        columns = ("last_on", "entry_co", "latest_co", "entry_ee", "latest_ee",
                   "entry_ce", "latest_ce")  # fmt: skip
        return [getattr(row, c) for c in columns], profile.first_paired_at

    def rebuilt():
        db.session.execute(db.update(LearnerProfile).values(first_paired_at=None))
        db.session.execute(db.delete(LearnerLevels))
        rebuild_all()
        db.session.expire_all()
        return snapshot()

    kept = make.run(write)
    assert kept == ([date(2026, 5, 2), 2, 3, 2, 0, 2, 2], utc(2026, 2, 20))
    assert make.run(rebuilt) == kept
    # A period ending before the latest records reads the levels known then.
    march = make.run(
        lambda: indicators.q.progress(Scope(date(2026, 3, 1), date(2026, 3, 31)))
    )
    april = make.run(
        lambda: indicators.q.progress(Scope(date(2026, 4, 1), date(2026, 4, 30)))
    )
    assert (march["by_skill"]["CO"], march["gained"]) == ((1, 0), 0)
    assert (april["by_skill"]["CO"], april["gained"]) == ((1, 1), 1)


def test_referent_records_an_outcome_that_the_indicators_count(app, client, make):
    from datetime import date as day

    from tests.conftest import login

    referent = make.user("claire-ref", Role.REFERENT)
    profile_id, _user = make.learner(referent)
    login(client, "claire-ref")
    url = f"/apprenants/{profile_id}/resultat"
    today = day.today()
    refused = client.post(url, data={"kind": "certification", "obtained_on": today})
    assert refused.status_code == 302  # a certification needs its level
    future = today + timedelta(days=2)
    client.post(url, data={"kind": "civic_exam", "obtained_on": future})
    response = client.post(
        url, data={"kind": "certification", "level": "A2", "obtained_on": today}
    )
    assert response.status_code == 302
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "Certification de français obtenue" in page
    assert "Examen civique réussi –" not in page  # the future date was refused
    v = values(make, Scope(today, today))
    assert v["outcomes.certification"] == 1
    assert v["outcomes.civic_exam"] == 0


def test_generator_is_seeded_and_fills_the_rollup(app, runner, make):
    from sqlalchemy import func, select

    from tutoring.learning.models import Attempt

    result = runner.invoke(args=["demo", "generate", "--learners", "40", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "learners: 40" in result.output

    def totals():
        attempts = db.session.scalar(select(func.count()).select_from(Attempt))
        rolled = db.session.scalar(select(func.sum(PracticeDay.attempts)))
        by_month = db.session.scalar(select(func.sum(PracticeMonth.attempts)))
        assert by_month == rolled
        sessions = db.session.scalar(select(func.count()).select_from(TutoringSession))
        return attempts, rolled, sessions

    attempts, rolled, sessions = make.run(totals)
    assert attempts > 1000
    assert rolled == attempts
    assert sessions > 0
    again = runner.invoke(args=["demo", "generate", "--learners", "40", "--seed", "7"])
    assert again.output == result.output  # the same seed gives the same data


def test_a_difference_of_two_published_counts_is_protected_too():
    raw = {
        "exams.civic_taken": 30,
        "exams.civic_passed": 27,  # 3 failed: the pass count would tell
        "beneficiaries.cumulative": 60,
        "beneficiaries.new": 20,
    }
    assert indicators.hidden_counts(raw, 11) == {"exams.civic_passed"}
    raw["exams.civic_passed"] = 5
    assert indicators.hidden_counts(raw, 11) == {"exams.civic_passed"}
    raw["exams.civic_passed"] = 15
    assert indicators.hidden_counts(raw, 11) == set()


def test_a_workshop_counts_once_for_sessions_and_volunteer_hours(app, make):
    """Three learners in one 90-minute workshop (two present, one absent) and one
    60-minute individual session: 2 sessions held, 2.5 volunteer hours, and 4 hours of
    tutoring received (90 + 90 + 60 minutes)."""
    from tutoring.accounts.models import Role
    from tutoring.sessions.booking import to_utc

    referent = make.user("ref-atelier", Role.REFERENT)
    tutor = make.user("tuteur-atelier", Role.TUTOR)
    publics = (PublicCategory.BPI, PublicCategory.CIR, PublicCategory.BPI)
    learners = [
        make.learner(referent, first_name=f"L{i}", public_category=public)[0]
        for i, public in enumerate(publics)
    ]

    def build():
        start = to_utc(date(2026, 5, 12), datetime.min.time().replace(hour=14))
        rows = [
            (learners[0], "ws", Attendance.PRESENT, 90, 90),
            (learners[1], "ws", Attendance.PRESENT, 90, 90),
            (learners[2], "ws", Attendance.ABSENT, 90, 0),
            (learners[0], "solo", Attendance.PRESENT, 60, 60),
        ]
        for i, (learner_id, slot, attendance, length, minutes) in enumerate(rows):
            starts = start + (timedelta(days=1) if slot == "solo" else timedelta())
            db.session.add(TutoringSession(
                uid=f"{slot}-{i}", slot=slot, workshop="Atelier" if slot == "ws" else None,
                tutor_id=tutor, learner_id=learner_id, starts_at=starts,
                ends_at=starts + timedelta(minutes=length), place="MESA",
                status=SessionStatus.HELD, attendance=attendance, minutes=minutes,
            ))  # fmt: skip

    make.run(build)
    v = values(make, Scope(date(2026, 5, 1), date(2026, 5, 31)))
    assert v["tutoring.sessions_held"] == 2
    assert v["tutoring.volunteer_hours"] == 2.5
    assert v["tutoring.hours"] == 4.0
    assert v["tutoring.learners"] == 2
    assert v["tutoring.sessions_missed"] == 1

    def by_public(public):
        # the month (from tutor_months) and the same days (from the session rows)
        month = values(make, Scope(date(2026, 5, 1), date(2026, 5, 31), public))
        days = values(make, Scope(date(2026, 5, 12), date(2026, 5, 13), public))
        names = ("sessions_held", "sessions_missed", "volunteer_hours", "hours")
        figures = [month[f"tutoring.{name}"] for name in names]
        assert figures == [days[f"tutoring.{name}"] for name in names]
        trend = make.run(
            lambda: indicators.monthly_trend(
                Scope(date(2026, 5, 1), date(2026, 5, 31), public), 1, date(2026, 5, 1)
            )
        )
        return figures, trend["series"]["sessions"], trend["series"]["tutoring_hours"]

    # A workshop counts for a public when one of its learners is of it.
    assert by_public("cir") == ([1, 0, 1.5, 1.5], [1], [1.5])
    assert by_public("bpi") == ([2, 1, 2.5, 2.5], [2], [2.5])

    def move():  # the referent corrects L1's public
        db.session.get(LearnerProfile, learners[1]).public_category = PublicCategory.BPI

    make.run(move)
    assert by_public("cir") == ([0, 0, 0, 0], [0], [0])
    assert by_public("bpi") == ([2, 1, 2.5, 4.0], [2], [4.0])


def test_session_rollup_stays_equal_to_a_recount_after_changes(app, make):
    """Book, report, cancel, reschedule, move a past session across a month end,
    change attendance and minutes, then erase a learner: the monthly rollup of
    attended sessions equals a recount from the raw rows at each step, and the
    erasure leaves it unchanged."""
    from sqlalchemy import select

    from tutoring.accounts.models import User
    from tutoring.indicators.models import LearnerYear, SessionMonth, TutorMonth
    from tutoring.indicators.rollups import (
        rebuild_learner_years,
        rebuild_sessions,
        rebuild_tutor_months,
    )
    from tutoring.sessions import booking as st

    referent = make.user("ref-rollup", Role.REFERENT)
    tutor = make.user("tuteur-rollup", Role.TUTOR)
    learners = [make.learner(referent, first_name=f"R{i}")[0] for i in range(3)]

    def rollup():
        rows = db.session.scalars(
            select(SessionMonth).order_by(SessionMonth.learner_id, SessionMonth.month)
        )
        return [(r.learner_id, r.month, r.attended, r.minutes) for r in rows]

    def years():
        rows = db.session.scalars(
            select(LearnerYear).order_by(LearnerYear.learner_id, LearnerYear.year)
        )
        return [(r.learner_id, r.year, r.attended, r.minutes, r.tutored) for r in rows]

    def meetings():
        rows = db.session.scalars(
            select(TutorMonth)
            .where(TutorMonth.public_category == "", TutorMonth.partner_id == 0)
            .order_by(TutorMonth.month)
        )
        return [
            (r.month, r.held, r.cancelled, r.missed, r.volunteer_minutes,
             r.learner_minutes)
            for r in rows
        ]  # fmt: skip

    def every_cell():
        rows = db.session.scalars(select(TutorMonth))
        return sorted(
            (r.tutor_id, r.month, r.public_category, r.partner_id, r.held,
             r.cancelled, r.missed, r.volunteer_minutes, r.learner_minutes)
            for r in rows
        )  # fmt: skip

    def check():
        kept = rollup(), years(), every_cell()
        rebuild_sessions()
        rebuild_learner_years()
        rebuild_tutor_months()
        assert (rollup(), years(), every_cell()) == kept
        return kept[0]

    def add(learner_id, slot, starts, status, attendance=None, minutes=None):
        row = TutoringSession(
            uid=slot, slot=slot, tutor_id=tutor, learner_id=learner_id,
            starts_at=starts, ends_at=starts + timedelta(minutes=60), place="MESA",
            status=status, attendance=attendance, minutes=minutes,
        )  # fmt: skip
        db.session.add(row)
        db.session.flush()
        return row.id

    ids = {}

    def past_sessions():
        held, present = SessionStatus.HELD, Attendance.PRESENT
        ids["a"] = add(learners[0], "a", utc(2026, 3, 10, 9), held, present, 60)
        ids["b"] = add(learners[0], "b", utc(2026, 3, 31, 21, 30), held, present, 45)
        ids["c"] = add(
            learners[1], "c", utc(2026, 3, 12, 9), held, Attendance.ABSENT, 0
        )
        ids["d"] = add(learners[1], "d", utc(2026, 4, 2, 9), SessionStatus.SCHEDULED)
        ids["e"] = add(learners[2], "e", utc(2026, 4, 3, 9), held, present, 90)
        return check()

    first = make.run(past_sessions)
    assert [(r[2], r[3]) for r in first] == [(2, 105), (1, 90)]  # 31 March 23:30 local
    # March: two meetings held, one missed (the volunteer came: 60 more minutes)
    assert make.run(meetings) == [
        (date(2026, 3, 1), 2, 0, 1, 180, 105),
        (date(2026, 4, 1), 1, 0, 0, 60, 90),
    ]
    assert [r[1:] for r in make.run(years)] == [
        (2026, 2, 105, 0b100),
        (2026, 1, 90, 0b1000),
    ]

    def report_and_edit():
        get = lambda key: db.session.get(TutoringSession, ids[key])  # noqa: E731
        st.record_report(
            get("d"), attendance=Attendance.PRESENT, minutes=75,
            note_for_learner="", note_for_referent="",
        )  # fmt: skip
        db.session.flush()
        check()
        get("b").starts_at = utc(2026, 3, 31, 22, 30)  # now 1 April in Millau
        get("c").attendance, get("c").minutes = Attendance.PRESENT, 50
        db.session.flush()
        check()
        get("e").status = SessionStatus.CANCELLED
        get("a").learner_id = learners[2]
        get("a").minutes = 30
        return check()

    edited = make.run(report_and_edit)
    assert sum(r[2] for r in edited) == 4
    assert sum(r[3] for r in edited) == 45 + 50 + 75 + 30

    def book_reschedule_cancel():
        tutor_user = db.session.get(User, tutor)
        day = (datetime.now(UTC) + timedelta(days=30)).date()
        rows = st.book(st.Booking(
            tutor_id=tutor, learners=[(learners[0], None)], day=day,
            at=datetime.min.time().replace(hour=10), minutes=60,
            video_url="https://visio.example/r",
        ))  # fmt: skip
        rows = st.reschedule(
            rows[0], tutor_user, day=day + timedelta(days=35),
            at=datetime.min.time().replace(hour=11), minutes=60, reason="",
        )  # fmt: skip
        st.cancel(rows[0], tutor_user, "", learner=False)
        db.session.flush()
        return check()

    assert make.run(book_reschedule_cancel) == edited
    assert make.run(meetings)[-1][1:] == (0, 1, 0, 0, 0)  # the cancelled booking

    def erase():
        profile = db.session.get(LearnerProfile, learners[2])
        erase_learner(profile, None)
        db.session.flush()
        return rollup()

    kept = make.run(meetings), make.run(years)
    assert make.run(erase) == edited
    assert (make.run(meetings), make.run(years)) == kept
    assert make.run(check) == edited


@pytest.fixture
def language_exams(make, scenario):
    """Finished mock French exams and their stored outcome per skill (CO, CE, EE, EO;
    None: a production still waiting for a tutor), added to the March scenario."""
    ids = scenario
    T, F, N = True, False, None  # noqa: N806 - a readable table

    def build():
        for name, finished, outcome in [
            ("A", utc(2026, 3, 2, 10), (T, T, T, T)),  # all four in one exam
            ("A", utc(2026, 3, 20, 10), (T, F, N, F)),
            ("B", utc(2026, 3, 15, 10), (T, T, F, T)),
            ("B", utc(2026, 3, 31, 22, 30), (T, T, T, T)),  # 00:30 on 1 April
            ("C", utc(2026, 2, 28, 23, 30), (F, T, N, T)),  # 00:30 on 1 March
            ("C", None, (N, N, N, N)),  # started, not finished
            ("D", utc(2026, 3, 10, 10), (T, T, T, F)),  # erased: still counts
            ("D", utc(2026, 3, 11, 10), (F, F, F, T)),  # four skills, two exams
        ]:
            co, ce, ee, eo = outcome
            db.session.add(
                LanguageExam(
                    learner_id=ids[name], target="A2", started_at=utc(2026, 2, 1),
                    finished_at=finished, passed_co=co, passed_ce=ce, passed_ee=ee,
                    passed_eo=eo,
                )
            )  # fmt: skip

    make.run(build)
    return ids


def test_language_mock_exams_passed_per_skill_and_in_all_four(make, language_exams):
    v = values(make, MARCH)
    assert v["exams.language_taken"] == 4  # A, B, C (00:30 on 1 March), D
    assert v["exams.language_passed_co"] == 3  # A, B, D
    assert v["exams.language_passed_ce"] == 4  # A, B, C, D
    assert v["exams.language_passed_ee"] == 2  # A, D; C's writing awaits a tutor
    assert v["exams.language_passed_eo"] == 4  # A, B, C, D (D in its second exam)
    assert v["exams.language_passed_all"] == 1  # A; D passed the four in two exams
    april = values(make, APRIL)
    assert april["exams.language_taken"] == 1  # B's exam at 00:30 on 1 April
    assert april["exams.language_passed_all"] == 1
    assert april["exams.language_passed_ee"] == 1
    bpi = values(make, Scope(MARCH.start, MARCH.end, category="bpi"))  # A and D
    assert bpi["exams.language_taken"] == 2
    assert bpi["exams.language_passed_co"] == 2
    assert bpi["exams.language_passed_ee"] == 2
    assert bpi["exams.language_passed_all"] == 1


def test_language_mock_exam_figures_are_protected(make, language_exams):
    v = values(make, MARCH, k=11)
    for skill in ("co", "ce", "ee", "eo", "all"):
        assert v[f"exams.language_passed_{skill}"] is None
    assert v["exams.language_taken"] is None
    june = values(make, Scope(date(2026, 6, 1), date(2026, 6, 30)), k=11)
    assert june["exams.language_passed_all"] == 0  # zero is shown


def test_language_passes_are_protected_against_differences():
    raw = {
        "exams.language_taken": 60,
        "exams.language_passed_co": 57,  # 3 failed listening: hidden
        "exams.language_passed_ce": 45,
        "exams.language_passed_ee": 35,
        "exams.language_passed_eo": 30,
        "exams.language_passed_all": 15,
    }
    assert indicators.hidden_counts(raw, 11) == {"exams.language_passed_co"}
    raw["exams.language_passed_co"] = 40
    raw["exams.language_passed_ee"] = 45
    raw["exams.language_passed_all"] = 28  # 2 passed speaking but not all four
    assert indicators.hidden_counts(raw, 11) == {"exams.language_passed_all"}
    raw["exams.language_passed_all"] = 5  # small itself
    assert indicators.hidden_counts(raw, 11) == {"exams.language_passed_all"}
    raw["exams.language_passed_all"] = 0
    assert indicators.hidden_counts(raw, 11) == set()


def test_breakdowns_without_an_enum_come_in_a_stable_order():
    """Years since arrival read 0, 1, … 5+ and partners by id, whatever order the
    database grouped them in; "not recorded" comes last."""
    cells, total = indicators.breakdown(
        MARCH, "years_since_arrival", 1, {"5+": 3, "": 1, "2": 1, "0": 2}
    )
    assert [c.key for c in cells] == ["0", "2", "5+", ""]
    assert total == 7
    cells, _total = indicators.breakdown(MARCH, "partner_id", 1, {"12": 1, "3": 2})
    assert [c.key for c in cells] == ["3", "12"]
