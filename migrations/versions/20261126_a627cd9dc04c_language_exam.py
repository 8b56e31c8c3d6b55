"""mock language exam

Reviewed by hand: a mock exam in the TCF format is four timed practice sets; sets get
the exam they belong to and a deadline, and the mode "mock" (the CHECK constraint on
the mode is replaced by hand, Alembic does not compare it).

Revision ID: a627cd9dc04c
Revises: 59b5c5e0ef90
Create Date: 2026-11-26 15:12:48.122746

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a627cd9dc04c'
down_revision = '59b5c5e0ef90'
branch_labels = None
depends_on = None

OLD = "mode IN ('level', 'theme', 'homework', 'placement')"
NEW = "mode IN ('level', 'theme', 'homework', 'placement', 'mock')"


def upgrade():
    op.create_table('language_exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['learner_profiles.id'], name=op.f('fk_language_exams_learner_id_learner_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_language_exams'))
    )
    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_language_exams_learner_id'), ['learner_id'], unique=False)

    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_practice_sets_exam_id'), ['exam_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_practice_sets_exam_id_language_exams'), 'language_exams', ['exam_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', NEW)



def downgrade():
    op.execute("DELETE FROM practice_sets WHERE mode = 'mock'")
    with op.batch_alter_table('practice_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_practice_sets_set_mode'), type_='check')
        batch_op.create_check_constraint('set_mode', OLD)
        batch_op.drop_constraint(batch_op.f('fk_practice_sets_exam_id_language_exams'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_practice_sets_exam_id'))
        batch_op.drop_column('deadline')
        batch_op.drop_column('exam_id')

    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_language_exams_learner_id'))

    op.drop_table('language_exams')
