"""learner_skill_states, learner_unit_states, learner_states: the learner's state in rows

Written by hand. Per learner and skill the ability estimate (value, standard error,
answers counted, last update); per learner and unit the last scores (mastery); per
learner the review due times, this month's activity and the latest scores. They are
kept current in the same transaction as each answer (tutoring/learning/state.py), so
that the learner's pages read them instead of recomputing them from every attempt.
The upgrade creates them empty: run `flask learning rebuild-state` once after it
(until then the pages compute a missing learner's rows as before). The downgrade
drops the three tables; nothing else depends on them.

Revision ID: a7d3f9c1b2e5
Revises: a7d3e5f1c920
Create Date: 2026-12-02 10:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d3f9c1b2e5'
down_revision = 'a7d3e5f1c920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learner_skill_states',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=4), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('standard_error', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_learner_skill_states_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', 'skill', name=op.f('pk_learner_skill_states'))
    )
    op.create_table('learner_unit_states',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('last_attempt_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_learner_unit_states_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', 'unit', name=op.f('pk_learner_unit_states'))
    )
    with op.batch_alter_table('learner_unit_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learner_unit_states_last_attempt_id'), ['last_attempt_id'], unique=False)
    op.create_table('learner_states',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('review_dues', sa.JSON(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('days_active', sa.Integer(), nullable=False),
    sa.Column('minutes_ms', sa.BigInteger(), nullable=False),
    sa.Column('month_attempts', sa.Integer(), nullable=False),
    sa.Column('last_active', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recent', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_learner_states_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_learner_states'))
    )


def downgrade():
    op.drop_table('learner_states')
    with op.batch_alter_table('learner_unit_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learner_unit_states_last_attempt_id'))
    op.drop_table('learner_unit_states')
    op.drop_table('learner_skill_states')
