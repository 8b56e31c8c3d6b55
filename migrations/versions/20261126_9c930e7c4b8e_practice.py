"""practice: item versions, sets, attempts, submissions, homework

Reviewed by hand: attempts and sets belong to the learner profile (pseudonymous), so
erasing a learner keeps anonymous activity; item versions are never deleted while an
attempt points at them.

Revision ID: 9c930e7c4b8e
Revises: 4f9444a7d622
Create Date: 2026-11-26 14:30:08.329020

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c930e7c4b8e'
down_revision = '4f9444a7d622'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('skill', sa.String(length=4), nullable=False),
    sa.Column('theme', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_versions')),
    sa.UniqueConstraint('item_id', 'version', name=op.f('uq_item_versions_item_id'))
    )
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_versions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_versions_level'), ['level'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('item_version_ids', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_assignments_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_learner_id'), ['learner_id'], unique=False)

    op.create_table('practice_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.Enum('level', 'theme', 'homework', name='set_mode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('theme', sa.String(length=32), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('item_version_ids', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_practice_sets_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_practice_sets_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sets'))
    )
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sets_learner_id'), ['learner_id'], unique=False)

    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('item_version_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('time_ms', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_version_id'], ['item_versions.id'], name=op.f('fk_attempts_item_version_id_item_versions')),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_attempts_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_id'], ['practice_sets.id'], name=op.f('fk_attempts_set_id_practice_sets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('client_id', name=op.f('uq_attempts_client_id'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_item_version_id'), ['item_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_set_id'), ['set_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('audio_file', sa.String(length=80), nullable=True),
    sa.Column('audio_mime', sa.String(length=40), nullable=True),
    sa.Column('status', sa.Enum('pending', 'reviewed', name='submission_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_submissions_attempt_id_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_submissions_attempt_id'))
    )
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_level', sa.String(length=8), nullable=True))



def downgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('practice_level')

    op.drop_table('submissions')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_set_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_learner_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_item_version_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_created_at'))

    op.drop_table('attempts')
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sets_learner_id'))

    op.drop_table('practice_sets')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_learner_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_versions_level'))
        batch_op.drop_index(batch_op.f('ix_item_versions_item_id'))

    op.drop_table('item_versions')
