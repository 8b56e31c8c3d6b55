"""outbox.content and outbox.locale: messages kept as catalog keys and values

Written by hand. A notice or a reminder is now kept as its catalog keys and values
(`content`, JSON) and written in the reader's language when it is read, or in the
recipient's language when it is sent. `locale` is the language of the text stored
beside it (subject, body: the rendering at queuing time).

Rows queued before the upgrade have no keys: they keep their text, shown as it was
written, and `locale` is filled with the recipient's language (the one the text was
written in), so that pages mark it with the right `lang` and direction. The
downgrade drops both columns; the stored text stays.

Revision ID: a7e3d95c41b8
Revises: 7a2d4c9e1f60
Create Date: 2026-12-02 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7e3d95c41b8'
down_revision = '7a2d4c9e1f60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=12), nullable=True))
    op.execute(
        "UPDATE outbox SET locale = (SELECT users.locale FROM users "
        "WHERE users.id = outbox.user_id) WHERE outbox.user_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('locale')
        batch_op.drop_column('content')
