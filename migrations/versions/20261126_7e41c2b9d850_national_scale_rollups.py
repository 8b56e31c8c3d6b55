"""National-scale rollups: learner_years, tutor_months, learner_levels, first pairing

Written by hand. Four summaries so that a full year of the CTAI indicators reads
about one row per learner instead of every session and month row:

- `learner_years`: per learner and calendar year (Millau time), attempts, practice
  time, attended sessions and minutes, and the months of practice and of tutoring as
  bits (bit m-1 for month m), and a copy of the learner's public, partner, sex,
  age band and arrival year (breakdowns and filters read this table alone). Filled
  here from `practice_months`, `session_months` and `learner_profiles`; a row means
  some activity that year.
- `tutor_months`: per volunteer, calendar month and filter on learners (every
  learner: public '' and partner 0; one public; one partner; both), meetings held
  (a learner present), cancelled, places missed, volunteer minutes (scheduled
  length of the meetings held) and the minutes attended by learners; a group
  workshop is one meeting (`slot`). `tutor_id` has no foreign key: the hours of a
  volunteer whose account is deleted still count, like `session_months` keeps
  erased learners'. Filled in Python on both databases (the same rule as
  `meeting_cells`; a town's data, not a national one, goes through this).
- `learner_levels`: per learner, the first and latest outside level per skill (as
  ranks: A1.1 = 1 … C2 = 7, 0 outside the scale) and the date of the latest record.
- `learner_profiles.first_paired_at`: when a volunteer first accepted a pairing
  (status active or ended), for the waiting list.

The listeners of `tutoring.models.indicators` keep them current from now on, and
`flask indicators rebuild` recomputes them. The fills below repeat that logic in
SQL (and in Python on SQLite, which does not know Millau's time zone) rather than
import application code that later revisions may change.

Revision ID: 7e41c2b9d850
Revises: 1c2d55757e1e
Create Date: 2026-11-26 20:00:00

"""
from collections import defaultdict
from datetime import date, datetime, timezone
from itertools import groupby
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


revision = '7e41c2b9d850'
down_revision = '1c2d55757e1e'
branch_labels = None
depends_on = None

ZONE = ZoneInfo("Europe/Paris")
SKILLS = ("co", "ce", "ee", "eo")
RANKS = {"A1.1": 1, "A1": 2, "A2": 3, "B1": 4, "B2": 5, "C1": 6, "C2": 7}


