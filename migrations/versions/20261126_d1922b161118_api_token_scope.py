"""api_tokens.scope: the indicator groups a token may read

Written by hand. `scope` is a JSON list of indicator group keys ("beneficiaries",
"sessions", "pairings", "practice", "progress", "exams", "outcomes", "trend"),
or NULL for every indicator. Existing tokens get NULL and so keep reading every
indicator, as before; no server default is needed. The downgrade drops the column,
so every token reads everything again.

Revision ID: d1922b161118
Revises: 5aeeb6a22c43
Create Date: 2026-11-26 19:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd1922b161118'
down_revision = '5aeeb6a22c43'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scope')
