"""Session pages. A session is visible to its learner, its tutor and the learner's referents."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import SKILLS, THEMES
from tutoring.accounts import audit
from tutoring.accounts import outbox as notify
from tutoring.accounts.access import (
    learner_or_404,
    public,
    require_approved_volunteer,
    roles_required,
    signed_in,
)
from tutoring.accounts.enrolment import (
    learner_for,
)
from tutoring.accounts.models import Role
from tutoring.core import clock
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.labels import SKILL_LABELS, THEME_LABELS
from tutoring.pairing import pairings
from tutoring.pairing.availability import places_of
from tutoring.pairing.models import Pairing, PairingStatus
from tutoring.pairing.pairings import TutoringError, active_pairing
from tutoring.sessions import booking, calendars
from tutoring.sessions.blueprint import bp
from tutoring.sessions.booking_input import (
    book_fields,
    booking_error,
    notify_booked,
    notify_moved,
    read_when,
)
from tutoring.sessions.calendars import new_feed_token, revoke_feed
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession


def visible(session: TutoringSession) -> bool:
    profile = session.learner
    if profile.user_id == current_user.id or session.tutor_id == current_user.id:
        return True
    return (
        current_user.has_role(Role.REFERENT)
        and learner_for(current_user, profile.id) is not None
    )


def _session_or_404(session_id: int) -> TutoringSession:
    session = db.session.get(TutoringSession, session_id)
    if session is None or not visible(session):
        abort(404)
    return session


@bp.get("/seances/")
@roles_required(Role.LEARNER)
def index() -> str:
    profile = current_user.learner_profile
    if profile is None:
        abort(403)
    sessions = db.session.scalars(
        select(TutoringSession)
        .where(TutoringSession.learner_id == profile.id)
        .order_by(TutoringSession.starts_at.desc())
    ).all()
    return render_template(
        "sessions/index.html",
        sessions=sessions,
        form=ConfirmForm(),
        local=clock.local,
        now=utcnow(),
    )


@bp.post("/seances/<int:session_id>/annuler")
@roles_required(Role.LEARNER, Role.TUTOR, Role.REFERENT)
def cancel(session_id: int) -> BaseResponse:
    session = _session_or_404(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    is_learner = session.learner.user_id == current_user.id
    try:
        booking.cancel(
            session, current_user, request.form.get("reason", ""), learner=is_learner
        )
    except TutoringError as exc:
        if exc.code == "guard":
            flash(
                _(
                    "Il est trop tard pour annuler en ligne : prévenez votre tuteur ou "
                    "l’association par téléphone."
                ),
                "error",
            )
        else:
            flash(_("Cette séance ne peut plus être annulée."), "error")
        return redirect(url_for("home.home"))
    db.session.commit()
    _tell_cancelled(session, by_learner=is_learner)
    flash(_("La séance est annulée."), "success")
    back = request.form.get("back", "")
    return redirect(
        back
        if back.startswith("/") and not back.startswith("//")
        else url_for("home.home")
    )


def _tell_cancelled(session: TutoringSession, *, by_learner: bool) -> None:
    """The other side hears of a cancellation, in their language."""
    if by_learner:
        people = [session.tutor]
    else:
        people = [
            r.learner.user for r in booking.slot_rows(session) if r.learner.user
        ]
    for user in people:
        if user is None or user.id == current_user.id:
            continue
        notify.queue(
            user, f"cancelled:{session.slot}:{session.id}:{user.id}",
            lambda user=user: (
                _("Séance de français annulée"),
                _(
                    "La séance du %(when)s est annulée. Raison : %(reason)s",
                    when=notify.when(user, session.starts_at),
                    reason=session.cancel_reason or "—",
                ),
            ),
        )  # fmt: skip
    db.session.commit()


def _own_place(session_id: int) -> TutoringSession:
    """The learner's own place in a session."""
    session = db.session.get(TutoringSession, session_id)
    profile = current_user.learner_profile
    if session is None or profile is None or session.learner_id != profile.id:
        abort(404)
    return session


