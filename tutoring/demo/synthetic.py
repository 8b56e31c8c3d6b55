"""Synthetic learners, tutors, pairings, sessions and attempts for scale tests."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import current_app
from sqlalchemy import JSON, select, text

from tutoring.accounts.models import Partner, Structure
from tutoring.content.models import ItemVersion
from tutoring.core.clock import local_midnight
from tutoring.core.extensions import db
from tutoring.indicators.report import SYNTHETIC_PREFIX
from tutoring.indicators.rollups import rebuild_all

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import CursorResult

CATEGORIES = (
    ("cir", 40),
    ("bpi", 25),
    ("bpt", 20),
    ("legion_family", 5),
    ("other", 10),
)


SEXES = (("female", 55), ("male", 40), (None, 5))


AGES = (("18_25", 20), ("26_35", 30), ("36_45", 25), ("46_55", 13), ("56_65", 7),
        ("over_65", 3), ("under_18", 2))  # fmt: skip


GOALS = (("a2", 60), ("b1", 25), ("b2", 10), ("undecided", 5))


LEVELS = ("A1.1", "A1", "A2", "B1", "B2")


PARTNERS = ("CCAS de Millau", "France Travail Millau", "CADA de Millau", "13e DBLE",
            "Association Myriade (accueil direct)", "OFII")  # fmt: skip


CHUNK = 20_000


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _next_id(table: str) -> int:
    # Table names are constants of this module (S608/B608 reviewed).
    return int(db.session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}"))) + 1  # noqa: S608  # nosec B608


def _bulk(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]],
          json_columns: tuple[str, ...] = ()) -> int:  # fmt: skip
    """Load rows by COPY on PostgreSQL, by multi-row inserts elsewhere."""
    connection = db.session.connection()
    count = 0
    if connection.dialect.name == "postgresql":
        # COPY skips the models' defaults: add the NOT NULL columns left out with
        # their default value (new columns then need no change here).
        known = table in db.metadata.tables  # not a temporary table of this module
        defaults = _copy_defaults(table, columns) if known else {}
        if defaults:
            extra_names = tuple(defaults)
            extra_values = tuple(defaults.values())
            json_columns = (*json_columns, *(
                name for name in extra_names
                if isinstance(db.metadata.tables[table].c[name].type, JSON)
            ))  # fmt: skip
            columns = (*columns, *extra_names)
            rows = (tuple(row) + extra_values for row in rows)
        json_at = [columns.index(c) for c in json_columns]
        raw = connection.connection.dbapi_connection
        assert raw is not None
        # PostgreSQL is reached through psycopg 3 (see the dependencies): its COPY.
        with cast("psycopg.Connection[Any]", raw).cursor() as cursor:
            names = ", ".join(columns)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = tuple(
                            json.dumps(v) if i in json_at else v
                            for i, v in enumerate(row)
                        )
                    copy.write_row(row)
                    count += 1
        return count
    target = db.metadata.tables[table]
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= CHUNK:
            connection.execute(target.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(target.insert(), batch)
        count += len(batch)
    return count


def _copy_defaults(table: str, columns: tuple[str, ...]) -> dict[str, Any]:
    """The default of each NOT NULL column of `table` missing from `columns`."""
    out: dict[str, Any] = {}
    for column in db.metadata.tables[table].columns:
        if column.name in columns or column.nullable or column.primary_key:
            continue
        default = column.default
        if default is None or not hasattr(default, "arg"):
            continue
        value = default.arg(None) if callable(default.arg) else default.arg
        out[column.name] = getattr(value, "value", value)  # enums by their value
    return out


def _fix_sequences(tables: Iterable[str]) -> None:
    if db.session.connection().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(
                # Constant table names (S608/B608 reviewed).
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )


def _setup(rng: random.Random) -> tuple[int, list[int], list[int]]:
    structure = db.session.scalar(select(Structure).order_by(Structure.id))
    if structure is None:
        structure = Structure(name="Association Myriade")
        db.session.add(structure)
        db.session.flush()
    partners = []
    for name in PARTNERS:
        partner = db.session.scalar(
            select(Partner).where(
                Partner.structure_id == structure.id, Partner.name == name
            )
        )
        if partner is None:
            partner = Partner(structure_id=structure.id, name=name)
            db.session.add(partner)
            db.session.flush()
        partners.append(partner.id)
    items = list(db.session.scalars(select(ItemVersion.id).limit(200)))
    if not items:
        version = ItemVersion(
            item_id="synthetique-01", version=1, unit="synthetique", level="A2",
            skill="CE", theme="vie_quotidienne", type="single_choice",
            content_hash="0" * 64, payload={}, active=False,
        )  # fmt: skip
        db.session.add(version)
        db.session.flush()
        items = [version.id]
    return structure.id, partners, items


def generate(learners: int, seed: int, today: date | None = None) -> dict[str, int]:
    """Create `learners` synthetic learners with their activity; return row counts."""
    # Synthetic data, not secrets (S311/B311 reviewed).
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    today = today or date.today()
    start = date.fromisoformat(current_app.config["CTAI_START"])
    now = local_midnight(today)
    span = (now - local_midnight(start)).total_seconds()
    structure_id, partners, items = _setup(rng)
    counts: dict[str, int] = {}

    tutors = max(1, learners // 20)
    first_user = _next_id("users")
    tag = f"{seed}-{first_user}"
    created = local_midnight(start)
    counts["tutors"] = _bulk(
        "users",
        ("id", "username", "first_name", "locale", "active", "structure_id", "created_at"),
        ((first_user + i, f"benevole-{tag}-{i}", "Bénévole", "fr", True, structure_id,
          created) for i in range(tutors)),
    )  # fmt: skip
    tutor_ids = list(range(first_user, first_user + tutors))
    _bulk("user_roles", ("user_id", "role"), ((t, "tutor") for t in tutor_ids))
    _bulk(
        "tutor_profiles",
        ("user_id", "status", "charter_version", "charter_accepted_at", "approved_at",
         "structure_id", "languages", "max_learners"),
        ((t, "approved", "2026-1", created, created, structure_id, ["fr"], 3)
         for t in tutor_ids),
        json_columns=("languages",),
    )  # fmt: skip

    first = _next_id("learner_profiles")
    plan = []
    for i in range(learners):
        # linear growth: more enrolments later in the contract
        at = local_midnight(start) + timedelta(seconds=span * math.sqrt(rng.random()))
        erased = (
            at + timedelta(days=rng.randint(60, 400)) if rng.random() < 0.05 else None
        )
        if erased is not None and erased >= now:
            erased = None
        plan.append((first + i, at, erased))
    counts["learners"] = _bulk(
        "learner_profiles",
        ("id", "pseudonym", "structure_id", "partner_id", "public_category", "arrival_year",
         "sex", "age_band", "goal", "languages", "enrolled_at", "erased_at"),
        ((lid, f"{SYNTHETIC_PREFIX}{lid}", structure_id,
          None if rng.random() < 0.15 else rng.choice(partners), _pick(rng, CATEGORIES),
          at.year - rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6)), _pick(rng, SEXES),
          _pick(rng, AGES), _pick(rng, GOALS), [], at, erased) for lid, at, erased in plan),
        json_columns=("languages",),
    )  # fmt: skip
    counts.update(_tutoring(rng, plan, tutor_ids, now))
    salt = _next_id("attempts")
    if db.session.connection().dialect.name == "postgresql":
        counts["attempts"] = _attempts_in_database(rng, plan, items, now, salt)
    else:
        counts["attempts"] = _bulk(
            "attempts",
            ("client_id", "learner_id", "item_version_id", "response", "score",
             "result", "time_ms", "created_at"),
            _attempts(rng, plan, items, now, salt),
            json_columns=("response", "result"),
        )  # fmt: skip
    counts.update(_progress(rng, plan, items, now))
    _fix_sequences(("users", "learner_profiles", "pairings", "tutoring_sessions",
                    "attempts", "assignments", "external_levels", "civic_exams",
                    "learner_outcomes"))  # fmt: skip
    rebuild_all()
    return counts


def _tutoring(rng: random.Random, plan: list[tuple[int, datetime, datetime | None]],
              tutor_ids: list[int], now: datetime) -> dict[str, int]:  # fmt: skip
    pairings: list[tuple[Any, ...]] = []
    sessions: list[tuple[Any, ...]] = []
    pairing_id = _next_id("pairings")
    session_id = _next_id("tutoring_sessions")
    for learner_id, enrolled, erased in plan:
        if rng.random() >= 0.7:
            continue
        accepted = enrolled + timedelta(days=rng.expovariate(1 / 30))
        if accepted >= now:
            continue
        ended = None
        if rng.random() < 0.5:
            ended = accepted + timedelta(days=rng.randint(60, 300))
        if erased is not None:
            ended = min(ended or erased, erased)
        if ended is not None and ended >= now:
            ended = None
        tutor = rng.choice(tutor_ids)
        pairings.append((pairing_id, learner_id, tutor, "ended" if ended else "active",
                         accepted - timedelta(days=2), accepted, ended))  # fmt: skip
        moment = accepted + timedelta(days=rng.randint(1, 7), hours=rng.randint(8, 18))
        while moment < (ended or now):
            cancelled = rng.random() < 0.15
            roll = rng.random()
            attendance = None if cancelled else (
                "present" if roll < 0.85 else "absent" if roll < 0.95 else "excused"
            )  # fmt: skip
            minutes = rng.choice((45, 60, 60, 60, 90)) if attendance == "present" else 0
            uid = f"{session_id}@synthetique"
            sessions.append((session_id, uid, uid, pairing_id, tutor,
                             learner_id, moment, moment + timedelta(minutes=60), "MESA",
                             "cancelled" if cancelled else "held", attendance,
                             None if cancelled else minutes, 0,
                             moment - timedelta(days=7), [], []))  # fmt: skip
            session_id += 1
            moment += timedelta(days=7)
        pairing_id += 1
    return {
        "pairings": _bulk(
            "pairings",
            ("id", "learner_id", "tutor_id", "status", "created_at", "responded_at",
             "ended_at"),
            pairings,
        ),
        "sessions": _bulk(
            "tutoring_sessions",
            ("id", "uid", "slot", "pairing_id", "tutor_id", "learner_id", "starts_at",
             "ends_at", "place", "status", "attendance", "minutes", "sequence",
             "created_at", "skills", "themes"),
            sessions, json_columns=("skills", "themes"),
        ),
    }  # fmt: skip


def _attempt_plan(rng: random.Random, plan: list[tuple[int, datetime, datetime | None]],
                  now: datetime) -> Iterator[tuple[int, int, datetime, float]]:  # fmt: skip
    """Yield (learner, number of attempts, first moment, window in seconds)."""
    for learner_id, enrolled, erased in plan:
        n = int(rng.lognormvariate(4.8, 0.9))  # mean about 200
        stop = min(erased or now, now)
        window = max((stop - enrolled).total_seconds(), 3600.0)
        window = min(window, rng.uniform(0.3, 1.0) * window)  # drop-outs stop early
        yield learner_id, n, enrolled, window


def _attempts(rng: random.Random, plan: list[tuple[int, datetime, datetime | None]],
              items: list[int], now: datetime, salt: int) -> Iterator[tuple[Any, ...]]:  # fmt: skip
    """Yield attempts; `salt` keeps client ids unique when the generator runs again."""
    empty: dict[str, Any] = {}
    for learner_id, n, enrolled, window in _attempt_plan(rng, plan, now):
        for i in range(n):
            yield (
                f"syn-{salt}-{learner_id}-{i}",
                learner_id,
                rng.choice(items),
                empty,
                round(rng.random(), 2),
                empty,
                int(rng.lognormvariate(10.4, 0.6)),  # about 40 s
                enrolled + timedelta(seconds=rng.random() * window),
            )


@contextmanager
def _without_indexes(table: str) -> Iterator[None]:
    """PostgreSQL bulk load: drop the table's secondary indexes, unique and foreign
    key constraints, and create them again after the load (one sort per index and
    one check per constraint instead of maintaining them row by row)."""
    constraints = db.session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('u', 'f')"
        ),
        {"t": table},
    ).all()
    for name, _definition in constraints:
        db.session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    indexes = db.session.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_index x ON x.indexrelid = CAST(i.indexname AS regclass) "
            "WHERE i.tablename = :t AND NOT x.indisprimary"
        ),
        {"t": table},
    ).all()
    for name, _definition in indexes:
        db.session.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _name, definition in indexes:
        db.session.execute(text(definition))
    for name, definition in constraints:
        db.session.execute(
            text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        )


def _attempts_in_database(rng: random.Random,
                          plan: list[tuple[int, datetime, datetime | None]],
                          items: list[int], now: datetime, salt: int) -> int:  # fmt: skip
    """PostgreSQL: draw the attempts in the database from a per-learner plan (same
    distributions as `_attempts`), so that 20 million rows take minutes, not the
    quarter of an hour of building each row in Python for COPY. `setseed` makes
    them depend on the seed only."""
    db.session.execute(
        text(
            "CREATE TEMPORARY TABLE synthetic_plan (learner_id integer, n integer, "
            "since timestamptz, window_s double precision) ON COMMIT DROP"
        )
    )
    _bulk("synthetic_plan", ("learner_id", "n", "since", "window_s"),
          _attempt_plan(rng, plan, now))  # fmt: skip
    db.session.execute(text("SELECT setseed(:seed)"), {"seed": rng.random() * 2 - 1})
    defaults = _copy_defaults(
        "attempts",
        (
            "client_id",
            "learner_id",
            "item_version_id",
            "response",
            "score",
            "result",
            "time_ms",
            "created_at",
        ),
    )
    extra = "".join(f", {name}" for name in defaults)
    extra_values = "".join(f", :default_{name}" for name in defaults)
    # Box-Muller for the log-normal answer time (random_normal() is PostgreSQL 16).
    with _without_indexes("attempts"):
        result = db.session.execute(
            text(
                # Column names come from the model, values are bound (S608/B608 reviewed).
                "INSERT INTO attempts (client_id, learner_id, item_version_id, response, "  # noqa: S608  # nosec B608
                f"score, result, time_ms, created_at{extra}) "
                "SELECT 'syn-' || :salt || '-' || p.learner_id || '-' || i, p.learner_id, "
                "(:items)[1 + floor(random() * :n_items)::int], '{}', "
                "round(random()::numeric, 2), '{}', "
                "exp(10.4 + 0.6 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))"
                "::int, p.since + random() * p.window_s * interval '1 second'"
                f"{extra_values} "
                "FROM synthetic_plan p CROSS JOIN LATERAL generate_series(0, p.n - 1) i"
            ),
            {
                "salt": str(salt),
                "items": items,
                "n_items": len(items),
                **{f"default_{k}": v for k, v in defaults.items()},
            },
        )
    return int(cast("CursorResult[Any]", result).rowcount)  # an INSERT


def _progress(rng: random.Random, plan: list[tuple[int, datetime, datetime | None]],
              items: list[int], now: datetime) -> dict[str, int]:  # fmt: skip
    homework: list[tuple[Any, ...]] = []
    levels: list[tuple[Any, ...]] = []
    exams: list[tuple[Any, ...]] = []
    outcomes: list[tuple[Any, ...]] = []
    for learner_id, enrolled, _erased in plan:
        if rng.random() < 0.3:
            for _ in range(3):
                due = enrolled + timedelta(days=rng.randint(7, 200))
                done = due - timedelta(days=1) if rng.random() < 0.6 else None
                homework.append((learner_id, "Devoir", [rng.choice(items)], due.date(),
                                 enrolled, done if done and done < now else None))  # fmt: skip
        if rng.random() < 0.6:
            entry = rng.randint(0, 2)
            levels.append(
                (learner_id, None, LEVELS[entry], "ofii", enrolled.date(), enrolled)
            )
            later = enrolled + timedelta(days=rng.randint(90, 400))
            if rng.random() < 0.5 and later < now:
                skill = rng.choice(("CO", "CE", "EE", "EO", None))
                gain = min(entry + rng.randint(0, 2), len(LEVELS) - 1)
                source = rng.choice(("tcf", "tef", "delf"))
                levels.append(
                    (learner_id, skill, LEVELS[gain], source, later.date(), later)
                )
        if rng.random() < 0.2:
            at = enrolled + timedelta(days=rng.randint(30, 300))
            if at < now:
                exams.append((learner_id, "csp", [], [], at, at + timedelta(minutes=40),
                              max(0, min(40, int(rng.gauss(30, 5))))))  # fmt: skip
        for kind, share in (
            ("certification", 0.05),
            ("civic_exam", 0.05),
            ("residence_card", 0.03),
        ):
            at = enrolled + timedelta(days=rng.randint(90, 500))
            if rng.random() < share and at < now:
                level = rng.choice(("A2", "B1")) if kind == "certification" else None
                outcomes.append((learner_id, kind, level, at.date(), at))
    return {
        "assignments": _bulk(
            "assignments",
            ("learner_id", "title", "item_version_ids", "due_on", "created_at",
             "completed_at"),
            homework, json_columns=("item_version_ids",),
        ),
        "external_levels": _bulk(
            "external_levels",
            ("learner_id", "skill", "level", "source", "taken_on", "recorded_at"),
            levels,
        ),
        "civic_exams": _bulk(
            "civic_exams",
            ("learner_id", "mention", "questions", "answers", "started_at",
             "submitted_at", "score"),
            exams, json_columns=("questions", "answers"),
        ),
        "outcomes": _bulk(
            "learner_outcomes",
            ("learner_id", "kind", "level", "obtained_on", "recorded_at"),
            outcomes,
        ),
    }  # fmt: skip
