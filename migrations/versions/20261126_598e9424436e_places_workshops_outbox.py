"""places, availability, workshops and weekly series, outbox, volunteers' voices

Reviewed by hand:
- new NOT NULL columns get a server default so that existing rows stay valid
  (empty JSON lists, false booleans); a session's `slot` is filled from its uid;
- on PostgreSQL the tutor's exclusion constraint is rebuilt so that the rows of
  one workshop (same slot) may share a time, and a room gets the same rule;
  the learner's constraint is unchanged;
- downgrading deletes group workshops (the old schema has one learner per time).

Revision ID: 598e9424436e
Revises: bc2a9e00123e
Create Date: 2026-11-26 16:30:53.140745

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '598e9424436e'
down_revision = 'bc2a9e00123e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=False),
    sa.Column('accessibility', sa.String(length=200), nullable=False),
    sa.Column('opening_hours', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_places_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_structure_id'), ['structure_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('email', 'sms', 'app', name='channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_user_id'), ['user_id'], unique=False)

    op.create_table('voice_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='voice_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_voice_recordings_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_voice_recordings_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_recordings'))
    )
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voice_recordings_item_id'), ['item_id'], unique=False)

    op.create_table('availabilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_availabilities_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_availabilities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availabilities'))
    )
    with op.batch_alter_table('availabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_availabilities_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_availabilities_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('video_ok', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('same_sex_tutor', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('reads_latin', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('tutor_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('video_ok', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('levels', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('non_readers', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('workshops', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('sex', sa.Enum('female', 'male', name='sex', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('away_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('away_until', sa.Date(), nullable=True))

    with op.batch_alter_table('tutoring_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slot', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('series', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('workshop', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('video_url', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('skills', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('themes', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('change_request', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('change_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('changed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('change_reason', sa.String(length=300), nullable=True))
        batch_op.alter_column('pairing_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_series'), ['series'], unique=False)
        batch_op.create_index(batch_op.f('ix_tutoring_sessions_slot'), ['slot'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tutoring_sessions_place_id_places'), 'places', ['place_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_tutoring_sessions_changed_by_id_users'), 'users', ['changed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_tutoring_sessions_assignment_id_assignments'), 'assignments', ['assignment_id'], ['id'], ondelete='SET NULL')

    op.execute("UPDATE tutoring_sessions SET slot = uid")
    with op.batch_alter_table('tutoring_sessions', schema=None) as batch_op:
        batch_op.alter_column('slot', existing_type=sa.String(length=64), nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE tutoring_sessions DROP CONSTRAINT tutoring_sessions_tutor_no_overlap")
        for column, name in (("tutor_id", "tutor"), ("place_id", "room")):
            op.execute(
                f"ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_{name}_no_overlap "
                f"EXCLUDE USING gist ({column} WITH =, slot WITH <>, "
                "tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'scheduled'"
                + (" AND place_id IS NOT NULL)" if name == "room" else ")")
            )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_calendar_token_hash'), ['calendar_token_hash'])



def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE tutoring_sessions DROP CONSTRAINT tutoring_sessions_room_no_overlap")
        op.execute("ALTER TABLE tutoring_sessions DROP CONSTRAINT tutoring_sessions_tutor_no_overlap")
        op.execute("DELETE FROM tutoring_sessions WHERE workshop IS NOT NULL OR pairing_id IS NULL")
        op.execute(
            "ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_tutor_no_overlap "
            "EXCLUDE USING gist (tutor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (status = 'scheduled')"
        )
    else:
        op.execute("DELETE FROM tutoring_sessions WHERE workshop IS NOT NULL OR pairing_id IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_calendar_token_hash'), type_='unique')
        batch_op.drop_column('calendar_token_hash')

    with op.batch_alter_table('tutoring_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tutoring_sessions_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tutoring_sessions_changed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tutoring_sessions_place_id_places'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_slot'))
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_series'))
        batch_op.drop_index(batch_op.f('ix_tutoring_sessions_place_id'))
        batch_op.alter_column('pairing_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('change_reason')
        batch_op.drop_column('changed_by_id')
        batch_op.drop_column('change_requested_at')
        batch_op.drop_column('change_request')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('assignment_id')
        batch_op.drop_column('themes')
        batch_op.drop_column('skills')
        batch_op.drop_column('video_url')
        batch_op.drop_column('place_id')
        batch_op.drop_column('workshop')
        batch_op.drop_column('series')
        batch_op.drop_column('slot')

    with op.batch_alter_table('tutor_profiles', schema=None) as batch_op:
        batch_op.drop_column('away_until')
        batch_op.drop_column('away_from')
        batch_op.drop_constraint(op.f('ck_tutor_profiles_sex'), type_='check')
        batch_op.drop_column('sex')
        batch_op.drop_column('workshops')
        batch_op.drop_column('non_readers')
        batch_op.drop_column('levels')
        batch_op.drop_column('video_ok')
        batch_op.drop_column('place_ids')

    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('reads_latin')
        batch_op.drop_column('same_sex_tutor')
        batch_op.drop_column('video_ok')
        batch_op.drop_column('place_ids')

    with op.batch_alter_table('availabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_availabilities_user_id'))
        batch_op.drop_index(batch_op.f('ix_availabilities_learner_id'))

    op.drop_table('availabilities')
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voice_recordings_item_id'))

    op.drop_table('voice_recordings')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_sent_at'))

    op.drop_table('outbox')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_structure_id'))

    op.drop_table('places')
