"""Tutor pages. A tutor only ever sees the learners of their own active pairings."""

from __future__ import annotations

from datetime import date, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.i18n import SPOKEN_LANGUAGES, language_name
from tutoring.models import (
    Attendance,
    LearnerProfile,
    Pairing,
    PairingStatus,
    Role,
    TutoringSession,
)
from tutoring.models.base import utcnow
from tutoring.practice.labels import SKILL_LABELS
from tutoring.security import roles_required
from tutoring.services import sessions_tutoring as sessions
from tutoring.services import tutoring as service
from tutoring.services.progress import dashboard
from tutoring.services.tutoring import TutoringError
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
    pairing = _active_pairing(profile_id)
    return render_template(
        "tutor/learner.html",
        profile=profile,
        board=dashboard(profile),
        skill_labels=SKILL_LABELS,
        sessions=sessions.sessions_of_pairing({pairing.id}),
        now=utcnow(),
        form=ConfirmForm(),
    )


def _active_pairing(profile_id: int) -> Pairing:
    pairing = db.session.scalar(
        select(Pairing).where(
            Pairing.tutor_id == current_user.id,
            Pairing.learner_id == profile_id,
            Pairing.status == PairingStatus.ACTIVE,
        )
    )
    if pairing is None:
        abort(404)
    return pairing


BOOKING_ERRORS = {
    "no_such_time": lambda: _(
        "Cette heure n’existe pas ce jour-là (changement d’heure)."
    ),
    "past": lambda: _("Choisissez une date à venir."),
    "duration": lambda: _("Une séance dure de 15 minutes à 4 heures."),
    "place": lambda: _("Indiquez le lieu (ou « visio »)."),
    "overlap": lambda: _(
        "Ce créneau est déjà pris par une autre séance du tuteur ou de l’apprenant."
    ),
    "not_paired": lambda: _("Ce jumelage n’est plus actif."),
}


@bp.post("/apprenants/<int:profile_id>/seances")
@roles_required(Role.TUTOR)
def book(profile_id: int) -> BaseResponse:
    """Schedule a session with a paired learner (Europe/Paris times)."""
    _approved()
    pairing = _active_pairing(profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        day = date.fromisoformat(request.form.get("day", ""))
        at = time.fromisoformat(request.form.get("at", ""))
        minutes = int(request.form.get("minutes", ""))
    except ValueError:
        flash(_("Indiquez une date, une heure et une durée valables."), "error")
        return redirect(url_for("tutor.learner", profile_id=profile_id))
    try:
        sessions.book_session(
            current_user, pairing, day=day, at=at, minutes=minutes,
            place=request.form.get("place", ""),
        )  # fmt: skip
    except TutoringError as exc:
        flash(BOOKING_ERRORS.get(exc.code, BOOKING_ERRORS["past"])(), "error")
        return redirect(url_for("tutor.learner", profile_id=profile_id))
    flash(_("La séance est programmée."), "success")
    return redirect(url_for("tutor.learner", profile_id=profile_id))


@bp.route("/seances/<int:session_id>/compte-rendu", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def report(session_id: int) -> BaseResponse | tuple[str, int]:
    """After the session: attendance, real duration, a note for the learner and one
    for the referent only."""
    _approved()
    session = db.session.get(TutoringSession, session_id)
    if session is None or session.tutor_id != current_user.id:
        abort(404)
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        attendance = request.form.get("attendance", "")
        minutes = request.form.get("minutes", "")
        if attendance not in {a.value for a in Attendance} or not minutes.isdigit():
            error = _("Indiquez la présence et la durée réelle en minutes.")
        else:
            try:
                sessions.record_report(
                    session, attendance=Attendance(attendance), minutes=int(minutes),
                    note_for_learner=request.form.get("note_for_learner", ""),
                    note_for_referent=request.form.get("note_for_referent", ""),
                )  # fmt: skip
            except TutoringError:
                error = _("Le compte rendu se fait après le début de la séance.")
            else:
                db.session.commit()
                flash(_("Le compte rendu est enregistré."), "success")
                return redirect(url_for("tutor.learner", profile_id=session.learner_id))
    page = render_template(
        "tutor/report.html", session=session, error=error, form=ConfirmForm()
    )
    return page, 400 if error else 200


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
