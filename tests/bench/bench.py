"""`make bench`: rerunnable measurements for the speed and weight goals.

Prints: argon2id hashing time, server time per page (in-process WSGI, SQLite,
200 learners enrolled) and the gzip weight of each page with its CSS.
Run: .venv/bin/python -m tests.bench.bench
"""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from tutoring import create_app
from tutoring.accounts.enrolment import LearnerData, enrol_learner
from tutoring.accounts.models import Role, Structure, User
from tutoring.accounts.passwords import hash_password, verify_password
from tutoring.accounts.profiles import FrenchGoal, PublicCategory
from tutoring.core.extensions import db

PASSWORD = "une phrase assez longue"
PUBLIC_PAGES = ["/", "/connexion", "/carte"]
REFERENT_PAGES = ["/", "/apprenants/", "/apprenants/inscrire", "/compte/"]


def bench_hash(rounds: int = 20) -> None:
    started = time.perf_counter()
    stored = ""
    for _ in range(rounds):
        stored = hash_password(PASSWORD)
    per_hash = (time.perf_counter() - started) / rounds * 1000
    started = time.perf_counter()
    for _ in range(rounds):
        verify_password(stored, PASSWORD)
    per_verify = (time.perf_counter() - started) / rounds * 1000
    print(
        f"argon2id (m=19456 KiB, t=2, p=1): hash {per_hash:.1f} ms, verify {per_verify:.1f} ms"
    )


def build_app(folder: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
        }
    )
    with app.app_context():
        db.create_all()
        structure = Structure(name="Association Myriade")
        db.session.add(structure)
        db.session.flush()
        referent = User(
            username="claire",
            first_name="Claire",
            structure_id=structure.id,
            password_hash=hash_password(PASSWORD),
        )
        referent.add_role(Role.REFERENT)
        db.session.add(referent)
        db.session.flush()
        for i in range(200):
            enrol_learner(
                referent,
                LearnerData(
                    first_name=f"Personne{i}",
                    public_category=list(PublicCategory)[i % 5],
                    arrival_year=2020 + i % 6,
                    goal=FrenchGoal.A2,
                    locale="fr",
                    consent_on=date(2026, 11, 1),
                ),
            )
        db.session.commit()
    return app


def bench_pages(app, requests: int = 200) -> None:
    print(f"{'page':<30}{'p50 ms':>8}{'p95 ms':>8}{'gzip KB':>9}")
    client = app.test_client()
    for path in PUBLIC_PAGES:
        _bench_page(client, path, requests, "anonymous")
    client.post("/connexion", data={"login": "claire", "password": PASSWORD})
    for path in REFERENT_PAGES:
        _bench_page(client, path, requests, "referent")


def _bench_page(client, path: str, requests: int, who: str) -> None:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    weight = len(gzip.compress(html.encode()))
    for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        asset = client.get(ref)
        weight += len(gzip.compress(asset.data))
        asset.close()
    p95 = statistics.quantiles(timings, n=20)[-1]
    label = f"{path} ({who})"
    print(
        f"{label:<30}{statistics.median(timings):>8.1f}{p95:>8.1f}{weight / 1024:>9.1f}"
    )


