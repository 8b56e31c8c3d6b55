"""« Numérique » track: item versions know their track; practice sets of a track unit

Written by hand. `item_versions.track` says which track an item's unit belongs to
(NULL for the bank's ordinary items): practice, placement and mock exams choose only
items without a track, and the learner model ignores answers to track items. Sets
gain the mode "track" (a track unit's items in order). The mode is a VARCHAR with a
CHECK constraint, which Alembic does not compare, so the constraint is replaced
explicitly (batch mode rebuilds the table on SQLite). No track item exists before
this revision, so there is nothing to fill in.

Revision ID: 56505e09f5e2
Revises: b6c2f1e8a4d7
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '56505e09f5e2'
down_revision = 'b6c2f1e8a4d7'
branch_labels = None
depends_on = None

OLD = "mode IN ('level', 'theme', 'homework', 'placement', 'mock')"
NEW = "mode IN ('level', 'theme', 'homework', 'placement', 'mock', 'track')"


def upgrade():
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('track', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_item_versions_track'), ['track'], unique=False)
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', NEW)


def downgrade():
    op.execute("DELETE FROM practice_sets WHERE mode = 'track'")
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', OLD)
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_versions_track'))
        batch_op.drop_column('track')
