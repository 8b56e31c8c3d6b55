"""placement mode for practice sets

Written by hand: sets gain the mode "placement" (the adaptive placement test). The
mode is a VARCHAR with a CHECK constraint, which Alembic does not compare, so the
constraint is replaced explicitly (batch mode rebuilds the table on SQLite).

Revision ID: a7d3c1f09b42
Revises: e1067352de9d
Create Date: 2026-11-26 15:00:00

"""
from alembic import op


revision = 'a7d3c1f09b42'
down_revision = 'e1067352de9d'
branch_labels = None
depends_on = None

OLD = "mode IN ('level', 'theme', 'homework')"
NEW = "mode IN ('level', 'theme', 'homework', 'placement')"


def upgrade():
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', NEW)


def downgrade():
    op.execute("DELETE FROM practice_sets WHERE mode = 'placement'")
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', OLD)
