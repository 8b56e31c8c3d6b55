"""attempts: one index on (learner_id, item_version_id) instead of learner_id alone

Written by hand. The learner home asks on every visit whether the learner answered
any item of the « Numérique » track (an EXISTS over the track's items). With an index
on learner_id alone, PostgreSQL either walks all the learner's answers or probes each
track item's answers from every learner, both growing with use; with the pair, it is
one short probe per track item. The pair's first column serves every query on
learner_id alone, so the old index goes: an answer still updates one index for the
learner, not two.

Revision ID: c3e9a7d2f415
Revises: b8c4d2e6f013
Create Date: 2026-12-03 11:10:00

"""
from alembic import op


revision = 'c3e9a7d2f415'
down_revision = 'b8c4d2e6f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_attempts_learner_id_item_version_id',
            ['learner_id', 'item_version_id'],
            unique=False,
        )
        batch_op.drop_index(batch_op.f('ix_attempts_learner_id'))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_attempts_learner_id'), ['learner_id'], unique=False
        )
        batch_op.drop_index('ix_attempts_learner_id_item_version_id')