def bench_practice(app, sets: int = 20) -> None:
    """Time a learner's loop: open the item, answer it, read the feedback."""
    from exercises.loading import BANK, load_bank
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.content.bank import sync_bank

    with app.app_context():
        items, _ = load_bank(BANK, check_audio=False)
        sync_bank(items)
        learner = db.session.scalar(db.select(LearnerProfile)).user
        learner.password_hash = hash_password(PASSWORD)
        username = learner.username
        db.session.commit()
    client = app.test_client()
    client.post("/connexion", data={"login": username, "password": PASSWORD})
    show, answer, feedback, new = [], [], [], []
    for _ in range(sets):
        started = time.perf_counter()
        location = client.post("/pratique/nouvelle").headers["Location"]
        new.append((time.perf_counter() - started) * 1000)
        for _ in range(10):
            started = time.perf_counter()
            page = client.get(location).get_data(as_text=True)
            show.append((time.perf_counter() - started) * 1000)
            fields = dict(
                re.findall(
                    r'name="(position|client_id|shown_at)" value="([^"]*)"', page
                )
            )
            started = time.perf_counter()
            response = client.post(
                location,
                data={
                    **fields,
                    "choice": "0",
                    "answer": "true",
                    "text": "Bonjour",
                    "seconds": "5",
                },
            )
            answer.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                continue  # an item this simple answer does not fit: skip it
            started = time.perf_counter()
            client.get(response.headers["Location"])
            feedback.append((time.perf_counter() - started) * 1000)
            if "correction" not in response.headers["Location"]:
                break
    for label, timings in (
        ("item page", show),
        ("answer (POST)", answer),
        ("feedback", feedback),
    ):
        if len(timings) > 2:
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(
                f"{label + ' (learner)':<30}{statistics.median(timings):>8.1f}{p95:>8.1f}"
            )


def bench_pairing(folder: Path) -> None:
    """The optimal proposal for 500 waiting learners and 200 tutors (2 places each),
    with weekly availability (2 to 6 half-days each) and 4 places."""
    import random

    from tutoring.accounts.profiles import LearnerProfile, TutorProfile, TutorStatus
    from tutoring.pairing.availability import PERIODS, save
    from tutoring.pairing.fit import optimal_proposal
    from tutoring.pairing.models import Place

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'pairing.sqlite'}",
    })  # fmt: skip
    rng = random.Random(7)
    languages = ["ar", "uk", "ru", "en", "fa", "ps", "tr", "es"]
    with app.app_context():
        db.create_all()
        structure = Structure(name="Association Myriade")
        db.session.add(structure)
        db.session.flush()
        places = [Place(structure_id=structure.id, name=f"Lieu {i}") for i in range(4)]
        db.session.add_all(places)
        db.session.flush()
        half_days = [(d, p) for d in range(6) for p in PERIODS]

        def week() -> set[tuple[int, str]]:
            return set(rng.sample(half_days, rng.randint(2, 6)))

        referent = User(
            username="claire", first_name="Claire", structure_id=structure.id
        )
        referent.add_role(Role.REFERENT)
        db.session.add(referent)
        db.session.flush()
        for i in range(200):
            tutor = User(
                username=f"tuteur{i}", first_name=f"T{i}", structure_id=structure.id
            )
            tutor.add_role(Role.TUTOR)
            db.session.add(tutor)
            db.session.flush()
            db.session.add(TutorProfile(
                user_id=tutor.id, charter_version="2026-11", status=TutorStatus.APPROVED,
                structure_id=structure.id, languages=rng.sample(languages, 2), max_learners=2,
                place_ids=[p.id for p in rng.sample(places, 2)], video_ok=rng.random() < 0.3,
            ))  # fmt: skip
            save(tutor, week())
        for i in range(500):
            enrol_learner(referent, LearnerData(
                first_name=f"P{i}", public_category=PublicCategory.BPI, arrival_year=2025,
                goal=FrenchGoal.A2, locale="fr", consent_on=date(2026, 11, 1),
                languages=rng.sample(languages, 2),
            ))  # fmt: skip
        for profile in db.session.scalars(db.select(LearnerProfile)):
            profile.place_ids = [p.id for p in rng.sample(places, 2)]
            save(profile, week())
        db.session.commit()
        started = time.perf_counter()
        proposal = optimal_proposal(structure.id)
        elapsed = (time.perf_counter() - started) * 1000
        paired = sum(1 for p in proposal if p)
        shared = sum(1 for p in proposal if p and p.shared_languages)
        together = sum(1 for p in proposal if p and p.overlap_minutes)
        print(
            f"optimal pairing 500 learners x 200 tutors: {elapsed:.0f} ms "
            f"({paired} paired, {shared} with a shared language, "
            f"{together} with hours in common)"
        )
        db.engine.dispose()


def main() -> None:
    bench_hash()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        bench_pages(app)
        bench_practice(app)
        bench_pairing(Path(folder))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
