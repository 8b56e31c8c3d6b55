"""language_exams.passed_co/ce/ee/eo: the outcome of a mock French exam per skill

Written by hand. Each column says whether the section's estimated level reached the
exam's target level (`tutoring.services.exams.language_results`), stored when the
exam finishes and again when a tutor marks one of its productions; NULL while the
exam is not finished or a production of that section waits for a tutor. The rule
needs the learner model's estimate (an a posteriori mean over a grid, in Python), so
it cannot be computed here in SQL: exams finished before this revision stay NULL
until `flask indicators language-exams` fills them (run it once after upgrading; it
only touches exams without an outcome). The columns are nullable booleans, no
server default: NULL is the honest value for "not known yet".

Revision ID: 1c2d55757e1e
Revises: d1922b161118
Create Date: 2026-11-26 19:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1c2d55757e1e'
down_revision = 'd1922b161118'
branch_labels = None
depends_on = None

COLUMNS = ('passed_co', 'passed_ce', 'passed_ee', 'passed_eo')


def upgrade():
    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('language_exams', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
