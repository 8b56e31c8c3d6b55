"""attestations

Reviewed by hand: a progress record keeps a frozen copy of what was printed (JSON)
and a unique verification code; it goes with the learner profile.

Revision ID: 59b5c5e0ef90
Revises: a7d3c1f09b42
Create Date: 2026-11-26 15:02:38.550872

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '59b5c5e0ef90'
down_revision = 'a7d3c1f09b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_attestations_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestations')),
    sa.UniqueConstraint('code', name=op.f('uq_attestations_code'))
    )
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attestations_learner_id'), ['learner_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attestations_learner_id'))

    op.drop_table('attestations')
