"""« Mon parcours » answers and the certificate kind of a recorded outcome

Written by hand. `parcours_answers` keeps a learner's answers to the « Mon parcours »
questions (each may stay unknown) and the referent's correction. A certification
recorded as an outcome now says whether it is a test (TCF, TEF: counts two years)
or a diploma (DELF, DALF, brevet, CAP…); earlier rows have none.

Revision ID: 5e1f0b7c9d24
Revises: e5b7d3a91c26
Create Date: 2026-12-02 11:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1f0b7c9d24'
down_revision = 'e5b7d3a91c26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'parcours_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('card', sa.String(length=16), nullable=True),
        sa.Column('schooling', sa.Boolean(), nullable=True),
        sa.Column('diploma', sa.Boolean(), nullable=True),
        sa.Column('protection', sa.String(length=16), nullable=True),
        sa.Column('over_65', sa.Boolean(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('override_level', sa.String(length=8), nullable=True),
        sa.Column('override_civic', sa.String(length=16), nullable=True),
        sa.Column('override_note', sa.Text(), nullable=True),
        sa.Column('override_by_id', sa.Integer(), nullable=True),
        sa.Column('override_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_parcours_answers_learner_id_learner_profiles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['override_by_id'], ['users.id'], name=op.f('fk_parcours_answers_override_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_parcours_answers')),
        sa.UniqueConstraint('learner_id', name=op.f('uq_parcours_answers_learner_id')),
    )
    with op.batch_alter_table('learner_outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate', sa.String(length=12), nullable=True))


def downgrade():
    with op.batch_alter_table('learner_outcomes', schema=None) as batch_op:
        batch_op.drop_column('certificate')
    op.drop_table('parcours_answers')
