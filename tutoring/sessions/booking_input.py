"""What the session pages say: refusals in words, and the notices each person
gets in their own language (queued, committed by the page)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from tutoring.accounts import outbox as notify
from tutoring.accounts.models import User
from tutoring.core.i18n import format_moment
from tutoring.core.labels import THEME_LABELS
from tutoring.core.messages import Message, deferred_gettext, deferred_ngettext
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions.booking import Homework, slot_rows
from tutoring.sessions.models import TutoringSession

Notice = Callable[[], tuple[Message, Message]]  # subject and body, kept as keys

BOOKING_ERRORS = {
    "no_such_time": lambda: _(
        "Cette heure n’existe pas ce jour-là (changement d’heure)."
    ),
    "past": lambda: _("Choisissez une date à venir."),
    "past_report": lambda: _(
        "Choisissez une date à venir, ou une séance des 30 derniers jours "
        "pour en faire le compte rendu (une seule date, sans répétition)."
    ),
    "closed": lambda: _(
        "Le lieu est fermé à cette heure-là : choisissez une heure d’ouverture, un autre lieu ou la visio."
    ),
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
    "message": lambda: _("Écrivez quand vous êtes disponible."),
}


def booking_error(exc: TutoringError, *, past_ok: bool = False) -> str:
    code = "past_report" if past_ok and exc.code == "past" else exc.code
    message: str = BOOKING_ERRORS.get(code, BOOKING_ERRORS["past"])()
    if exc.dates:
        days = ", ".join(format_moment(d) for d in exc.dates[:5])
        message += " " + _("Dates concernées : %(days)s.", days=days)
    return message


def cancel_error(exc: TutoringError) -> str:
    if exc.code == "guard":
        return str(
            _(
                "Il est trop tard pour annuler en ligne : prévenez votre tuteur ou "
                "l’association par téléphone."
            )
        )
    return str(_("Cette séance ne peut plus être annulée."))


def report_error(exc: TutoringError) -> str:
    if exc.code == "no_items":
        return str(
            _("Aucun exercice de ce thème à ce niveau : choisissez-en un autre.")
        )
    if exc.code == "duration":
        return str(
            _(
                "La durée réelle s’écrit en minutes, de 0 à 480 (8 heures) : "
                "vérifiez ce nombre."
            )
        )
    if exc.code == "attendance":
        return str(_("Indiquez la présence de chacun et la durée réelle en minutes."))
    return str(_("Le compte rendu se fait après le début de la séance."))


def homework(choice: tuple[str, int] | None) -> Homework | None:
    """Homework of a theme, titled in the tutor's language."""
    if choice is None:
        return None
    theme, count = choice
    title: str = _("Devoir de la séance : %(theme)s", theme=str(THEME_LABELS[theme]))
    return Homework(theme=theme, count=count, title=title)


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
        notify.queue(user, f"booked:{row.slot}", _booked(user, row, count[learner_id]))


def _booked(user: User, row: TutoringSession, n: int) -> Notice:
    return lambda: (
        deferred_gettext("Nouvelle séance de français"),
        deferred_ngettext(
            "%(num)s séance prévue %(when)s, %(place)s. Confirmez-la ou "
            "demandez un autre horaire dans « Mes séances ».",
            "%(num)s séances prévues, la première %(when)s, %(place)s. "
            "Confirmez-les ou demandez un autre horaire dans « Mes séances ».",
            n, when=row.starts_at,
            place=row.place,
        ),
    )  # fmt: skip


def notify_moved(rows: list[TutoringSession]) -> None:
    for row in rows:
        user = row.learner.user
        if user is None:
            continue
        notify.queue(user, f"moved:{row.id}:{row.sequence}", _moved(user, row))


def _moved(user: User, row: TutoringSession) -> Notice:
    return lambda: (
        deferred_gettext("Séance de français déplacée"),
        deferred_gettext(
            "Votre séance est déplacée : %(when)s, %(place)s. Confirmez-la "
            "ou demandez un autre horaire dans « Mes séances ».",
            when=row.starts_at, place=row.place,
        ),
    )  # fmt: skip


def notify_cancelled(session: TutoringSession, by: User, *, by_learner: bool) -> None:
    """The other side hears of a cancellation, in their language."""
    if by_learner:
        people = [session.tutor]
    else:
        people = [r.learner.user for r in slot_rows(session) if r.learner.user]
    for user in people:
        if user is None or user.id == by.id:
            continue
        notify.queue(
            user, f"cancelled:{session.slot}:{session.id}:{user.id}",
            _cancelled(user, session),
        )  # fmt: skip


def _cancelled(user: User, session: TutoringSession) -> Notice:
    return lambda: (
        deferred_gettext("Séance de français annulée"),
        deferred_gettext(
            "La séance du %(when)s est annulée. Raison : %(reason)s",
            when=session.starts_at,
            reason=session.cancel_reason or "—",
        ),
    )


def notify_change_asked(session: TutoringSession, name: str) -> None:
    """The tutor hears that the learner `name` asks for another time."""
    tutor = session.tutor
    notify.queue(
        tutor, f"change:{session.id}:{session.change_requested_at}",
        lambda: (
            deferred_gettext("Demande d’un autre horaire"),
            deferred_gettext(
                "%(name)s demande un autre horaire pour la séance du %(when)s : "
                "« %(message)s »",
                name=name, when=session.starts_at,
                message=session.change_request,
            ),
        ),
    )  # fmt: skip
