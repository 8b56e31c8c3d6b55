"""`make lighthouse`: Lighthouse (mobile preset, headless Debian Chromium) on the
learner's home, a practice item and the offline page, signed in as the demo learner.

A fresh SQLite database gets the schema, the exercise bank and the demo data; gunicorn
serves it on loopback (compression on, as in production); the demo learner signs in
through the real form and opens a practice set; Lighthouse reads each page with the
session cookie in a header. Prints performance and accessibility per page and writes
the JSON reports to instance/lighthouse/. Not part of `make test`.

Run: .venv/bin/python -m tests.bench.lighthouse
Settings: LIGHTHOUSE (path of the lighthouse command), CHROME_PATH (/usr/bin/chromium),
LIGHTHOUSE_PORT (5820).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess  # noqa: S404 - runs the venv's flask and gunicorn, and lighthouse
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "5820"))
BASE = f"http://127.0.0.1:{PORT}"
LIGHTHOUSE = os.environ.get(
    "LIGHTHOUSE", str(ROOT / ".tools/lighthouse/node_modules/.bin/lighthouse")
)
OUT = ROOT / "instance" / "lighthouse"
DEMO_PASSWORD = "apprendre-ensemble-2026"  # noqa: S105 - the published demo password  # nosec B105


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_APP="tutoring",
        SECRET_KEY="lighthouse-only-" + "0" * 40,
        DATABASE_URL=database_url,
        SESSION_COOKIE_SECURE="0",
        SITE_URL=BASE,
        TRUSTED_HOSTS="127.0.0.1,localhost",
        REQUIRE_2FA_ROLES="",
        RATELIMIT_ENABLED="0",
    )
    env.pop("FLASK_DEBUG", None)
    return env


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no form token")
    return match.group(1)


def _sign_in(opener: urllib.request.OpenerDirector) -> str:
    """Sign the demo learner in, open a practice set; return the set's address."""
    page = opener.open(f"{BASE}/connexion").read().decode()
    data = urllib.parse.urlencode(
        {
            "csrf_token": _csrf(page),
            "login": "demo-apprenant",
            "password": DEMO_PASSWORD,
        }
    ).encode()
    opener.open(f"{BASE}/connexion", data)
    page = opener.open(f"{BASE}/pratique/").read().decode()
    data = urllib.parse.urlencode({"csrf_token": _csrf(page), "theme": ""}).encode()
    response = opener.open(f"{BASE}/pratique/nouvelle", data)
    url: str = response.geturl()
    if "/pratique/serie/" not in url:
        raise RuntimeError(f"no practice set: {url}")
    return url


def _lighthouse(url: str, cookie: str, name: str) -> dict[str, float]:
    report = OUT / f"{name}.json"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=performance,accessibility", "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ],
        check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )  # fmt: skip
    body = json.loads(report.read_text())
    audits = body["audits"]
    return {
        "performance": round(body["categories"]["performance"]["score"] * 100),
        "accessibility": round(body["categories"]["accessibility"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1000, 1),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    env = _env(f"sqlite:///{folder / 'lighthouse.sqlite'}")
    for args in (["db", "upgrade"], ["exercises", "load"], ["demo", "load"]):
        subprocess.run(  # noqa: S603 - the venv's own flask, fixed arguments
            [str(BIN / "flask"), *args], env=env, check=True, cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    log = (OUT / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{PORT}", "tutoring:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{BASE}/sante")  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        item = _sign_in(opener)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        pages = {
            "learner-home": f"{BASE}/",
            "practice-item": item,
            "offline-page": f"{BASE}/hors-connexion",
        }
        print(
            f"{'page':16} {'perf':>5} {'a11y':>5} {'FCP ms':>7} {'LCP ms':>7} {'KB':>7}"
        )
        for name, url in pages.items():
            scores = _lighthouse(url, cookie, name)
            print(
                f"{name:16} {scores['performance']:>5} {scores['accessibility']:>5} "
                f"{scores['fcp_ms']:>7} {scores['lcp_ms']:>7} {scores['transfer_kb']:>7}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    main()
