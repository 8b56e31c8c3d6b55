"""Referent views. A learner is only ever looked up within the referent's structure."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS
from tutoring.accounts.access import (
    learner_or_404,
    open_to_pending_volunteers,
    roles_required,
)
from tutoring.accounts.enrolment import (
    learner_for,
)
from tutoring.accounts.models import Role
from tutoring.core.extensions import db
from tutoring.core.i18n import (
    SPOKEN_LANGUAGES,
    language_name,
)
from tutoring.pairing import availability, fit
from tutoring.pairing import pairings as service
from tutoring.pairing.availability import places_of
from tutoring.pairing.blueprint import bp
from tutoring.pairing.forms import (
    EditPlaceForm,
    EditTutorProfileForm,
    EndPairingForm,
    ProposePairingForm,
    ProposePairingsForm,
    RecordNeedsForm,
    RespondPairingForm,
)
from tutoring.pairing.models import Pairing, Place
from tutoring.pairing.preferences import record_needs, set_place, update_tutor_profile


@bp.post("/apprenants/<int:profile_id>/jumelage")
@roles_required(Role.REFERENT)
def propose_pairing(profile_id: int) -> BaseResponse:
    """Propose a volunteer to the learner; the volunteer accepts or declines."""
    profile = learner_or_404(profile_id)
    form = ProposePairingForm()
    form.refusal()
    if form.tutor_id.data is None:
        abort(400)
    # Only an approved volunteer of the learner's structure: any other id is unknown.
    tutor = service.tutor_of(profile.structure_id, form.tutor_id.data) or abort(404)
    try:
        service.propose(current_user, profile, tutor)
    except service.TutoringError:
        db.session.rollback()
        flash(
            _(
                "Ce jumelage n’est pas possible : la personne est déjà jumelée ou le "
                "bénévole n’a plus de place."
            ),
            "error",
        )
        return redirect(url_for("home.learner", profile_id=profile.id))
    db.session.commit()
    flash(_("Proposition envoyée au bénévole."), "success")
    return redirect(url_for("home.learner", profile_id=profile.id))


@bp.post("/apprenants/jumelage/<int:pairing_id>/fin")
@roles_required(Role.REFERENT)
def end_pairing(pairing_id: int) -> BaseResponse:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or learner_for(current_user, pairing.learner_id) is None:
        abort(404)
    form = EndPairingForm()
    form.refusal()
    try:
        service.end(pairing, form.reason.data, current_user)
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Le jumelage est terminé."), "success")
    return redirect(url_for("home.learner", profile_id=pairing.learner_id))


@bp.route("/apprenants/jumelages", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def pairings() -> BaseResponse | str:
    """Waiting list, and an optimal proposal for all waiting learners at once."""
    form = ProposePairingsForm()
    if form.is_submitted():
        form.refusal()
        try:
            made = service.propose_all(current_user, form.pairs())
        except LookupError:
            abort(404)
        db.session.commit()
        flash(
            ngettext(
                "%(num)s proposition envoyée.", "%(num)s propositions envoyées.", made
            ),
            "success",
        )
        return redirect(url_for("pairing.pairings"))
    waiting = service.waiting_learners(current_user.structure_id)
    proposal = (
        fit.optimal_proposal(current_user.structure_id)
        if request.args.get("proposition")
        else None
    )
    return render_template(
        "pairing/pairings.html",
        waiting=waiting,
        current=service.open_pairings_in(current_user.structure_id),
        proposal=list(zip(waiting, proposal, strict=True))
        if proposal is not None
        else None,
        form=form,
    )


@bp.route("/apprenants/lieux", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def places() -> BaseResponse | tuple[str, int]:
    """The places where sessions happen: address, access, opening hours, capacity."""
    form = EditPlaceForm()
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        place = Place(structure_id=current_user.structure_id)
        set_place(place, **form.columns())
        db.session.add(place)
        db.session.commit()
        flash(_("Le lieu est ajouté."), "success")
        return redirect(url_for("pairing.places"))
    return (
        render_template(
            "pairing/places.html",
            places=places_of(current_user.structure_id, active_only=False),
            error=error, form=form,
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/apprenants/lieux/<int:place_id>", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def edit_place(place_id: int) -> BaseResponse | tuple[str, int]:
    place = db.session.get(Place, place_id)
    if place is None or place.structure_id != current_user.structure_id:
        abort(404)
    form = EditPlaceForm()
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        set_place(place, **form.columns())
        db.session.commit()
        flash(_("Le lieu est enregistré."), "success")
        return redirect(url_for("pairing.places"))
    return (
        render_template("pairing/place.html", place=place, error=error, form=form),
        400 if error else 200,
    )


@bp.route("/apprenants/<int:profile_id>/besoins", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def needs(profile_id: int) -> BaseResponse | str:
    """Tutoring needs, filled in with the learner: when, where, and wishes."""
    profile = learner_or_404(profile_id)
    form = RecordNeedsForm(places=places_of(profile.structure_id))
    if form.is_submitted():
        form.refusal()
        record_needs(
            profile, slots=form.slots(), place_ids=form.place_ids(),
            video_ok=form.video_ok.data, same_sex_tutor=form.same_sex_tutor.data,
            reads_latin=not form.not_reading.data,
        )  # fmt: skip
        db.session.commit()
        flash(_("Les besoins pour le tutorat sont enregistrés."), "success")
        return redirect(url_for("home.learner", profile_id=profile.id))
    return render_template(
        "pairing/needs.html",
        profile=profile,
        ticked=availability.ticked(profile),
        places=places_of(profile.structure_id),
        form=form,
    )


def _own_pairing(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or pairing.tutor_id != current_user.id:
        abort(404)
    return pairing


@bp.post("/tuteur/jumelage/<int:pairing_id>/reponse")
@roles_required(Role.TUTOR)
def respond(pairing_id: int) -> BaseResponse:
    pairing = _own_pairing(pairing_id)
    form = RespondPairingForm()
    error = form.refusal()
    if error is not None:
        flash(error, "error")
        return redirect(url_for("home.volunteer"))
    try:
        service.respond(
            current_user, pairing, accept=form.answer.data == "accept",
            reason=form.reason.data,
        )  # fmt: skip
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Merci, votre réponse est enregistrée."), "success")
    return redirect(url_for("home.volunteer"))


@bp.route("/tuteur/profil", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
@open_to_pending_volunteers
def profile() -> BaseResponse | tuple[str, int]:
    """Languages, availability, places, preferences and absences of a volunteer."""
    tutor_profile = current_user.tutor_profile
    if tutor_profile is None:
        abort(403)
    structure_id = tutor_profile.structure_id or current_user.structure_id
    form = EditTutorProfileForm(places=places_of(structure_id))
    error = form.refusal() if form.is_submitted() else None
    errors = list(form.messages()) if error else []
    if form.is_submitted() and error is None:
        update_tutor_profile(current_user, tutor_profile, **form.offer())
        db.session.commit()
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("pairing.profile"))
    choices = sorted(
        ((c, language_name(c)) for c in SPOKEN_LANGUAGES if c != "fr"),
        key=lambda c: c[1],
    )
    return (
        render_template(
            "pairing/profile.html", tutor_profile=tutor_profile, choices=choices,
            errors=errors, form=form, ticked=availability.ticked(current_user),
            places=places_of(structure_id), levels=LEVELS,
        ),
        400 if error else 200,
    )  # fmt: skip
