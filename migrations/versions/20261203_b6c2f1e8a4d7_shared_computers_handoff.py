"""shared computers get a name and a last-seen time; hand-off tokens to the phone

Written by hand. `shared_computers` gains `label` (the name the referent gives the
computer, « MESA – poste 3 »; earlier rows get an empty one) and `last_seen_at` (the
last sign-in on it). `handoff_tokens` keeps the hash of the single-use code a learner
signed in on a shared computer shows as a QR code to continue on their phone (valid
two minutes; `used_at` set when it signs in).

Revision ID: b6c2f1e8a4d7
Revises: 5e1f0b7c9d24
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b6c2f1e8a4d7'
down_revision = '5e1f0b7c9d24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shared_computers', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'label', sa.String(length=80), nullable=False, server_default='',
        ))
        batch_op.add_column(
            sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        'handoff_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_handoff_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_handoff_tokens_token_hash')),
    )
    with op.batch_alter_table('handoff_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('handoff_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_tokens_user_id'))
    op.drop_table('handoff_tokens')
    with op.batch_alter_table('shared_computers', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('label')
