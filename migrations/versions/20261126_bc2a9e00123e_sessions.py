"""tutoring sessions

Reviewed by hand: on PostgreSQL, two exclusion constraints (btree_gist) make it
impossible to book a tutor or a learner twice at overlapping times for scheduled
sessions; other databases rely on the booking service's serialised check. The
extension needs a role allowed to create it (or an administrator creating it once).

Revision ID: bc2a9e00123e
Revises: 2d24267b9019
Create Date: 2026-11-26 15:44:48.985246

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bc2a9e00123e'
down_revision = '2d24267b9019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tutoring_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('tutor_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', 'held', name='session_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('attendance', sa.Enum('present', 'excused', 'absent', name='attendance', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('note_for_learner', sa.Text(), nullable=True),
    sa.Column('note_for_referent', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_tutoring_sessions_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_tutoring_sessions_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_tutoring_sessions_pairing_id_pairings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tutor_id'], ['users.id'], name=op.f('fk_tutoring_sessions_tutor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tutoring_sessions')),
    sa.UniqueConstraint('uid', name=op.f('uq_tutoring_sessions_uid'))
    )
    with op.batch_alter_table('tutoring_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_pairing_id'), ['pairing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_tutor_id'), ['tutor_id'], unique=False)



    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for column in ("tutor_id", "learner_id"):
            who = column.removesuffix("_id")
            op.execute(
                f"ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_{who}_no_overlap "
                f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'scheduled')"
            )


def downgrade():
    with op.batch_alter_table('tutoring_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_tutor_id'))
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_pairing_id'))
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_learner_id'))

    op.drop_table('tutoring_sessions')
