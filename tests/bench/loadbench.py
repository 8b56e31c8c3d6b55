"""`make bench`, second part: the served app under simulated learners (locust).

For one database (SQLite file, or the PostgreSQL of BENCH_DATABASE_URL /
TEST_DATABASE_URL): migrate a fresh database, load the exercise bank and the demo
data, enrol 1,000 learners (bench-0001 ... bench-1000), serve it with gunicorn on
loopback with a throwaway Redis for the rate limits and the session cache (as
deployed; without redis-server, rate limits off), then run locust headless: learners practising at 10, 50 and 200
concurrent users with no pause (capacity), at 50 and 200 also pausing 3 to 8 s
like people reading (paced), and the bare constant endpoint at the same levels.
Prints a table and appends it to tests/bench/bench-results.md (ignored by git).

Run: .venv/bin/python -m tests.bench.loadbench sqlite|postgresql
Settings: BENCH_SECONDS (25 per run), BENCH_USERS ("10,50,200"), BENCH_WORKERS (2),
BENCH_PORT (5810).
"""

from __future__ import annotations

import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

from tests.services import redis_server

HERE = Path(__file__).resolve().parent  # tests/bench
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "une phrase assez longue"
SECONDS = int(os.environ.get("BENCH_SECONDS", "25"))
USERS = [int(u) for u in os.environ.get("BENCH_USERS", "10,50,200").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "5810"))
LEARNERS = 1000
RESULTS = HERE / "bench-results.md"


def server_env(database_url: str, redis: str | None = None) -> dict[str, str]:
    """The server's settings. With `redis`, as deployed (README, *Production
    deployment*): the rate limits' counters and the session cache there, shared by
    the workers. Without it, rate limits off: the app refuses to count failed sign-ins
    in each worker's memory."""
    env = dict(os.environ)
    env.update(
        FLASK_APP="tutoring",
        SECRET_KEY="bench-only-" + "0" * 40,
        DATABASE_URL=database_url,
        SESSION_COOKIE_SECURE="0",  # plain HTTP on loopback
        SITE_URL=f"http://127.0.0.1:{PORT}",
        TRUSTED_HOSTS="127.0.0.1,localhost",
        REQUIRE_2FA_ROLES="",
        UPLOAD_FOLDER=str(Path(tempfile.gettempdir()) / "bench-uploads"),
    )
    if redis:
        env.update(RATELIMIT_STORAGE_URI=redis, SESSION_CACHE_URL=redis)
    else:
        env.update(RATELIMIT_ENABLED="0", SESSION_CACHE_URL="none")
    env.pop("FLASK_DEBUG", None)
    return env


def prepare(database_url: str) -> None:
    """Fresh schema, exercise bank, demo data, then 1,000 enrolled learners."""
    env = server_env(database_url)
    for args in (["db", "upgrade"], ["exercises", "load"], ["demo", "load"]):
        subprocess.run(  # noqa: S603 - the venv's own flask, fixed arguments
            [str(BIN / "flask"), *args], env=env, check=True, cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    os.environ.update(
        {k: env[k] for k in ("SECRET_KEY", "DATABASE_URL", "SITE_URL", "TRUSTED_HOSTS")}
    )
    os.environ["SESSION_COOKIE_SECURE"] = "0"
    from tutoring import create_app
    from tutoring.accounts.enrolment import LearnerData, enrol_learner
    from tutoring.accounts.models import Role, User
    from tutoring.accounts.passwords import hash_password
    from tutoring.accounts.profiles import FrenchGoal, PublicCategory
    from tutoring.core.extensions import db

    app = create_app()
    started = time.perf_counter()
    with app.app_context():
        referent = db.session.scalar(
            db.select(User).where(User.username == "demo-referent")
        )
        assert referent is not None
        assert referent.has_role(Role.REFERENT)
        stored = hash_password(PASSWORD)  # one argon2 hash for all: bench data only
        for i in range(1, LEARNERS + 1):
            user = enrol_learner(
                referent,
                LearnerData(
                    first_name=f"Bench{i}",
                    public_category=list(PublicCategory)[i % len(PublicCategory)],
                    arrival_year=2020 + i % 6,
                    goal=FrenchGoal.A2,
                    locale="fr",
                    consent_on=date(2026, 11, 1),
                ),
            )
            user.username = f"bench-{i:04d}"
            user.password_hash = stored
            assert user.learner_profile is not None
            user.learner_profile.practice_level = "A2"
            if i % 200 == 0:
                db.session.flush()
        db.session.commit()
        db.engine.dispose()
    print(f"  {LEARNERS} learners enrolled in {time.perf_counter() - started:.1f} s")


def start_server(
    database_url: str, log: Path, redis: str | None = None
) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}",
        "--backlog", "2048", "--timeout", "60", "tests.bench.bench_app:app",
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        command, env=server_env(database_url, redis), cwd=ROOT,
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/sante") as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    # The log is in a temporary folder about to go: its end says why.
    tail = log.read_text(errors="replace").splitlines()[-5:]
    raise RuntimeError("gunicorn did not start:\n" + "\n".join(tail))


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            status = (stat.parent / "status").read_text()
            kb = next(
                int(line.split()[1])
                for line in status.splitlines()
                if line.startswith("VmRSS")
            )
            sizes.append(kb / 1024)
    return sorted(sizes)


