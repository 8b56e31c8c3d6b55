"""offline mode for practice sets

Written by hand: sets gain the mode "offline" (a pack downloaded to practise without
a connection; its answers arrive later through the synchronisation endpoint). The
mode is a VARCHAR with a CHECK constraint, which Alembic does not compare, so the
constraint is replaced explicitly (batch mode rebuilds the table on SQLite).

Revision ID: b8c4d2e6f013
Revises: 56505e09f5e2
Create Date: 2026-12-02 14:00:00

"""
from alembic import op


revision = 'b8c4d2e6f013'
down_revision = '56505e09f5e2'
branch_labels = None
depends_on = None

OLD = "mode IN ('level', 'theme', 'homework', 'placement', 'mock', 'track')"
NEW = "mode IN ('level', 'theme', 'homework', 'placement', 'mock', 'track', 'offline')"


def upgrade():
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', NEW)


def downgrade():
    # The answers given offline stay (attempts keep their item version); they only
    # lose their set, as when any set is deleted.
    op.execute(
        "UPDATE attempts SET set_id = NULL WHERE set_id IN "
        "(SELECT id FROM practice_sets WHERE mode = 'offline')"
    )
    op.execute("DELETE FROM practice_sets WHERE mode = 'offline'")
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', OLD)
