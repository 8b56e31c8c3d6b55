"""Every schema change is a migration: upgrading an empty database matches the models."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import base_config
from tests.services import postgres_database
from tutoring import PROJECT_ROOT, create_app
from tutoring.core.extensions import db
from tutoring.core.migrations import migrations


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database on the same server as the suite's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    with postgres_database(database_url, f"migrations_{uuid.uuid4().hex[:8]}") as new:
        yield new


def test_migrations_build_exactly_the_models(empty_database_url):
    app = create_app(base_config(empty_database_url))
    migrations(app)  # Flask-Migrate is bound on demand (the CLI does it itself)
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        _enum_checks_match(db)
        downgrade(directory=str(PROJECT_ROOT / "migrations"), revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_migration_files_are_dated_and_named():
    files = sorted((PROJECT_ROOT / "migrations" / "versions").glob("*.py"))
    assert files
    for path in files:
        date, _rev, *slug = path.stem.split("_")
        assert len(date) == 8, path.name
        assert date.isdigit(), path.name
        assert slug, path.name


def _enum_checks_match(db) -> None:
    """Alembic does not compare CHECK constraints: compare enum values by hand."""
    from sqlalchemy import Enum, inspect

    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        checks = {
            c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)
        }
        for column in table.columns:
            if isinstance(column.type, Enum):
                name = f"ck_{table.name}_{column.type.name}"
                assert name in checks, name
                for value in column.type.enums:
                    assert f"'{value}'" in checks[name], (name, value)


def test_the_rollup_migration_fills_what_a_rebuild_computes(empty_database_url):
    """Upgrading a database that already holds activity fills `learner_years`,
    `tutor_months`, `learner_levels` and the first pairing exactly as
    `flask indicators rebuild` does."""
    from tutoring.demo.synthetic import generate
    from tutoring.indicators.rollups import rebuild_all

    queries = {
        "learner_years": "SELECT learner_id, year, attempts, time_ms, practised, "
        "attended, minutes, tutored FROM learner_years ORDER BY 1, 2",
        "tutor_months": "SELECT tutor_id, month, public_category, partner_id, held, "
        "cancelled, missed, volunteer_minutes, learner_minutes FROM tutor_months "
        "ORDER BY 1, 2, 3, 4",
        "learner_levels": "SELECT * FROM learner_levels ORDER BY learner_id",
        "first_pairings": "SELECT id, first_paired_at FROM learner_profiles "
        "WHERE first_paired_at IS NOT NULL ORDER BY id",
    }

    def snapshot():
        return {
            name: [tuple(str(v) for v in row) for row in db.session.execute(text(sql))]
            for name, sql in queries.items()
        }

    directory = str(PROJECT_ROOT / "migrations")
    app = create_app(base_config(empty_database_url))
    migrations(app)  # Flask-Migrate is bound on demand (the CLI does it itself)
    with app.app_context():
        upgrade(directory=directory)
        generate(60, seed=3)
        rebuild_all()
        db.session.commit()
        rebuilt = snapshot()
        assert all(rebuilt.values()), "the synthetic data fills every rollup"
        db.session.remove()
        downgrade(directory=directory, revision="1c2d55757e1e")
        upgrade(directory=directory)
        assert snapshot() == rebuilt
        db.session.remove()
        db.engine.dispose()