SIGN_IN = {"sign in", "sign-in page"}


def run_locust(
    user_class: str, users: int, prefix: Path, think: str = "0", seconds: int = 0
) -> list[dict[str, str]]:
    command = [
        str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds or SECONDS}s", "--stop-timeout", "5",
        "-H", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
        "--loglevel", "WARNING", user_class,
    ]  # fmt: skip
    env = dict(
        os.environ,
        BENCH_PASSWORD=PASSWORD,
        BENCH_LEARNERS=str(LEARNERS),
        BENCH_THINK=think,
    )
    subprocess.run(  # noqa: S603 - the venv's locust, fixed arguments
        command, env=env, cwd=ROOT, check=False,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", newline="") as f:
        for failure in csv.DictReader(f):
            rows.append(
                {
                    "failure": f"{failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)"
                }
            )
    return rows


def practice_summary(
    label: str, users: int, rows: list[dict[str, str]]
) -> tuple[str, float]:
    """One line for the practice requests once signed in: summed req/s, worst p95."""
    steady = [
        r for r in rows if "Name" in r and r["Name"] not in SIGN_IN | {"Aggregated"}
    ]
    rate = sum(float(r["Requests/s"]) for r in steady)
    line = (
        f"| **{label}, once signed in** | {users} | "
        f"{sum(int(r['Request Count']) for r in steady)} | "
        f"{sum(int(r['Failure Count']) for r in steady)} | {rate:.0f} | "
        f"{max(int(r['50%']) for r in steady)} | {max(int(r['95%']) for r in steady)} | "
        f"{max(int(r['99%']) for r in steady)} |"
    )
    return line, rate


def _row(label: str, users: int, stats: dict[str, str]) -> str:
    return (
        f"| {label} | {users} | {int(stats['Request Count'])} | "
        f"{int(stats['Failure Count'])} | {float(stats['Requests/s']):.0f} | "
        f"{stats['50%']} | {stats['95%']} | {stats['99%']} |"
    )


def bench(kind: str, database_url: str) -> str:
    out = [
        f"### {kind}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}), gunicorn {WORKERS} sync "
        f"workers, locust FastHttpUser, {SECONDS} s per run (paced: {max(SECONDS, 40)} s)",
        "",
        "| scenario / request | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print(f"== load bench on {kind}")
    prepare(database_url)
    failures: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as folder,
        redis_server() as redis,
    ):
        out[0] += (
            "; Redis: rate limits and session cache"
            if redis
            else "; no redis-server: rate limits off, no session cache"
        )
        log = Path(folder) / "gunicorn.log"
        server = start_server(database_url, log, redis)
        ratios, memory = [], []
        try:
            # Warm-up, not recorded: each worker compiles its templates and parses
            # the bank once.
            run_locust("LearnerUser", 4, Path(folder) / "warm", seconds=8)
            for users in USERS:
                runs = [("capacity", "0")]
                if users >= 50:
                    runs.append(("paced 3-8 s", "3,8"))
                for label, think in runs:
                    prefix = Path(folder) / f"l{users}{think}"
                    # paced runs last longer: people arrive over 10 s, then read
                    seconds = SECONDS if think == "0" else max(SECONDS, 40)
                    practice = run_locust(
                        "LearnerUser", users, prefix, think, seconds=seconds
                    )
                    failures += [
                        f"{label}, {users} users: {r['failure']}"
                        for r in practice
                        if "failure" in r
                    ]
                    stats = [r for r in practice if "Name" in r]
                    for row in stats:
                        if row["Name"] != "Aggregated":
                            name = f"{label}: {row['Type']} {row['Name']}"
                            out.append(_row(name, users, row))
                    line, rate = practice_summary(label, users, stats)
                    out.append(line)
                    if think == "0":
                        practice_rate = rate
                        memory.append(
                            f"{users} users: "
                            + ", ".join(f"{m:.0f}" for m in worker_rss_mb(server.pid))
                        )
                bare = run_locust("BareUser", users, Path(folder) / f"b{users}")
                failures += [
                    f"bare, {users} users: {r['failure']}"
                    for r in bare
                    if "failure" in r
                ]
                bare_total = next(s for s in bare if s.get("Name") == "Aggregated")
                out.append(_row("**bare endpoint**", users, bare_total))
                ratio = practice_rate / max(float(bare_total["Requests/s"]), 1e-9)
                ratios.append(f"{users} users: {ratio:.0%}")
                print(f"  {users} users done")
        finally:
            server.terminate()
            server.wait(timeout=30)
    out += [
        "",
        "Practice throughput once signed in (capacity run) / bare endpoint throughput: "
        + "; ".join(ratios)
        + ".",
        "Worker RSS after each capacity run (MB): " + "; ".join(memory) + ".",
        "Errors: " + ("; ".join(failures) if failures else "none") + ".",
        "",
    ]
    return "\n".join(out)


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-db-")
        url = f"sqlite:///{folder}/bench.sqlite"
    else:
        url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
            "TEST_DATABASE_URL", ""
        )
        if not url.startswith("postgresql"):
            print(
                "no PostgreSQL (set BENCH_DATABASE_URL or TEST_DATABASE_URL): skipped"
            )
            return
    text = bench(kind, url)
    print(text)
    with RESULTS.open("a") as f:
        f.write(text + "\n")
    print(f"(appended to {RESULTS.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