@bp.post("/seances/<int:session_id>/confirmer")
@roles_required(Role.LEARNER)
def confirm(session_id: int) -> BaseResponse:
    session = _own_place(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        booking.confirm(session)
    except TutoringError:
        flash(_("Cette séance n’est plus à venir."), "error")
        return redirect(url_for("sessions.index"))
    db.session.commit()
    flash(_("Merci, votre tuteur sait que vous venez."), "success")
    return redirect(url_for("sessions.index"))


@bp.post("/seances/<int:session_id>/autre-horaire")
@roles_required(Role.LEARNER)
def ask_change(session_id: int) -> BaseResponse:
    """Ask the tutor for another time, with a message."""
    session = _own_place(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        booking.ask_change(session, request.form.get("message", ""))
    except TutoringError as exc:
        flash(
            _("Écrivez quand vous êtes disponible.")
            if exc.code == "message"
            else _("Cette séance n’est plus à venir."),
            "error",
        )
        return redirect(url_for("sessions.index"))
    tutor = session.tutor
    name = current_user.display_name
    notify.queue(
        tutor, f"change:{session.id}:{session.change_requested_at}",
        lambda: (
            _("Demande d’un autre horaire"),
            _(
                "%(name)s demande un autre horaire pour la séance du %(when)s : "
                "« %(message)s »",
                name=name, when=notify.when(tutor, session.starts_at),
                message=session.change_request,
            ),
        ),
    )  # fmt: skip
    db.session.commit()
    flash(_("Votre demande est envoyée à votre tuteur."), "success")
    return redirect(url_for("sessions.index"))


def describe(session: TutoringSession) -> tuple[str, str]:
    summary = (
        _("Atelier de français : %(title)s", title=session.workshop)
        if session.workshop
        else _("Séance de tutorat de français")
    )
    return summary, _(
        "Avec %(tutor)s. Lieu : %(place)s",
        tutor=session.tutor.display_name,
        place=session.place,
    )


@bp.get("/seances/agenda/<token>.ics")
@public
def feed(token: str) -> Response:
    """A person's private calendar feed: the secret address is the key."""
    user = calendars.user_for_feed(token)
    if user is None:
        abort(404)
    with force_locale(notify.locale_of(user)):
        body = calendars.feed(user, describe)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=900"
    return response


@bp.get("/seances/<int:session_id>.ics")
@roles_required(Role.LEARNER, Role.TUTOR, Role.REFERENT)
def calendar(session_id: int) -> Response:
    session = _session_or_404(session_id)
    body = calendars.ics(session, *describe(session))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="seance-{session.id}.ics"'
    )
    return response


__all__ = ["SessionStatus"]


@bp.post("/tuteur/apprenants/<int:profile_id>/seances")
@roles_required(Role.TUTOR)
def book(profile_id: int) -> BaseResponse:
    """Schedule a session (once or weekly) with a paired learner, Millau time."""
    require_approved_volunteer()
    pairing = (active_pairing(current_user, profile_id) or abort(404))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = redirect(url_for("home.volunteer_learner", profile_id=profile_id))
    fields = book_fields(current_user.structure_id)
    if fields is None:
        return back
    try:
        booked = booking.book_session(current_user, pairing, **fields)
    except TutoringError as exc:
        flash(booking_error(exc), "error")
        return back
    notify_booked(booked)
    flash(
        ngettext("La séance est programmée.", "%(num)s séances sont programmées.",
                 len(booked)),
        "success",
    )  # fmt: skip
    return back


@bp.route("/tuteur/ateliers/nouveau", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def workshop() -> BaseResponse | tuple[str, int]:
    """A group workshop for several of the tutor's learners, once or weekly."""
    require_approved_volunteer()
    pairings = {
        p.learner_id: p
        for p in db.session.scalars(
            select(Pairing).where(
                Pairing.tutor_id == current_user.id,
                Pairing.status == PairingStatus.ACTIVE,
            )
        )
    }
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        chosen = request.form.getlist("learners")
        if not all(v.isdigit() and int(v) in pairings for v in chosen):
            abort(400)
        title = request.form.get("title", "").strip()[:120]
        fields = book_fields(current_user.structure_id)
        if fields is None:
            return redirect(url_for("sessions.workshop"))
        if not title:
            error = _("Donnez un titre à l’atelier.")
        else:
            try:
                booked = booking.book(
                    booking.Booking(
                        tutor_id=current_user.id,
                        learners=[(int(v), pairings[int(v)].id) for v in chosen],
                        workshop=title, **fields,
                    )
                )  # fmt: skip
            except TutoringError as exc:
                error = booking_error(exc)
            else:
                notify_booked(booked)
                flash(_("L’atelier est programmé."), "success")
                return redirect(url_for("home.volunteer"))
    return (
        render_template(
            "sessions/workshop.html", pairings=list(pairings.values()), error=error,
            places=places_of(current_user.structure_id), form=ConfirmForm(),
        ),
        400 if error else 200,
    )  # fmt: skip


def _own_session(session_id: int) -> TutoringSession:
    session = db.session.get(TutoringSession, session_id)
    if session is None or session.tutor_id != current_user.id:
        abort(404)
    return session


@bp.route("/tuteur/seances/<int:session_id>/deplacer", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def reschedule(session_id: int) -> BaseResponse | tuple[str, int]:
    """Move a session in one step; the learners are told and asked to confirm."""
    require_approved_volunteer()
    session = _own_session(session_id)
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            day, at, minutes = read_when()
        except ValueError:
            error = _("Indiquez une date, une heure et une durée valables.")
        else:
            try:
                rows = booking.reschedule(
                    session, current_user, day=day, at=at, minutes=minutes,
                    reason=request.form.get("reason", ""),
                )  # fmt: skip
            except TutoringError as exc:
                error = booking_error(exc)
            else:
                notify_moved(rows)
                flash(_("La séance est déplacée ; l’apprenant est prévenu."), "success")
                return redirect(url_for("home.volunteer"))
    return (
        render_template(
            "sessions/reschedule.html", session=session, error=error, form=ConfirmForm(),
            local=clock.local,
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/tuteur/seances/<int:session_id>/compte-rendu", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def report(session_id: int) -> BaseResponse | tuple[str, int]:
    """After the session: attendance of each learner, real duration, what was worked
    on, homework from the bank, a note for the learners and one for the referent."""
    require_approved_volunteer()
    session = _own_session(session_id)
    rows = [r for r in booking.slot_rows(session) if r.status.value != "cancelled"]
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        attendance = {}
        for row in rows:
            value = request.form.get(f"attendance-{row.id}", "")
            if value in {a.value for a in Attendance}:
                attendance[row.id] = Attendance(value)
        minutes = request.form.get("minutes", "")
        skills = [v for v in request.form.getlist("skills") if v in SKILLS]
        themes = [v for v in request.form.getlist("themes") if v in THEMES]
        homework_theme = request.form.get("homework_theme", "")
        homework_count = request.form.get("homework_count", "0")
        if len(attendance) != len(rows) or not minutes.isdigit():
            error = _("Indiquez la présence de chacun et la durée réelle en minutes.")
        elif homework_theme and (
            homework_theme not in THEMES
            or not homework_count.isdigit()
            or not 1 <= int(homework_count) <= 10
        ):
            error = _("Choisissez un thème et de 1 à 10 exercices pour le devoir.")
        else:
            try:
                booking.record_report(
                    session, attendance=attendance, minutes=int(minutes),
                    note_for_learner=request.form.get("note_for_learner", ""),
                    note_for_referent=request.form.get("note_for_referent", ""),
                    skills=skills, themes=themes,
                )  # fmt: skip
                if homework_theme:
                    given = booking.give_homework(
                        current_user, rows, theme=homework_theme,
                        count=int(homework_count),
                        title=_("Devoir de la séance : %(theme)s",
                                theme=str(THEME_LABELS[homework_theme])),
                    )  # fmt: skip
                    if not given:
                        raise TutoringError("no_items")
            except TutoringError as exc:
                db.session.rollback()
                error = (
                    _(
                        "Aucun exercice de ce thème à ce niveau : choisissez-en un autre."
                    )
                    if exc.code == "no_items"
                    else _("Le compte rendu se fait après le début de la séance.")
                )
            else:
                db.session.commit()
                flash(_("Le compte rendu est enregistré."), "success")
                if session.workshop:
                    return redirect(url_for("home.volunteer"))
                return redirect(url_for("home.volunteer_learner", profile_id=session.learner_id))
    page = render_template(
        "sessions/report.html", session=session, rows=rows, error=error,
        form=ConfirmForm(), skill_labels=SKILL_LABELS, theme_labels=THEME_LABELS,
    )  # fmt: skip
    return page, 400 if error else 200


@bp.post("/apprenants/<int:profile_id>/seances")
@roles_required(Role.REFERENT)
def book_session(profile_id: int) -> BaseResponse:
    """The referent books a session for the learner's active pairing, for the tutor."""
    profile = learner_or_404(profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = redirect(url_for("home.learner", profile_id=profile.id))
    pairing = pairings.open_pairing(profile)
    if pairing is None or pairing.status != PairingStatus.ACTIVE:
        flash(_("Ce jumelage n’est plus actif."), "error")
        return back
    fields = book_fields(profile.structure_id)
    if fields is None:
        return back
    try:
        booked = booking.book_session(pairing.tutor, pairing, **fields)
    except pairings.TutoringError as exc:
        flash(booking_error(exc), "error")
        return back
    notify_booked(booked)
    flash(
        ngettext(
            "La séance est programmée.", "%(num)s séances sont programmées.",
            len(booked),
        ),
        "success",
    )  # fmt: skip
    return back


@bp.route("/compte/agenda", methods=["GET", "POST"])
@signed_in
def calendar_feed() -> BaseResponse | str:
    """A private calendar address to subscribe to from a phone; shown once, it can
    be replaced (the old one stops working) or switched off."""
    url = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        if request.form.get("action") == "revoke":
            revoke_feed(current_user)
            db.session.commit()
            flash(_("L’adresse de votre agenda ne marche plus."), "success")
            return redirect(url_for("sessions.calendar_feed"))
        token = new_feed_token(current_user)
        db.session.commit()
        audit.record("calendar_feed_created", actor=current_user)
        url = url_for("sessions.feed", token=token, _external=True)
    return render_template(
        "sessions/calendar_feed.html",
        url=url,
        active=current_user.calendar_token_hash is not None,
        form=ConfirmForm(),
    )