def upgrade():
    op.create_table('learner_years',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('time_ms', sa.Integer(), nullable=False),
    sa.Column('practised', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('tutored', sa.Integer(), nullable=False),
    sa.Column('public_category', sa.String(length=20), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('sex', sa.String(length=20), nullable=True),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('arrival_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_learner_years_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', 'year', name=op.f('pk_learner_years'))
    )
    with op.batch_alter_table('learner_years', schema=None) as batch_op:
        batch_op.create_index('ix_learner_years_year_learner', ['year', 'learner_id'], unique=False)

    op.create_table('tutor_months',
    sa.Column('tutor_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('public_category', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.Column('volunteer_minutes', sa.Integer(), nullable=False),
    sa.Column('learner_minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tutor_id', 'month', 'public_category', 'partner_id', name=op.f('pk_tutor_months'))
    )
    with op.batch_alter_table('tutor_months', schema=None) as batch_op:
        batch_op.create_index('ix_tutor_months_filter_month', ['public_category', 'partner_id', 'month'], unique=False)

    op.create_table('learner_levels',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('last_on', sa.Date(), nullable=False),
    *(sa.Column(f'{kind}_{skill}', sa.Integer(), nullable=True)
      for skill in SKILLS for kind in ('entry', 'latest')),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_learner_levels_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_learner_levels'))
    )
    with op.batch_alter_table('learner_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learner_levels_last_on'), ['last_on'], unique=False)

    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_paired_at', sa.DateTime(timezone=True), nullable=True))

    _fill_learner_years()
    _fill_tutor_months()
    _fill_learner_levels()
    op.execute(
        "UPDATE learner_profiles SET first_paired_at = ("
        "SELECT min(p.responded_at) FROM pairings p "
        "WHERE p.learner_id = learner_profiles.id "
        "AND p.status IN ('active', 'ended') AND p.responded_at IS NOT NULL)"
    )


def _fill_learner_years():
    if op.get_bind().dialect.name == "postgresql":
        year = "CAST(extract(year FROM month) AS integer)"
        bit = "1 << (CAST(extract(month FROM month) AS integer) - 1)"
    else:
        year = "CAST(strftime('%Y', month) AS integer)"
        bit = "1 << (CAST(strftime('%m', month) AS integer) - 1)"
    op.execute(
        "INSERT INTO learner_years (learner_id, year, attempts, time_ms, "
        "practised, attended, minutes, tutored, public_category, partner_id, "
        "sex, age_band, arrival_year) "
        "SELECT y.*, l.public_category, l.partner_id, l.sex, l.age_band, "
        "l.arrival_year FROM ("
        " SELECT learner_id, year, sum(attempts), sum(time_ms), sum(practised),"
        " sum(attended), sum(minutes), sum(tutored) FROM ("
        f"  SELECT learner_id, {year} AS year, attempts, time_ms, {bit} AS practised,"
        "  0 AS attended, 0 AS minutes, 0 AS tutored FROM practice_months"
        "  UNION ALL"
        f"  SELECT learner_id, {year}, 0, 0, 0, attended, minutes, {bit}"
        "  FROM session_months"
        " ) months GROUP BY learner_id, year"
        ") y JOIN learner_profiles l ON l.id = y.learner_id"
    )


def _fill_tutor_months():
    """Per volunteer, month and filter key ('' / 0: every public / partner), as
    `tutoring.models.indicators.meeting_cells` computes it."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT s.tutor_id, s.slot, s.status, s.attendance, s.minutes, s.starts_at, "
        "s.ends_at, l.public_category, l.partner_id FROM tutoring_sessions s "
        "JOIN learner_profiles l ON l.id = s.learner_id"
    ))
    # held, cancelled, missed, scheduled minutes if held, learner minutes
    meetings = defaultdict(lambda: [0, 0, 0, None, 0])
    for tutor_id, slot, status, attendance, minutes, starts_at, ends_at, public, partner in rows:
        starts, ends = _instant(starts_at), _instant(ends_at)
        month = starts.astimezone(ZONE).date().replace(day=1)
        keys = {("", 0), (public or "", 0)}
        if partner is not None:
            keys |= {("", partner), (public or "", partner)}
        for key in keys:
            meeting = meetings[(tutor_id, month, *key, slot)]
            if status == "held":
                if attendance == "present":
                    meeting[0] = 1
                    meeting[4] += minutes or 0
                elif attendance in ("absent", "excused"):
                    meeting[2] += 1
                length = (ends - starts).total_seconds() / 60
                meeting[3] = max(meeting[3] or 0, length)
            elif status == "cancelled":
                meeting[1] = 1
    cells = defaultdict(lambda: [0, 0, 0, 0.0, 0, False])
    for (tutor_id, month, public, partner, _slot), meeting in meetings.items():
        cell = cells[(tutor_id, month, public, partner)]
        for i in (0, 1, 2, 4):
            cell[i] += meeting[i]
        cell[3] += meeting[3] or 0
        cell[5] = cell[5] or meeting[3] is not None
    table = sa.table(
        "tutor_months", sa.column("tutor_id"), sa.column("month", sa.Date),
        sa.column("public_category"), sa.column("partner_id"),
        sa.column("held"), sa.column("cancelled"), sa.column("missed"),
        sa.column("volunteer_minutes"), sa.column("learner_minutes"),
    )
    rows = [
        {"tutor_id": k[0], "month": k[1], "public_category": k[2], "partner_id": k[3],
         "held": v[0], "cancelled": v[1], "missed": v[2],
         "volunteer_minutes": round(v[3]), "learner_minutes": v[4]}
        for k, v in cells.items() if v[0] or v[1] or v[2] or v[5]
    ]
    for start in range(0, len(rows), 10_000):
        op.bulk_insert(table, rows[start:start + 10_000])


def _instant(value):
    """A stored UTC instant (text on SQLite) as an aware datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _day(value):
    """A stored date (text on SQLite) as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _fill_learner_levels():
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT learner_id, skill, level, taken_on FROM external_levels "
        "ORDER BY learner_id, taken_on, id"
    ))
    learners = []
    for learner_id, group in groupby(rows, key=lambda row: row[0]):
        records = [(r[0], r[1], r[2], _day(r[3])) for r in group]
        values = {"learner_id": learner_id, "last_on": max(r[3] for r in records)}
        for _learner, skill, level, _taken_on in records:
            rank = RANKS.get(level, 0)
            for code in (skill.lower(),) if skill else SKILLS:
                values.setdefault(f"entry_{code}", rank)
                values[f"latest_{code}"] = rank
        learners.append({
            "entry_co": None, "latest_co": None, "entry_ce": None, "latest_ce": None,
            "entry_ee": None, "latest_ee": None, "entry_eo": None, "latest_eo": None,
            **values,
        })
    table = sa.table(
        "learner_levels", sa.column("learner_id"), sa.column("last_on", sa.Date),
        *(sa.column(f"{kind}_{skill}") for skill in SKILLS for kind in ("entry", "latest")),
    )
    for start in range(0, len(learners), 10_000):
        op.bulk_insert(table, learners[start:start + 10_000])


def downgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('first_paired_at')

    with op.batch_alter_table('learner_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learner_levels_last_on'))
    op.drop_table('learner_levels')

    with op.batch_alter_table('tutor_months', schema=None) as batch_op:
        batch_op.drop_index('ix_tutor_months_filter_month')
    op.drop_table('tutor_months')

    with op.batch_alter_table('learner_years', schema=None) as batch_op:
        batch_op.drop_index('ix_learner_years_year_learner')
    op.drop_table('learner_years')
