"""user_sessions.device_kind and browser: how an owner recognises a session

Written by hand. Two short words read from the User-Agent when a session starts
("phone", "tablet" or "computer"; "Firefox", "Chrome"...), shown in the list of
the account's sessions on /compte/; the User-Agent itself is never stored.
Sessions opened before the upgrade keep NULL and are shown as an unknown device;
no server default is needed. The downgrade drops both columns.

Revision ID: 3f6b1c2d8e47
Revises: 8d5c2e9b7f31
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3f6b1c2d8e47'
down_revision = '8d5c2e9b7f31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_kind', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('browser', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('browser')
        batch_op.drop_column('device_kind')
