"""Session pages. A session is visible to its learner, its tutor and the learner's referents."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.models import Role, SessionStatus, TutoringSession
from tutoring.models.base import utcnow
from tutoring.security import public, roles_required
from tutoring.services import notify
from tutoring.services import sessions_tutoring as service
from tutoring.services.learners import learner_for
from tutoring.services.tutoring import TutoringError
from tutoring.sessions_bp import bp


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


@bp.get("/")
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
        local=service.local,
        now=utcnow(),
    )


@bp.post("/<int:session_id>/annuler")
@roles_required(Role.LEARNER, Role.TUTOR, Role.REFERENT)
def cancel(session_id: int) -> BaseResponse:
    session = _session_or_404(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    is_learner = session.learner.user_id == current_user.id
    try:
        service.cancel(
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
        return redirect(url_for("main.home"))
    db.session.commit()
    _tell_cancelled(session, by_learner=is_learner)
    flash(_("La séance est annulée."), "success")
    back = request.form.get("back", "")
    return redirect(
        back
        if back.startswith("/") and not back.startswith("//")
        else url_for("main.home")
    )


def _tell_cancelled(session: TutoringSession, *, by_learner: bool) -> None:
    """The other side hears of a cancellation, in their language."""
    if by_learner:
        people = [session.tutor]
    else:
        people = [
            r.learner.user for r in service.slot_rows(session) if r.learner.user
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


@bp.post("/<int:session_id>/confirmer")
@roles_required(Role.LEARNER)
def confirm(session_id: int) -> BaseResponse:
    session = _own_place(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.confirm(session)
    except TutoringError:
        flash(_("Cette séance n’est plus à venir."), "error")
        return redirect(url_for("sessions.index"))
    db.session.commit()
    flash(_("Merci, votre tuteur sait que vous venez."), "success")
    return redirect(url_for("sessions.index"))


@bp.post("/<int:session_id>/autre-horaire")
@roles_required(Role.LEARNER)
def ask_change(session_id: int) -> BaseResponse:
    """Ask the tutor for another time, with a message."""
    session = _own_place(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.ask_change(session, request.form.get("message", ""))
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


@bp.get("/agenda/<token>.ics")
@public
def feed(token: str) -> Response:
    """A person's private calendar feed: the secret address is the key."""
    user = service.user_for_feed(token)
    if user is None:
        abort(404)
    with force_locale(notify.locale_of(user)):
        body = service.feed(user, describe)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=900"
    return response


@bp.get("/<int:session_id>.ics")
@roles_required(Role.LEARNER, Role.TUTOR, Role.REFERENT)
def calendar(session_id: int) -> Response:
    session = _session_or_404(session_id)
    body = service.ics(session, *describe(session))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="seance-{session.id}.ics"'
    )
    return response


__all__ = ["SessionStatus"]
