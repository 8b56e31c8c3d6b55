"""learner_profiles.cannot_type: a learner who cannot type yet

Written by hand. The referent sets it on the learner's page; practice then serves
only items answered without a keyboard (pictures, choices, recordings). Existing
learners type (server default false). The downgrade drops the column.

Revision ID: 7a2d4c9e1f60
Revises: 3f6b1c2d8e47
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7a2d4c9e1f60'
down_revision = '3f6b1c2d8e47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('cannot_type', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('cannot_type')
