"""Locust scenarios for `make bench` (run by tests/bench/loadbench.py, not by pytest).

`LearnerUser` signs in as one of the bench learners (bench-0001 ... bench-1000,
password in BENCH_PASSWORD), then loops over practice: the practice page, a new
set, an item, its answer, the feedback, and the home dashboard. `BareUser` asks a
route of the same server that returns a constant (tests/bench/bench_app.py), to measure
the framework's ceiling with the same tool. By default no wait between requests:
each user is a learner tapping as fast as the server answers (the capacity run);
with BENCH_THINK="3,8" a learner pauses 3 to 8 s before each item and each new
round, like a person reading (the paced run).
"""

from __future__ import annotations

import itertools
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, task

sys.path.insert(
    0, str(Path(__file__).resolve().parents[2])
)  # locust runs this file alone
from tests.bench.answering import CSRF, FORM_TYPE, answer_fields, multipart  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "une phrase assez longue")
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "1000"))
# Seconds a learner takes between two taps ("0" for none: the capacity run).
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "0").split(",")]
_numbers = itertools.count()


class LearnerUser(FastHttpUser):
    wait_time = between(THINK[0], THINK[-1]) if THINK[-1] else constant(0)

    def on_start(self) -> None:
        number = next(_numbers) % LEARNERS + 1
        if THINK[-1]:  # paced: people arrive over ten seconds, not all at once
            gevent.sleep(random.uniform(0, 10))  # noqa: S311 - load pattern only
        page = self.client.get("/connexion", name="sign-in page").text
        token = CSRF.search(page).group(1)
        body = urlencode(
            {"login": f"bench-{number:04d}", "password": PASSWORD, "csrf_token": token}
        )
        self.client.post(
            "/connexion", data=body, headers=FORM_TYPE, name="sign in",
            allow_redirects=False,
        )  # fmt: skip
        if THINK[-1]:
            self.wait()  # reads the home page first

    @task
    def practise(self) -> None:
        page = self.client.get("/pratique/", name="practice page").text
        match = CSRF.search(page)
        if match is None:
            return
        token = match.group(1)
        with self.client.post(
            "/pratique/nouvelle", data=urlencode({"csrf_token": token}),
            headers=FORM_TYPE, name="start set", allow_redirects=False,
            catch_response=True,
        ) as started:  # fmt: skip
            location = started.headers.get("Location", "")
            if started.status_code != 302 or "/serie/" not in location:
                started.failure(f"no set: {started.status_code} {location}")
                return
        path = "/" + location.split("/", 3)[3] if "://" in location else location
        for _ in range(3):  # three items of the set, then the dashboard
            self.wait()
            item = self.client.get(path, name="item").text
            pairs, wants_file = answer_fields(item)
            if not pairs:
                break
            if wants_file:
                body, kind = multipart(pairs)
                headers = {"Content-Type": kind}
            else:
                body, headers = urlencode(pairs).encode(), FORM_TYPE
            with self.client.post(
                path, data=body, headers=headers, name="answer",
                allow_redirects=False, catch_response=True,
            ) as answered:  # fmt: skip
                target = answered.headers.get("Location", "")
                if answered.status_code != 302:
                    answered.failure(f"answer refused: {answered.status_code}")
                    break
            if "/correction/" in target:
                feedback = "/" + target.split("/", 3)[3] if "://" in target else target
                self.client.get(feedback, name="feedback")
        self.client.get("/", name="dashboard")


class BareUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def constant_answer(self) -> None:
        self.client.get("/bench/constant", name="bare endpoint")
