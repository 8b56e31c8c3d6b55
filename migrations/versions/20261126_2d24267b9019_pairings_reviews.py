"""pairings and reviews

Reviewed by hand: a pairing links a learner profile and a tutor account (both cascade);
a review belongs to one submission; tutors get languages, a capacity (default 2,
server default for existing rows) and a short bio.

Revision ID: 2d24267b9019
Revises: a627cd9dc04c
Create Date: 2026-11-26 15:18:27.508891

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d24267b9019'
down_revision = 'a627cd9dc04c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('tutor_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'active', 'declined', 'ended', name='pairing_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_pairings_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_pairings_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tutor_id'], ['users.id'], name=op.f('fk_pairings_tutor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairings'))
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_tutor_id'), ['tutor_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('mark', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_reviews_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_reviews_submission_id'))
    )
    with op.batch_alter_table('tutor_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('max_learners', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('bio', sa.String(length=500), nullable=True))



def downgrade():
    with op.batch_alter_table('tutor_profiles', schema=None) as batch_op:
        batch_op.drop_column('bio')
        batch_op.drop_column('max_learners')
        batch_op.drop_column('languages')

    op.drop_table('reviews')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairings_tutor_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_learner_id'))

    op.drop_table('pairings')
