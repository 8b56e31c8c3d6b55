"""progress: item stats, review cards, external levels, target date

Reviewed by hand: review cards and outside levels belong to the learner profile and go
with it; item stats are keyed by the stable item id, shared by all its versions.

Revision ID: eaea5ffe239a
Revises: 9c930e7c4b8e
Create Date: 2026-11-26 14:48:43.035281

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eaea5ffe239a'
down_revision = '9c930e7c4b8e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_stats',
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('adjustment', sa.Float(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_item_stats'))
    )
    op.create_table('external_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=4), nullable=True),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Enum('ofii', 'tcf', 'tef', 'delf', 'other', name='level_source', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_external_levels_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_external_levels_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_levels'))
    )
    with op.batch_alter_table('external_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_levels_learner_id'), ['learner_id'], unique=False)

    op.create_table('review_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_review_cards_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cards')),
    sa.UniqueConstraint('learner_id', 'item_id', name=op.f('uq_review_cards_learner_id'))
    )
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cards_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cards_learner_id'), ['learner_id'], unique=False)

    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_date', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('target_date')

    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cards_learner_id'))
        batch_op.drop_index(batch_op.f('ix_review_cards_due'))

    op.drop_table('review_cards')
    with op.batch_alter_table('external_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_levels_learner_id'))

    op.drop_table('external_levels')
    op.drop_table('item_stats')
