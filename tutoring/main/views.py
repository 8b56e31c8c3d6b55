"""Home, language picker, accessibility statement, privacy notice, charter, health."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select, text
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import csrf, db
from tutoring.forms import ConfirmForm
from tutoring.i18n import LANG_COOKIE, supported_locales
from tutoring.main import bp
from tutoring.models import LearnerProfile, Role, TutorProfile, TutorStatus, User
from tutoring.practice.labels import SKILL_LABELS
from tutoring.security import allowed_before_2fa, is_safe_next, public, signed_in
from tutoring.services import notify
from tutoring.services.accounts import CHARTER_VERSION
from tutoring.services.learners import PRIVACY_NOTICE_VERSION
from tutoring.services.practice import open_homework, placement_done
from tutoring.services.progress import dashboard
from tutoring.services.sessions_tutoring import upcoming_for_learner
from tutoring.services.tutoring import reviews_for_learner


@bp.get("/")
@public
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    context: dict[str, object] = {"notices": notify.notices(current_user)}
    if current_user.has_role(Role.LEARNER) and current_user.learner_profile is not None:
        context["homework"] = open_homework(current_user.learner_profile)
        context["board"] = dashboard(current_user.learner_profile)
        context["placement_done"] = placement_done(current_user.learner_profile)
        context["reviews"] = reviews_for_learner(current_user.learner_profile, limit=3)
        upcoming = upcoming_for_learner(current_user.learner_profile)
        context["next_session"] = upcoming[0] if upcoming else None
        context["skill_labels"] = SKILL_LABELS
    if current_user.has_role(Role.REFERENT):
        structure_id = current_user.structure_id
        context["pending_tutors"] = db.session.scalar(
            select(db.func.count())
            .select_from(TutorProfile)
            .where(TutorProfile.status == TutorStatus.PENDING)
        )
        context["erasure_requests"] = db.session.scalars(
            select(LearnerProfile).where(
                LearnerProfile.structure_id == structure_id,
                LearnerProfile.erasure_requested_at.is_not(None),
                LearnerProfile.user_id.is_not(None),
            )
        ).all()
        context["inactive_learners"] = db.session.scalars(
            select(LearnerProfile)
            .join(User, LearnerProfile.user_id == User.id)
            .where(
                LearnerProfile.structure_id == structure_id,
                User.inactivity_notice_at.is_not(None),
            )
        ).all()
    return render_template("main/home.html", **context)


@bp.post("/langue")
@public
@allowed_before_2fa
def set_language() -> BaseResponse:
    """Remember the chosen language for the browser and, if signed in, the account."""
    lang = request.form.get("lang", "")
    target = request.form.get("next", "")
    target = target if is_safe_next(target) else url_for("main.home")
    response = redirect(target)
    if lang in supported_locales():
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return response


@bp.get("/accessibilite")
@public
@allowed_before_2fa
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.get("/confidentialite")
@public
@allowed_before_2fa
def privacy() -> str:
    return render_template("main/privacy.html", version=PRIVACY_NOTICE_VERSION)


@bp.get("/charte-du-benevole")
@public
@allowed_before_2fa
def charter() -> str:
    return render_template("main/charter.html", version=CHARTER_VERSION)


@bp.get("/attestation/<code>")
@public
@allowed_before_2fa
def check_attestation(code: str) -> tuple[str, int]:
    """Anyone given an attestation's code can check that it is genuine."""
    from tutoring.practice.labels import SKILL_LABELS
    from tutoring.services.attestations import find

    record = find(code[:30])
    return (
        render_template(
            "main/attestation_check.html", record=record, skill_labels=SKILL_LABELS
        ),
        200 if record else 404,
    )


@bp.get("/sante")
@public
@allowed_before_2fa
@csrf.exempt
def health() -> tuple[BaseResponse, int]:
    """For the reverse proxy and monitoring: is the database reachable?"""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return jsonify(status="error"), 503
    return jsonify(status="ok"), 200


@bp.post("/nouvelles/<int:message_id>/lu")
@signed_in
def dismiss_notice(message_id: int) -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not notify.dismiss(current_user, message_id):
        abort(404)
    db.session.commit()
    return redirect(url_for("main.home"))
