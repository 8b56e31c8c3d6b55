"""`make bench-indicators`: CTAI dashboard and API speed for a full year, by size.

Builds synthetic datasets (`flask demo generate`) of growing size on PostgreSQL,
runs VACUUM ANALYZE (as autovacuum would after a load), and measures, in-process
(WSGI test client, no network), the coordinator's dashboard and the API for the year 2026: p50 and p95 over repeated requests.
Not a test: it prints figures for the README's Measurements section.

    BENCH_DATABASE_URL=postgresql+psycopg://…/tutoring_bench \\
        .venv/bin/python -m tests.bench.bench_indicators 1000 10000 [100000]

The database named by BENCH_DATABASE_URL is emptied: never point it at real data.
With BENCH_REUSE=1, a database already holding the synthetic learners of a size is
measured again without being rebuilt (the rollups must be current).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date

from sqlalchemy import text

from tutoring import create_app
from tutoring.accounts.models import Role, User
from tutoring.accounts.passwords import hash_password
from tutoring.core.codes import digest
from tutoring.core.extensions import db
from tutoring.demo.synthetic import generate
from tutoring.indicators.models import ApiToken

TOKEN = "ctai_bench_token_0123456789"
PASSWORD = "une phrase assez longue"
YEAR = "?period=year&value=2026"
API = [
    "/api/v1/indicators/beneficiaries.active" + YEAR,
    "/api/v1/indicators/tutoring.hours" + YEAR,
    "/api/v1/indicators/practice.attempts" + YEAR,
    "/api/v1/indicators/beneficiaries.active_by.public_category" + YEAR,
    "/api/v1/indicators/trend.active?from=2025-10-01&to=2026-11-30",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95


def measure(client, path: str, runs: int) -> list[float]:
    client.get(path)  # warm caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def _built_with(learners: int) -> bool:
    """Whether the database already holds the synthetic data of this size."""
    try:
        return (
            db.session.scalar(text("SELECT count(*) FROM learner_profiles")) == learners
        )
    except Exception:  # noqa: BLE001 - no table yet: build it
        db.session.rollback()
        return False


def run(url: str, learners: int, runs: int) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "REQUIRE_2FA_ROLES": [],
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )
    with app.app_context():
        reuse = os.environ.get("BENCH_REUSE") and _built_with(learners)
        if reuse:
            counts = {"reused": learners}
            built = 0.0
            db.session.execute(text("DELETE FROM api_tokens"))
            db.session.execute(
                text("DELETE FROM users WHERE username = 'bench-coordination'")
            )
        else:
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            counts = generate(learners, seed=42, today=date(2026, 11, 26))
            db.session.commit()
            built = time.perf_counter() - started
        db.session.commit()
        # What autovacuum does to a loaded table: statistics for the planner and
        # the visibility map that lets index-only scans skip the table.
        with db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))  # not racing the writer after
        coordinator = User(
            username="bench-coordination",
            first_name="Coord",
            password_hash=hash_password(PASSWORD),
        )
        coordinator.add_role(Role.COORDINATOR)
        db.session.add(coordinator)
        db.session.add(
            ApiToken(name="bench", prefix=TOKEN[:9], token_hash=digest(TOKEN))
        )
        db.session.commit()
    print(
        f"\n{learners} learners built in {built:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    client = app.test_client()
    client.post(
        "/connexion", data={"login": "bench-coordination", "password": PASSWORD}
    )
    for label, query in (("", ""), (", one public (CIR)", "&category=cir")):
        dashboard = measure(client, "/coordination/" + YEAR + query, runs)
        p50, p95 = percentiles(dashboard)
        print(
            f"  dashboard, year 2026{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"({runs} runs)"
        )
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    samples = [s for path in API for s in measure(api, path, runs)]
    p50, p95 = percentiles(samples)
    print(
        f"  API, year 2026 ({len(API)} indicators): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit(
            "Set BENCH_DATABASE_URL to an empty PostgreSQL database (it is wiped)."
        )
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    runs = int(os.environ.get("BENCH_RUNS", "20"))
    for learners in sizes:
        run(url, learners, runs)


if __name__ == "__main__":
    main()
