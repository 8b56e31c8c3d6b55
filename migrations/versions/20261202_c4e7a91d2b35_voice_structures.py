"""voice_recordings.structure_id, and file_name unique: voices moderated and heard
per structure, approved ones served under their random file name

Written by hand. A recording belongs to its recorder's structure: the volunteer's
(tutor_profiles.structure_id), else the account's (users.structure_id); for a
recording whose author was erased, the structure of the referent who decided it.
A row none of these names keeps NULL: no referent moderates it and no learner
hears it. File names were always random (uuid4), so the unique constraint holds on
existing rows. The downgrade drops both; voices are then shared again.

Revision ID: c4e7a91d2b35
Revises: 7e41c2b9d850
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e7a91d2b35'
down_revision = '7e41c2b9d850'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('structure_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_voice_recordings_structure_id'), ['structure_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_voice_recordings_structure_id_structures'), 'structures', ['structure_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_voice_recordings_file_name'), ['file_name'])

    op.execute(
        """
        UPDATE voice_recordings SET structure_id = COALESCE(
            (SELECT tutor_profiles.structure_id FROM tutor_profiles
              WHERE tutor_profiles.user_id = voice_recordings.recorded_by_id),
            (SELECT users.structure_id FROM users
              WHERE users.id = voice_recordings.recorded_by_id),
            (SELECT users.structure_id FROM users
              WHERE users.id = voice_recordings.decided_by_id)
        )
        """
    )


def downgrade():
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_voice_recordings_file_name'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_voice_recordings_structure_id_structures'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_voice_recordings_structure_id'))
        batch_op.drop_column('structure_id')
