"""Low literacy: learner_profiles.cannot_type, structures.picture_signin,
picture_signins and shared_computers

Written by hand.
- learner_profiles.cannot_type: the referent sets it on the learner's page; practice
  then serves only items answered without a keyboard. Existing learners type
  (server default false).
- structures.picture_signin: picture sign-in is off for every structure until a
  referent or an admin turns it on (server default false).
- picture_signins: a learner's own picture in their structure's list and the argon2
  hash of their picture code; revoked with the card; deleted with the account.
- shared_computers: the hash of the random token a shared computer keeps in a cookie.
The downgrade drops the tables and the columns.

Revision ID: 7a2d4c9e1f60
Revises: 3f6b1c2d8e47
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '7a2d4c9e1f60'
down_revision = '3f6b1c2d8e47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('cannot_type', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('picture_signin', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        'picture_signins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('structure_id', sa.Integer(), nullable=False),
        sa.Column('picture', sa.String(length=32), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['structure_id'], ['structures.id']),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('picture_signins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_picture_signins_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_picture_signins_structure_id'), ['structure_id'], unique=False)
    op.create_table(
        'shared_computers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('structure_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['structure_id'], ['structures.id']),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('shared_computers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_computers_structure_id'), ['structure_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shared_computers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_computers_structure_id'))
    op.drop_table('shared_computers')
    with op.batch_alter_table('picture_signins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_picture_signins_structure_id'))
        batch_op.drop_index(batch_op.f('ix_picture_signins_user_id'))
    op.drop_table('picture_signins')
    with op.batch_alter_table('structures', schema=None) as batch_op:
        batch_op.drop_column('picture_signin')
    with op.batch_alter_table('learner_profiles', schema=None) as batch_op:
        batch_op.drop_column('cannot_type')
