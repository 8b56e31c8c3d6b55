"""Booking that knows availability: the half-days both people ticked, the place's
opening, a confirmation outside them, a refusal when the place is closed; a
forgotten session of the last 30 days; report errors that name their field."""

from __future__ import annotations

from datetime import date, time, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing import availability
from tutoring.pairing.models import Place
from tutoring.sessions.models import TutoringSession


def _next(weekday: int, after: int = 2) -> date:
    """The first `weekday` (Monday = 0) at least `after` days from today."""
    day = date.today() + timedelta(days=after)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def free(make, pair):
    """Marc free on Tuesday afternoons and Thursday mornings, Amina on Tuesday
    afternoons and Friday mornings; the MESA opens 9:00–19:00 from Monday to Saturday."""

    def tick():
        availability.save(
            db.session.get(User, pair["tutor"]), {(1, "afternoon"), (3, "morning")}
        )
        availability.save(
            db.session.get(LearnerProfile, pair["profile"]),
            {(1, "afternoon"), (4, "morning")},
        )
        place = db.session.get(Place, pair["place"])
        place.open_days, place.opens_at, place.closes_at = "012345", time(9), time(19)
        db.session.commit()

    make.run(tick)
    return pair


def _post(pair, day: date, at: str, **extra: str):
    data = {"day": day.isoformat(), "at": at, "minutes": "60"}
    data["where"] = extra.pop("where", str(pair["place"]))
    return pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances", data={**data, **extra}
    )


def _sessions(make) -> list[TutoringSession]:
    return make.run(lambda: db.session.scalars(select(TutoringSession)).all())


def _page(pair) -> str:
    response = pair["client"].get(f"/tuteur/apprenants/{pair['profile']}")
    return unescape(response.get_data(as_text=True))


def test_the_booking_page_shows_the_common_half_days_and_the_next_slots(free):
    page = _page(free)
    assert "Disponibilités communes" in page
    assert "mardi après-midi" in page  # Tuesday afternoon: both free, MESA open
    assert "jeudi" not in page.split("Disponibilités communes")[1].split("<h3")[0]
    tuesday = _next(1, after=1)
    assert f'name="day" value="{tuesday.isoformat()}"' in page  # a slot to book
    assert "Programmer le mardi" in page


def test_a_proposed_slot_books_at_once(make, free):
    tuesday = _next(1, after=1)
    assert _post(free, tuesday, "14:00").status_code == 302
    [session] = _sessions(make)
    assert session.starts_at.hour in (12, 13)  # 14:00 in Millau
    assert "Programmer le mardi" in _page(free)  # the next Tuesday is offered now
    assert f'name="day" value="{tuesday.isoformat()}"' not in _page(free)


def test_outside_the_common_half_days_the_tutor_confirms_first(make, free):
    monday = _next(0)
    response = _post(free, monday, "10:00")
    assert response.status_code == 302
    assert _sessions(make) == []  # nothing booked silently
    page = _page(free)
    assert "en dehors des disponibilités communes" in page
    assert 'id="outside_ok"' in page  # the box to confirm
    assert f'value="{monday.isoformat()}"' in page  # the form comes back filled in
    assert _post(free, monday, "10:00", outside_ok="1").status_code == 302
    assert len(_sessions(make)) == 1


@pytest.mark.parametrize("confirmed", [{}, {"outside_ok": "1"}])
def test_a_session_when_the_place_is_closed_is_refused(make, free, confirmed):
    response = _post(free, _next(1), "03:00", **confirmed)
    assert response.status_code == 302
    assert _sessions(make) == []
    assert "Le lieu est fermé à cette heure-là" in _page(free)


def test_a_place_without_hours_is_closed_at_night(make, pair):
    response = _post(pair, _next(2), "03:00")
    assert response.status_code == 302
    assert _sessions(make) == []
    assert "Le lieu est fermé à cette heure-là" in _page(pair)


def test_a_forgotten_session_of_the_last_30_days_is_recorded_then_reported(make, pair):
    response = _post(pair, date.today() - timedelta(days=5), "10:00")
    [session] = _sessions(make)
    assert response.headers["Location"].endswith(
        f"/tuteur/seances/{session.id}/compte-rendu"
    )
    from tutoring.accounts.outbox import OutboxMessage

    assert make.run(lambda: db.session.scalars(select(OutboxMessage)).all()) == []
    done = pair["client"].post(
        f"/tuteur/seances/{session.id}/compte-rendu",
        data={f"attendance-{session.id}": "present", "minutes": "60"},
    )
    assert done.status_code == 302
    _post(pair, date.today() - timedelta(days=40), "10:00")
    assert len(_sessions(make)) == 1
    assert "une séance des 30 derniers jours" in _page(pair)


def test_report_errors_say_what_is_wrong_with_the_field(make, pair):
    _post(pair, date.today() - timedelta(days=2), "10:00")
    [session] = _sessions(make)
    response = pair["client"].post(
        f"/tuteur/seances/{session.id}/compte-rendu",
        data={f"attendance-{session.id}": "present", "minutes": "100000"},
    )
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "de 0 à 480 (8 heures)" in page
    assert "après le début de la séance" not in page


def test_a_video_session_without_its_link_asks_for_the_link(make, pair):
    _post(pair, _next(2), "10:00", where="video")
    assert _sessions(make) == []
    page = _page(pair)
    assert "collez le lien de la visio" in page
    assert "Choisissez un lieu ou la visio" not in page
