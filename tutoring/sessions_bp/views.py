"""Session pages. A session is visible to its learner, its tutor and the learner's referents."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.models import Role, SessionStatus, TutoringSession
from tutoring.security import roles_required
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
    flash(_("La séance est annulée."), "success")
    back = request.form.get("back", "")
    return redirect(
        back
        if back.startswith("/") and not back.startswith("//")
        else url_for("main.home")
    )


@bp.get("/<int:session_id>.ics")
@roles_required(Role.LEARNER, Role.TUTOR, Role.REFERENT)
def calendar(session_id: int) -> Response:
    session = _session_or_404(session_id)
    body = service.ics(
        session,
        _("Séance de tutorat de français"),
        _(
            "Avec %(tutor)s. Lieu : %(place)s",
            tutor=session.tutor.display_name,
            place=session.place,
        ),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="seance-{session.id}.ics"'
    )
    return response


__all__ = ["SessionStatus"]
