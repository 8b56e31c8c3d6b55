"""the last accepted two-factor step, so that a code signs in once

Written by hand: users gain `totp_last_step`, the 30-second step of the last TOTP
code accepted; a code of that step or an earlier one is refused (ASVS 2.8.4). Empty
for every existing account: the next code accepted fills it.

Revision ID: 3b8e61f0a2c4
Revises: c4e7a91d2b35
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3b8e61f0a2c4'
down_revision = 'c4e7a91d2b35'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
