"""a password chosen with a login card goes with the card

Written by hand: users gain `password_from_card`, true when the password was chosen
in a session a login card opened; revoking or reprinting the card removes such a
password. Existing passwords are marked so when the account is a learner's that
had a card: nobody but the learner (signed in by card) could have chosen them, and
the referent could not know of them.

Revision ID: 8d5c2e9b7f31
Revises: 3b8e61f0a2c4
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8d5c2e9b7f31'
down_revision = '3b8e61f0a2c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'password_from_card', sa.Boolean(), nullable=False,
            server_default=sa.false(),
        ))
    op.execute(
        "UPDATE users SET password_from_card = TRUE "
        "WHERE password_hash IS NOT NULL "
        "AND id IN (SELECT user_id FROM login_cards)"
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_from_card')
