"""session_months: tutoring sessions attended and minutes, per learner and month

Reviewed by hand. `session_months` holds, per learner and calendar month (Millau
time) of the session's start, the sessions held with the learner present and their
minutes, so that whole-month indicators read no raw session rows for learners
tutored, tutoring hours and active learners. It is filled here from the sessions
already stored, then kept current by listeners on session rows (each changed cell is
recounted from the raw rows in the same transaction) and rebuilt by
`flask indicators rebuild`.

Revision ID: 5aeeb6a22c43
Revises: b1050c1fb07d
Create Date: 2026-11-26 18:05:00

"""
from collections import defaultdict
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5aeeb6a22c43'
down_revision = 'b1050c1fb07d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('session_months',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_session_months_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', 'month', name=op.f('pk_session_months'))
    )
    with op.batch_alter_table('session_months', schema=None) as batch_op:
        batch_op.create_index('ix_session_months_month_learner', ['month', 'learner_id'], unique=False)

    _fill_session_months()


def _fill_session_months():
    """Roll up the attended sessions already stored, by learner and Millau month."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "INSERT INTO session_months (learner_id, month, attended, minutes) "
            "SELECT learner_id, "
            "date_trunc('month', starts_at AT TIME ZONE 'Europe/Paris')::date, "
            "count(*), coalesce(sum(minutes), 0) FROM tutoring_sessions "
            "WHERE status = 'held' AND attendance = 'present' GROUP BY 1, 2"
        )
        return
    zone = ZoneInfo("Europe/Paris")
    months = defaultdict(lambda: [0, 0])
    rows = bind.execute(sa.text(
        "SELECT learner_id, starts_at, minutes FROM tutoring_sessions "
        "WHERE status = 'held' AND attendance = 'present'"
    ))
    for learner_id, starts_at, minutes in rows:
        moment = (
            datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else starts_at
        )
        month = moment.replace(tzinfo=timezone.utc).astimezone(zone).date().replace(day=1)
        months[(learner_id, month)][0] += 1
        months[(learner_id, month)][1] += minutes or 0
    table = sa.table(
        "session_months", sa.column("learner_id"), sa.column("month", sa.Date),
        sa.column("attended"), sa.column("minutes"),
    )
    if months:
        op.bulk_insert(table, [
            {"learner_id": k[0], "month": k[1], "attended": v[0], "minutes": v[1]}
            for k, v in months.items()
        ])


def downgrade():
    with op.batch_alter_table('session_months', schema=None) as batch_op:
        batch_op.drop_index('ix_session_months_month_learner')

    op.drop_table('session_months')
