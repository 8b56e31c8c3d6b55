"""Session pages. A session is visible to its learner, its tutor and the learner's referents."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask import session as browser_session
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit
from tutoring.accounts import outbox as notify
from tutoring.accounts.access import (
    learner_or_404,
    public,
    roles_required,
    secret_in_url,
    signed_in,
)
from tutoring.accounts.enrolment import (
    learner_for,
)
from tutoring.accounts.models import Role
from tutoring.accounts.signin import learner_profile
from tutoring.core import clock
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.labels import SKILL_LABELS, THEME_LABELS
from tutoring.core.urls import external_url
from tutoring.exams import language as french_exams
from tutoring.pairing import pairings
from tutoring.pairing.availability import places_of
from tutoring.pairing.models import PairingStatus
from tutoring.pairing.pairings import TutoringError, active_pairing, active_pairings
from tutoring.sessions import booking, calendars, slots
from tutoring.sessions.blueprint import bp
from tutoring.sessions.booking_input import (
    booking_error,
    cancel_error,
    homework,
    notify_booked,
    notify_cancelled,
    notify_change_asked,
    notify_moved,
    report_error,
)
from tutoring.sessions.calendars import new_feed_token, revoke_feed
from tutoring.sessions.forms import (
    AskChangeForm,
    BookSessionForm,
    BookWorkshopForm,
    CalendarFeedForm,
    CancelSessionForm,
    RescheduleSessionForm,
    record_report_form,
)
from tutoring.sessions.models import SessionStatus, TutoringSession


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
    profile = learner_profile(current_user)
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
    form = CancelSessionForm()
    form.refusal()
    is_learner = session.learner.user_id == current_user.id
    try:
        booking.cancel(session, current_user, form.reason.data, learner=is_learner)
    except TutoringError as exc:
        flash(cancel_error(exc), "error")
        return redirect(url_for("home.home"))
    notify_cancelled(session, current_user, by_learner=is_learner)
    db.session.commit()
    flash(_("La séance est annulée."), "success")
    return redirect(form.back_to() or url_for("home.home"))


def _own_place(session_id: int) -> TutoringSession:
    """The learner's own place in a session."""
    session = db.session.get(TutoringSession, session_id)
    profile = learner_profile(current_user)
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
    form = AskChangeForm()
    form.refusal()
    try:
        booking.ask_change(session, form.message.data)
    except TutoringError as exc:
        flash(booking_error(exc), "error")
        return redirect(url_for("sessions.index"))
    notify_change_asked(session, current_user.display_name)
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
@secret_in_url
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
    """Schedule a session (once or weekly) with a paired learner, Millau time.

    Outside the half-days both ticked, the tutor is asked to confirm first; a date
    of the last 30 days records a forgotten session and opens its report."""
    pairing = active_pairing(current_user, profile_id) or abort(404)
    places = places_of(current_user.structure_id)
    form = BookSessionForm(places=places)
    back = redirect(url_for("home.volunteer_learner", profile_id=profile_id))
    if (error := form.refusal()) is not None:
        flash(error, "error")
        return back
    fields = form.booking()
    try:
        starts = booking.to_utc(fields["day"], fields["at"])
    except TutoringError as exc:
        flash(booking_error(exc), "error")
        return back
    ends = starts + timedelta(minutes=fields["minutes"])
    if fields["place"] is not None and not slots.is_open(fields["place"], starts, ends):
        flash(booking_error(TutoringError("closed")), "error")  # no use confirming
        return back
    blocks = slots.common_blocks(current_user, pairing.learner, places)
    if (
        starts > utcnow()
        and not form.outside_ok.data
        and slots.both_ticked(current_user, pairing.learner)
        and not slots.fits(blocks, starts, ends)
    ):
        flash(
            _(
                "Ce créneau est en dehors des disponibilités communes de la personne "
                "et des vôtres. Vérifiez avec elle, puis confirmez."
            ),
            "warning",
        )
        # The form comes back filled in, with a box to confirm (kept in the session:
        # a video link stays out of the address and the logs).
        browser_session[slots.BOOKING_DRAFT] = {
            "profile_id": profile_id,
            **form.posted(),
        }
        return redirect(
            url_for("home.volunteer_learner", profile_id=profile_id) + "#reserver"
        )
    try:
        booked = booking.book_session(current_user, pairing, **fields, past_ok=True)
    except TutoringError as exc:
        flash(booking_error(exc, past_ok=True), "error")
        return back
    past = booked[0].starts_at <= utcnow()
    if not past:  # a forgotten session, recorded afterwards, asks nothing of anyone
        notify_booked(booked)
    db.session.commit()
    if past:
        flash(
            _("La séance passée est enregistrée : faites-en le compte rendu."),
            "success",
        )
        return redirect(url_for("sessions.report", session_id=booked[0].id))
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
    places = places_of(current_user.structure_id)
    form = BookWorkshopForm(places=places, pairings=active_pairings(current_user))
    error = form.refusal() if form.is_submitted() else None
    if error is not None and form.when_invalid():
        flash(error, "error")
        return redirect(url_for("sessions.workshop"))
    if form.is_submitted() and error is None:
        try:
            booked = booking.book(form.workshop(current_user.id))
        except TutoringError as exc:
            error = booking_error(exc)
        else:
            notify_booked(booked)
            db.session.commit()
            flash(_("L’atelier est programmé."), "success")
            return redirect(url_for("home.volunteer"))
    return (
        render_template(
            "sessions/workshop.html", pairings=list(form.pairings.values()),
            error=error, places=places, form=form,
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
    session = _own_session(session_id)
    form = RescheduleSessionForm()
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        try:
            rows = booking.reschedule(
                session, current_user, day=form.day.data, at=form.at.data,
                minutes=form.minutes.data, reason=form.reason.data,
            )  # fmt: skip
        except TutoringError as exc:
            error = booking_error(exc)
        else:
            notify_moved(rows)
            db.session.commit()
            flash(_("La séance est déplacée ; l’apprenant est prévenu."), "success")
            return redirect(url_for("home.volunteer"))
    return (
        render_template(
            "sessions/reschedule.html", session=session, error=error, form=form,
            local=clock.local,
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/tuteur/seances/<int:session_id>/compte-rendu", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def report(session_id: int) -> BaseResponse | tuple[str, int]:
    """After the session: attendance of each learner, real duration, what was worked
    on, homework from the bank, a note for the learners and one for the referent."""
    session = _own_session(session_id)
    rows = booking.report_rows(session)
    form = record_report_form(rows)
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        try:
            booking.report(
                session, current_user, **form.report(),
                homework=homework(form.homework()),
            )  # fmt: skip
        except TutoringError as exc:
            db.session.rollback()
            error = report_error(exc)
        else:
            db.session.commit()
            flash(_("Le compte rendu est enregistré."), "success")
            return redirect(_after_report(session))
    # the mock exam's speaking part a paired learner asked to take live with the tutor
    paired = (
        pairings.tutor_learner_ids(current_user)
        if current_user.is_approved_tutor
        else set()
    )
    live = french_exams.live_exams_for({r.learner_id for r in rows} & paired)
    page = render_template(
        "sessions/report.html", session=session, rows=rows, error=error,
        form=form, skill_labels=SKILL_LABELS, theme_labels=THEME_LABELS,
        live_exams=[(row.learner, live[row.learner_id]) for row in rows
                    if row.learner_id in live],
    )  # fmt: skip
    return page, 400 if error else 200


def _after_report(session: TutoringSession) -> str:
    if session.workshop:
        return url_for("home.volunteer")
    return url_for("home.volunteer_learner", profile_id=session.learner_id)


@bp.post("/apprenants/<int:profile_id>/seances")
@roles_required(Role.REFERENT)
def book_session(profile_id: int) -> BaseResponse:
    """The referent books a session for the learner's active pairing, for the tutor."""
    profile = learner_or_404(profile_id)
    form = BookSessionForm(places=places_of(profile.structure_id))
    error = form.refusal()
    back = redirect(url_for("home.learner", profile_id=profile.id))
    pairing = pairings.open_pairing(profile)
    if pairing is None or pairing.status != PairingStatus.ACTIVE:
        flash(_("Ce jumelage n’est plus actif."), "error")
        return back
    if error is not None:
        flash(error, "error")
        return back
    try:
        booked = booking.book_session(pairing.tutor, pairing, **form.booking())
    except pairings.TutoringError as exc:
        flash(booking_error(exc), "error")
        return back
    notify_booked(booked)
    db.session.commit()
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
    form = CalendarFeedForm()
    if form.is_submitted():
        form.refusal()
        if form.action.data == "revoke":
            revoke_feed(current_user)
            db.session.commit()
            flash(_("L’adresse de votre agenda ne marche plus."), "success")
            return redirect(url_for("sessions.calendar_feed"))
        token = new_feed_token(current_user)
        db.session.commit()
        audit.record("calendar_feed_created", actor=current_user)
        url = external_url("sessions.feed", token=token)
    return render_template(
        "sessions/calendar_feed.html",
        url=url,
        active=current_user.calendar_token_hash is not None,
        form=form,
    )
