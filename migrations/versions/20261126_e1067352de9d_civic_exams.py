"""mock civic exams

Reviewed by hand: each sitting keeps a copy of its 40 questions (JSON) so that editing
the civic bank never changes a past result; it goes with the learner profile.

Revision ID: e1067352de9d
Revises: eaea5ffe239a
Create Date: 2026-11-26 14:52:31.486008

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1067352de9d'
down_revision = 'eaea5ffe239a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('civic_exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('mention', sa.String(length=8), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_civic_exams_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_civic_exams'))
    )
    with op.batch_alter_table('civic_exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_civic_exams_learner_id'), ['learner_id'], unique=False)



def downgrade():
    with op.batch_alter_table('civic_exams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_civic_exams_learner_id'))

    op.drop_table('civic_exams')
