"""Tutor pages. A tutor only ever sees the learners of their own active pairings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.i18n import SPOKEN_LANGUAGES, language_name
from tutoring.models import LearnerProfile, Pairing, PairingStatus, Role
from tutoring.practice.labels import SKILL_LABELS
from tutoring.security import roles_required
from tutoring.services import tutoring as service
from tutoring.services.progress import dashboard
from tutoring.tutor import bp


def _approved() -> None:
    if not current_user.is_approved_tutor:
        abort(403)


@bp.get("/")
@roles_required(Role.TUTOR)
def index() -> str:
    _approved()
    pairings = db.session.scalars(
        select(Pairing)
        .where(Pairing.tutor_id == current_user.id, Pairing.status.in_(service.OPEN))
        .order_by(Pairing.created_at)
    ).all()
    return render_template(
        "tutor/index.html",
        proposed=[p for p in pairings if p.status == PairingStatus.PROPOSED],
        active=[p for p in pairings if p.status == PairingStatus.ACTIVE],
        queue=len(service.review_queue(current_user)),
        form=ConfirmForm(),
    )


def _own_pairing(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or pairing.tutor_id != current_user.id:
        abort(404)
    return pairing


@bp.post("/jumelage/<int:pairing_id>/reponse")
@roles_required(Role.TUTOR)
def respond(pairing_id: int) -> BaseResponse:
    _approved()
    pairing = _own_pairing(pairing_id)
    answer = request.form.get("answer")
    if not ConfirmForm().validate_on_submit() or answer not in ("accept", "decline"):
        abort(400)
    reason = request.form.get("reason", "")
    if answer == "decline" and not reason.strip():
        flash(
            _(
                "Indiquez la raison du refus : elle aide l’association à proposer mieux."
            ),
            "error",
        )
        return redirect(url_for("tutor.index"))
    try:
        service.respond(current_user, pairing, accept=answer == "accept", reason=reason)
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Merci, votre réponse est enregistrée."), "success")
    return redirect(url_for("tutor.index"))


@bp.get("/apprenants/<int:profile_id>")
@roles_required(Role.TUTOR)
def learner(profile_id: int) -> str:
    _approved()
    if profile_id not in service.tutor_learner_ids(current_user):
        abort(404)
    profile = db.session.get(LearnerProfile, profile_id)
    if profile is None or profile.user is None:
        abort(404)
    return render_template(
        "tutor/learner.html",
        profile=profile,
        board=dashboard(profile),
        skill_labels=SKILL_LABELS,
    )


@bp.route("/profil", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def profile() -> BaseResponse | tuple[str, int]:
    tutor_profile = current_user.tutor_profile
    if tutor_profile is None:
        abort(403)
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        languages = [
            code
            for code in request.form.getlist("languages")
            if code in SPOKEN_LANGUAGES
        ]
        capacity = request.form.get("max_learners", "")
        bio = request.form.get("bio", "").strip()
        if not capacity.isdigit() or not 1 <= int(capacity) <= 6:
            error = _("Choisissez entre 1 et 6 apprenants.")
        elif len(bio) > 500:
            error = _("La présentation est trop longue (500 caractères au plus).")
        else:
            tutor_profile.languages = languages
            tutor_profile.max_learners = int(capacity)
            tutor_profile.bio = bio or None
            db.session.commit()
            flash(_("Votre profil est enregistré."), "success")
            return redirect(url_for("tutor.profile"))
    choices = sorted(
        ((c, language_name(c)) for c in SPOKEN_LANGUAGES), key=lambda c: c[1]
    )
    return (
        render_template(
            "tutor/profile.html", tutor_profile=tutor_profile, choices=choices, error=error,
            form=ConfirmForm(),
        ),
        400 if error else 200,
    )  # fmt: skip
