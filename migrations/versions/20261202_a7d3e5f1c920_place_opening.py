"""places.open_days, opens_at and closes_at: when sessions may happen in a place

Written by hand. A booking in a place is refused outside its opening (the old
free-text `opening_hours` stays, to say it in words). Existing places get every
day open and no hours, which the application reads as its default opening
(08:00 to 21:00, Millau time) until a referent fills them in. The downgrade
drops the three columns.

Revision ID: a7d3e5f1c920
Revises: a7e3d95c41b8
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d3e5f1c920'
down_revision = 'a7e3d95c41b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('open_days', sa.String(length=7), nullable=False,
                      server_default='0123456')
        )
        batch_op.add_column(sa.Column('opens_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')
        batch_op.drop_column('open_days')
