"""TCF mock: recordings played once, the speaking part live with a tutor

Written by hand. `mock_audio_plays` keeps which recording of a mock exam section
was served (once per position, as in the test). `language_exams` gains the live
speaking part: the learner's choice, the three prompts drawn by the tutor, the marks
and who gave them. Existing exams keep the recorded speaking part (false).

Revision ID: e5b7d3a91c26
Revises: a7d3f9c1b2e5
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b7d3a91c26'
down_revision = 'a7d3f9c1b2e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mock_audio_plays',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('played_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_id'], ['practice_sets.id'], name=op.f('fk_mock_audio_plays_set_id_practice_sets'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_audio_plays')),
        sa.UniqueConstraint('set_id', 'position', name=op.f('uq_mock_audio_plays_set_id')),
    )
    with op.batch_alter_table('mock_audio_plays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mock_audio_plays_set_id'), ['set_id'], unique=False)
    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaking_live', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('live_item_version_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('live_marks', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('live_tutor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_language_exams_live_tutor_id_users'), 'users', ['live_tutor_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_language_exams_live_tutor_id_users'), type_='foreignkey')
        batch_op.drop_column('live_tutor_id')
        batch_op.drop_column('live_marks')
        batch_op.drop_column('live_item_version_ids')
        batch_op.drop_column('speaking_live')
    with op.batch_alter_table('mock_audio_plays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mock_audio_plays_set_id'))
    op.drop_table('mock_audio_plays')
