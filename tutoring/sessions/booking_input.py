"""Booking forms shared by the volunteer's and the referent's pages, and the notices"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask import flash, request
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from tutoring.accounts import outbox as notify
from tutoring.core.extensions import db
from tutoring.pairing.availability import places_of
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions.models import TutoringSession

BOOKING_ERRORS = {
    "no_such_time": lambda: _(
        "Cette heure n’existe pas ce jour-là (changement d’heure)."
    ),
    "past": lambda: _("Choisissez une date à venir."),
    "duration": lambda: _("Une séance dure de 15 minutes à 4 heures."),
    "place": lambda: _("Choisissez un lieu ou la visio."),
    "video_url": lambda: _("Le lien de visio doit commencer par https://."),
    "capacity": lambda: _("Ce lieu n’a pas assez de places pour tout le groupe."),
    "no_learner": lambda: _("Choisissez au moins une personne."),
    "overlap": lambda: _(
        "Ce créneau est déjà pris (par le tuteur, un apprenant ou la salle)."
    ),
    "not_paired": lambda: _("Ce jumelage n’est plus actif."),
    "series_end": lambda: _("La date de fin de la série est avant la première séance."),
    "series_long": lambda: _("Une série compte au plus 26 semaines."),
    "away": lambda: _("Le tuteur a indiqué une absence à cette date."),
    "not_scheduled": lambda: _("Cette séance n’est plus à venir."),
}


def booking_error(exc: TutoringError) -> str:
    message = BOOKING_ERRORS.get(exc.code, BOOKING_ERRORS["past"])()
    if exc.dates:
        days = ", ".join(format_datetime(d, "d MMMM HH:mm") for d in exc.dates[:5])
        message += " " + _("Dates concernées : %(days)s.", days=days)
    return message


class BookingInputError(ValueError):
    pass


def read_when() -> tuple[date, time, int]:
    """Date, time and length in minutes from the form (ValueError when unreadable)."""
    form = request.form
    return (
        date.fromisoformat(form.get("day", "")),
        time.fromisoformat(form.get("at", "")),
        int(form.get("minutes", "")),
    )


def read_booking(structure_id: int | None) -> dict[str, Any]:
    """Date, time, length, place or video, and optional weekly end from the form."""
    form = request.form
    try:
        day, at, minutes = read_when()
        until = form.get("weekly_until", "")
        weekly_until = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise BookingInputError from exc
    where = form.get("where", "")
    place = None
    if where.isdigit():
        place = next((p for p in places_of(structure_id) if p.id == int(where)), None)
        if place is None:
            raise BookingInputError
    elif where != "video":
        raise TutoringError("place")
    video_url = form.get("video_url", "").strip()[:300] or None
    return {
        "day": day, "at": at, "minutes": minutes, "place": place,
        "video_url": video_url if place is None else None,
        "weekly_until": weekly_until,
    }  # fmt: skip


def book_fields(structure_id: int | None) -> dict[str, Any] | None:
    try:
        return read_booking(structure_id)
    except BookingInputError:
        flash(_("Indiquez une date, une heure et une durée valables."), "error")
    except TutoringError as exc:
        flash(booking_error(exc), "error")
    return None


def notify_booked(booked: list[TutoringSession]) -> None:
    """Tell each learner, in their language, of the sessions just booked."""
    first: dict[int, TutoringSession] = {}
    count: dict[int, int] = {}
    for row in booked:
        first.setdefault(row.learner_id, row)
        count[row.learner_id] = count.get(row.learner_id, 0) + 1
    for learner_id, row in first.items():
        user = row.learner.user
        if user is None:
            continue
        n = count[learner_id]
        notify.queue(
            user, f"booked:{row.slot}",
            lambda row=row, user=user, n=n: (
                _("Nouvelle séance de français"),
                ngettext(
                    "%(num)s séance prévue %(when)s, %(place)s. Confirmez-la ou "
                    "demandez un autre horaire dans « Mes séances ».",
                    "%(num)s séances prévues, la première %(when)s, %(place)s. "
                    "Confirmez-les ou demandez un autre horaire dans « Mes séances ».",
                    n, when=notify.when(user, row.starts_at),
                    place=row.place,
                ),
            ),
        )  # fmt: skip
    db.session.commit()


def notify_moved(rows: list[TutoringSession]) -> None:
    for row in rows:
        user = row.learner.user
        if user is None:
            continue
        notify.queue(
            user, f"moved:{row.id}:{row.sequence}",
            lambda row=row, user=user: (
                _("Séance de français déplacée"),
                _(
                    "Votre séance est déplacée : %(when)s, %(place)s. Confirmez-la "
                    "ou demandez un autre horaire dans « Mes séances ».",
                    when=notify.when(user, row.starts_at), place=row.place,
                ),
            ),
        )  # fmt: skip
    db.session.commit()
