"""`make bench`, the table of the performance goals: wrk against gunicorn.

In one run, on one database (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL,
else SQLite): a bare Flask "hello" app and the real app, both served by gunicorn
with the same settings (BENCH_WORKERS sync workers, default 2), each route hammered
by wrk (50 connections, BENCH_SECONDS each, default 10) signed in as the demo learner
(rate limits off, 300 answers of history). The answer POSTs are sent by 50 learners,
each request a fresh answer to the first item of its own set (prepared beforehand).

Prints, and appends to tests/bench/bench-results.md (ignored by git): req/s, share of
bare Flask, p50/p95/p99, errors, the CPU milliseconds a request costs the app's workers
and the database (the cheapest of three batches of 150 requests sent one after the
other, from /proc: a figure other work on the machine barely moves), then the workers'
memory (RSS) and the load average.

Run: .venv/bin/python -m tests.bench.wrkbench [postgresql|sqlite]
Settings: BENCH_SECONDS, BENCH_CONNECTIONS (50), BENCH_WORKERS (2), BENCH_WORKER_CLASS
(sync), BENCH_THREADS (1), BENCH_PORT (5810; the bare app on the next port),
BENCH_ANSWERS (how many answer POSTs are prepared, 3000), BENCH_ROUTES (names to run),
BENCH_LOGS (a folder: the servers' logs, with each request's status, are kept there).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from tests.bench.answering import CSRF, answer_fields
from tests.services import redis_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PORT = int(os.environ.get("BENCH_PORT", "5810"))
BARE_PORT = PORT + 1
ANSWERS = int(os.environ.get("BENCH_ANSWERS", "3000"))
WRK_THREADS = 2
ANSWERERS = 50
PASSWORD = "une phrase assez longue"
DEMO_PASSWORD = "apprendre-ensemble-2026"  # published demo password  # nosec B105
RESULTS = HERE / "bench-results.md"

# wrk prints the percentiles we need and the count of answers that were not 2xx/3xx.
REPORT_LUA = """
done = function(summary, latency, requests)
  if report_refused then report_refused() end
  io.write(string.format("JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, "
    .. "\\"p95\\": %f, \\"p99\\": %f, \\"status\\": %d, \\"socket\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_APP="tutoring",
        SECRET_KEY="bench-only-" + "0" * 40,
        DATABASE_URL=database_url,
        SESSION_COOKIE_SECURE="0",  # plain HTTP on loopback
        SITE_URL=f"http://127.0.0.1:{PORT}",
        TRUSTED_HOSTS="127.0.0.1,localhost",
        REQUIRE_2FA_ROLES="",
        RATELIMIT_ENABLED="0",
        UPLOAD_FOLDER=str(Path(tempfile.gettempdir()) / "bench-uploads"),
    )
    env.pop("FLASK_DEBUG", None)
    return env


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - the venv's own flask, fixed arguments
        [str(BIN / "flask"), *args], env=env, check=True, cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def prepare(database_url: str) -> None:
    """Fresh schema, bank, demo data; 300 answers of history for the demo learner
    and 50 more learners who will send the answer POSTs."""
    env = server_env(database_url)
    os.environ.update(env)
    from sqlalchemy import create_engine, text

    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    for args in (["db", "upgrade"], ["exercises", "load"], ["demo", "load"]):
        flask(env, *args)

    from tutoring import create_app
    from tutoring.accounts.enrolment import LearnerData, enrol_learner
    from tutoring.accounts.models import User
    from tutoring.accounts.passwords import hash_password
    from tutoring.accounts.profiles import FrenchGoal, PublicCategory
    from tutoring.content.bank import active_versions
    from tutoring.core.extensions import db
    from tutoring.learning.models import Attempt
    from tutoring.learning.progress import after_attempt, skill_estimate

    app = create_app()
    rng = random.Random(17)
    with app.app_context():
        demo = db.session.scalar(
            db.select(User).where(User.username == "demo-apprenant")
        )
        referent = db.session.scalar(
            db.select(User).where(User.username == "demo-referent")
        )
        assert demo is not None
        assert demo.learner_profile is not None
        assert referent is not None
        profile = demo.learner_profile
        profile.practice_level = "A2"
        versions = [v for v in active_versions() if v.level in ("A1", "A2")]
        now = datetime.now(UTC)
        for n in range(300):
            version = rng.choice(versions)
            attempt = Attempt(
                client_id=f"00000000-0000-4000-8000-{n:012d}",
                learner_id=profile.id,
                item_version_id=version.id,
                response={},
                score=rng.choice([0.0, 0.5, 1.0, 1.0]),
                time_ms=rng.randint(5_000, 90_000),
                created_at=now - timedelta(days=rng.randint(0, 60), minutes=n),
            )
            db.session.add(attempt)
            db.session.flush()
            after_attempt(
                profile, attempt, skill_estimate(profile, version.skill).value
            )
        stored = hash_password(PASSWORD)
        for i in range(1, ANSWERERS + 1):
            user = enrol_learner(
                referent,
                LearnerData(
                    first_name=f"Bench{i}",
                    public_category=PublicCategory.BPI,
                    arrival_year=2024,
                    goal=FrenchGoal.A2,
                    locale="fr",
                    consent_on=date(2026, 11, 1),
                ),
            )
            user.username = f"bench-{i:04d}"
            user.password_hash = stored
            assert user.learner_profile is not None
            user.learner_profile.practice_level = "A2"
        db.session.commit()
        try:  # the learner-state rows, once they exist
            from tutoring.learning import state

            state.rebuild_all()
            db.session.commit()
        except ImportError:
            pass
        db.engine.dispose()


def make_sets(database_url: str) -> list[tuple[str, int]]:
    """Sets ready for one answer each: (username, set id), spread over learners."""
    from tutoring import create_app
    from tutoring.accounts.models import User
    from tutoring.core.extensions import db
    from tutoring.learning import practice as service

    app = create_app()
    sets: list[tuple[str, int]] = []
    with app.app_context():
        learners = [
            db.session.scalar(db.select(User).where(User.username == f"bench-{i:04d}"))
            for i in range(1, ANSWERERS + 1)
        ]
        for n in range(ANSWERS):
            user = learners[n % ANSWERERS]
            assert user is not None
            assert user.learner_profile is not None
            practice = service.start_set(user.learner_profile, level="A2")
            sets.append((user.username, practice.id))
        db.session.commit()
        db.engine.dispose()
    return sets


class Browser:
    """A signed-in learner over HTTP (cookies kept, redirects not followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    def __init__(self, port: int, login: str, password: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )
        page = self.get("/connexion")[1]
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        status, _body, _loc = self.post(
            "/connexion",
            [("login", login), ("password", password), ("csrf_token", token)],
        )
        assert status == 302, f"sign-in of {login}: {status}"
        # Signing in starts a fresh session, whose CSRF secret the first page with a
        # form makes: made here, before answers are prepared in parallel (two pages
        # at once would each make one, and the cookie kept would fit only one).
        self.get("/pratique/")

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request) as r:  # noqa: S310 - loopback
                return r.status, r.read().decode(), r.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers.get("Location", "")

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, pairs: list[tuple[str, str]]) -> tuple[int, str, str]:
        return self._open(
            urllib.request.Request(  # noqa: S310 - loopback
                self.base + path, data=urlencode(pairs).encode(), method="POST"
            )
        )

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def start(
    command: list[str], env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante") as r:  # noqa: S310
                if r.status == 200:
                    return server
        except urllib.error.HTTPError:
            return server  # it answers
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def gunicorn(app: str, port: int) -> list[str]:
    return [
        str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", WORKER_CLASS,
        "--threads", str(THREADS), "-b", f"127.0.0.1:{port}", "--backlog", "2048",
        "--timeout", "60", app,
        # Each request's status in the log, when the logs are kept (it costs time).
        *(["--access-logfile", "-"] if os.environ.get("BENCH_LOGS") else []),
    ]  # fmt: skip


def wrk(
    url: str, cookie: str = "", script: str = "", seconds: int = 0
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script or REPORT_LUA)
        if script:
            f.write(REPORT_LUA)
    command = [
        "wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds or SECONDS}s",
        "--timeout", "10s", "-s", f.name,
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if (
        f":{BARE_PORT}/" not in url
    ):  # as a browser asks (the bare app compresses nothing)
        command += ["-H", "Accept-Encoding: br, gzip"]
    out = subprocess.run(  # noqa: S603 - wrk from the system, fixed arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(f.name)
    for refused in (x for x in out.splitlines() if x.startswith("REFUSED ")):
        print(f"  {refused}")
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    result: dict[str, float] = json.loads(line[5:])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def answers_script(requests: list[tuple[str, str, str]]) -> str:
    """A wrk script sending each prepared answer once, then the constant URL of the
    end (a GET of /sante, counted apart) when they run out."""
    rows = ",\n".join(
        "{{{}, {}, {}}}".format(*tuple(json.dumps(x) for x in request))
        for request in requests
    )
    return f"""
WRK_THREADS = {WRK_THREADS}
local answers = {{
{rows}
}}
-- wrk runs each thread in its own Lua state: thread n sends answers n+1, n+1+T,
-- n+1+2T… (T threads), so that every prepared answer is sent once, not once per
-- thread (two threads sending the same answer at once was a double tap).
local threads = 0
local all_threads = {{}}
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
  thread:set("step", WRK_THREADS)
  table.insert(all_threads, thread)
end
-- The refused answers (status >= 400): their status, page title and message (the
-- error page's lead: a form that expired is told apart from a malformed request).
refused = ""
local kept = 0
response = function(status, headers, body)
  if status >= 400 and kept < 5 then
    kept = kept + 1
    refused = refused .. "REFUSED " .. status .. " "
      .. (string.match(body or "", "<title>(.-)</title>") or "") .. " | "
      .. (string.match(body or "", '<p class="lead">(.-)</p>') or "") .. "\\n"
  end
end
report_refused = function()
  for _, thread in ipairs(all_threads) do
    io.write(thread:get("refused") or "")
  end
end
local offset, step, sent = nil, nil, 0
request = function()
  if offset == nil then
    offset = tonumber(wrk.thread:get("offset"))
    step = tonumber(wrk.thread:get("step"))
  end
  local index = offset + sent * step + 1
  sent = sent + 1
  if index > #answers then
    return wrk.format("GET", "/sante")
  end
  local a = answers[index]
  return wrk.format("POST", a[1], {{["Cookie"] = a[2],
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, a[3])
end
"""


def rss_mb(master: int) -> list[float]:
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except OSError:
            continue
        kb = next(
            int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS")
        )
        sizes.append(kb / 1024)
    return sorted(sizes)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def children(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def database_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends serving this database (none for SQLite)."""
    if not database_url.startswith("postgresql"):
        return []
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        pids = connection.execute(
            text(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalars()
        found = list(pids)
    engine.dispose()
    return found


def cpu_per_request(
    master: int,
    port: int,
    path: str,
    cookie: str,
    database_url: str,
    n: int = 150,
    batches: int = 3,
) -> tuple[float, float]:
    """CPU milliseconds one request costs the app's workers and the database, taken
    from /proc over `batches` of `n` requests sent one after the other: unlike
    req/s, it does not move when other work shares the machine. The cheapest batch
    counts (on a shared virtual machine a batch can only be slowed down, by cache
    misses and stolen time, never sped up)."""
    import http.client

    headers = {"Accept-Encoding": "br, gzip"} | ({"Cookie": cookie} if cookie else {})

    def send(count: int) -> None:
        for _ in range(count):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
            connection.close()

    send(20)  # warm: both workers, the database's plans
    workers, backends = children(master), database_pids(database_url)
    results = []
    for _ in range(batches):
        app_before, db_before = cpu_seconds(workers), cpu_seconds(backends)
        send(n)
        results.append(
            (
                (cpu_seconds(workers) - app_before) / n * 1000,
                (cpu_seconds(backends) - db_before) / n * 1000,
            )
        )
    return min(results)


@contextmanager
def bench_redis() -> Iterator[str | None]:
    """BENCH_REDIS_URL, else a throwaway Redis; None when redis-server is not
    installed (then every request reads its session from the database, as a
    deployment without Redis does)."""
    if os.environ.get("BENCH_REDIS_URL"):
        yield os.environ["BENCH_REDIS_URL"]
        return
    with redis_server() as url:
        if url is None:
            print("redis-server is not installed: no session cache")
        yield url


def bench(kind: str, database_url: str) -> str:
    load_before = os.getloadavg()
    print(f"== wrk bench on {kind}: preparing")
    prepare(database_url)
    sets = make_sets(database_url)
    env = server_env(database_url)
    wanted = set(filter(None, os.environ.get("BENCH_ROUTES", "").split(",")))
    rows: list[tuple[str, dict[str, float]]] = []
    # BENCH_LOGS=folder keeps the servers' logs (status errors are logged there).
    logs = os.environ.get("BENCH_LOGS")
    with (
        tempfile.TemporaryDirectory(prefix="wrk-") as scratch,
        bench_redis() as redis,
    ):
        folder = logs or scratch
        # As deployed (README, *Production deployment*): Redis beside the app, here
        # for the workers' session cache (the rate limits are off).
        env["SESSION_CACHE_URL"] = redis or "none"
        bare = start(gunicorn("tests.bench.bare_app:app", BARE_PORT), env, BARE_PORT,
                     Path(folder) / "bare.log")  # fmt: skip
        server = start(gunicorn("tests.bench.bench_app:app", PORT), env, PORT,
                       Path(folder) / "app.log")  # fmt: skip
        try:
            base = f"http://127.0.0.1:{PORT}"
            demo = Browser(PORT, "demo-apprenant", DEMO_PASSWORD)
            home = demo.get("/")[1]
            css = re.search(r'href="(/static/css/[^"]+\.css)"', home)
            assert css is not None
            practice = demo.get("/pratique/")[1]
            token = CSRF.search(practice).group(1)  # type: ignore[union-attr]
            status, _b, location = demo.post(
                "/pratique/nouvelle", [("csrf_token", token)]
            )
            assert status == 302, (status, location)
            assert "/serie/" in location, location
            item = location.replace("http://127.0.0.1:" + str(PORT), "")
            # One answered item of another set for the feedback page.
            status, _b, loc2 = demo.post("/pratique/nouvelle", [("csrf_token", token)])
            other = loc2.replace("http://127.0.0.1:" + str(PORT), "")
            pairs, _file = answer_fields(demo.get(other)[1])
            status, _b, feedback = demo.post(other, pairs)
            feedback = feedback.replace("http://127.0.0.1:" + str(PORT), "")
            exams = demo.get("/examens/")[1]
            token = CSRF.search(exams).group(1)  # type: ignore[union-attr]
            mention = re.search(r'name="mention"[^>]*value="([^"]+)"', exams)
            status, _b, civic = demo.post(
                "/examens/civique",
                [("csrf_token", token)]
                + ([("mention", mention.group(1))] if mention else []),
            )
            civic = civic.replace("http://127.0.0.1:" + str(PORT), "")
            cookie = demo.cookie()
            # The answer POSTs: each prepared set answered once, by its learner.
            browsers = {
                f"bench-{i:04d}": Browser(PORT, f"bench-{i:04d}", PASSWORD)
                for i in range(1, ANSWERERS + 1)
            }

            def prepared(entry: tuple[str, int]) -> tuple[str, str, str] | None:
                login, set_id = entry
                browser = browsers[login]
                page = browser.get(f"/pratique/serie/{set_id}")[1]
                pairs, wants_file = answer_fields(page)
                if wants_file or not pairs:
                    return None
                return f"/pratique/serie/{set_id}", browser.cookie(), urlencode(pairs)

            with ThreadPoolExecutor(4) as pool:
                answers = [a for a in pool.map(prepared, sets) if a is not None]
            routes = [
                ('bare Flask "hello"', f"http://127.0.0.1:{BARE_PORT}/", "", ""),
                ("`/sante` signed in", base + "/sante", cookie, ""),
                ("`/bench/constant` signed in", base + "/bench/constant", cookie, ""),
                ("`/bench/layout` (empty page)", base + "/bench/layout", cookie, ""),
                (
                    f"`{css.group(1).split('/')[-1]}` (static)",
                    base + css.group(1),
                    cookie,
                    "",
                ),
                ("learner home `/`", base + "/", cookie, ""),
                ("`/pratique/`", base + "/pratique/", cookie, ""),
                ("a practice item page", base + item, cookie, ""),
                ("a feedback page", base + feedback, cookie, ""),
                ("`/examens/`", base + "/examens/", cookie, ""),
                ("a civic exam page", base + civic, cookie, ""),
                ("answer POST", base + "/", "", answers_script(answers)),
            ]
            for label, url, cookie_header, script in routes:
                if wanted and not any(w in label for w in wanted):
                    continue
                seconds = SECONDS
                result = wrk(url, cookie_header, script, seconds)
                if script:  # only the answers count, not the /sante filler
                    result["requests"] = min(result["requests"], len(answers))
                    result["rate"] = result["requests"] / result["seconds"]
                    if result["requests"] >= len(answers):
                        label += f" (all {len(answers)} prepared answers sent)"
                if not script:
                    bare_route = f":{BARE_PORT}/" in url
                    result["app_cpu"], result["db_cpu"] = cpu_per_request(
                        (bare if bare_route else server).pid,
                        BARE_PORT if bare_route else PORT,
                        url.split(str(BARE_PORT if bare_route else PORT), 1)[1],
                        cookie_header,
                        database_url,
                    )
                rows.append((label, result))
                print(f"  {label}: {result['rate']:.0f} req/s")
            memory = rss_mb(server.pid)
            cached = bool(redis)
        finally:
            for process in (server, bare):
                process.terminate()
                process.wait(timeout=30)
    load_after = os.getloadavg()
    bare_rate = rows[0][1]["rate"] if rows else 1.0
    out = [
        f"### {kind}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}), Python {platform.python_version()} "
        f"({sys.base_prefix}), gunicorn {WORKERS} {WORKER_CLASS} "
        f"workers x {THREADS} thread(s), wrk {CONNECTIONS} connections, {SECONDS} s per route; "
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"session cache: {'Redis' if cached else 'none'}",
        "",
        "| route | req/s | share of bare Flask | p50 ms | p95 ms | p99 ms | errors "
        "| CPU ms app + db |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, r in rows:
        # Answers that were not 2xx/3xx, and connections cut or timed out.
        kinds = [f"{int(r[k])} {k}" for k in ("status", "socket") if r[k]]
        errors = ", ".join(kinds) or "0"
        cpu = f"{r['app_cpu']:.2f} + {r['db_cpu']:.2f}" if "app_cpu" in r else "–"
        out.append(
            f"| {label} | {r['rate']:,.0f} | {r['rate'] / bare_rate:.1%} | "
            f"{r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {errors} | {cpu} |"
        )
    out += [
        "",
        "Worker RSS after the run (MB): " + ", ".join(f"{m:.0f}" for m in memory) + ".",
        "",
    ]
    return "\n".join(out)


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "postgresql"
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


if __name__ == "__main__":
    main()
