"""Referent views. A learner is only ever looked up within the referent's structure."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS
from tutoring.accounts.access import (
    learner_or_404,
    require_approved_volunteer,
    roles_required,
)
from tutoring.accounts.enrolment import (
    learner_for,
)
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import (
    Sex,
)
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.i18n import (
    SPOKEN_LANGUAGES,
    language_name,
)
from tutoring.pairing import availability, fit
from tutoring.pairing import pairings as service
from tutoring.pairing.availability import places_of
from tutoring.pairing.blueprint import bp
from tutoring.pairing.models import Pairing, Place


@bp.post("/apprenants/<int:profile_id>/jumelage")
@roles_required(Role.REFERENT)
def propose_pairing(profile_id: int) -> BaseResponse:
    """Propose a volunteer to the learner; the volunteer accepts or declines."""
    profile = learner_or_404(profile_id)
    tutor = db.session.get(User, request.form.get("tutor_id", type=int) or 0)
    if not ConfirmForm().validate_on_submit() or tutor is None:
        abort(400)
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
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.end(pairing, request.form.get("reason", ""))
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Le jumelage est terminé."), "success")
    return redirect(url_for("home.learner", profile_id=pairing.learner_id))


@bp.route("/apprenants/jumelages", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def pairings() -> BaseResponse | str:
    """Waiting list, and an optimal proposal for all waiting learners at once."""
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        made = 0
        for value in request.form.getlist("pair"):
            learner_id, _sep, tutor_id = value.partition(":")
            if not (learner_id.isdigit() and tutor_id.isdigit()):
                abort(400)
            profile = learner_for(current_user, int(learner_id))
            tutor = db.session.get(User, int(tutor_id))
            if profile is None or tutor is None:
                abort(404)
            try:
                service.propose(current_user, profile, tutor)
                made += 1
            except service.TutoringError:
                continue
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
        proposal=list(zip(waiting, proposal, strict=True))
        if proposal is not None
        else None,
        form=ConfirmForm(),
    )


def _read_place(place: Place) -> str | None:
    """Fill a place from the form; returns an error message or None."""
    form = request.form
    name = form.get("name", "").strip()
    capacity = form.get("capacity", "")
    if not name or len(name) > 120:
        return _("Indiquez le nom du lieu (120 caractères au plus).")
    if not capacity.isdigit() or not 2 <= int(capacity) <= 60:
        return _("La capacité va de 2 à 60 personnes.")
    fields = {
        "address": 200, "accessibility": 200, "opening_hours": 200,
    }  # fmt: skip
    for key, limit in fields.items():
        if len(form.get(key, "").strip()) > limit:
            return _("Un des champs est trop long (200 caractères au plus).")
    place.name = name
    place.capacity = int(capacity)
    place.address = form.get("address", "").strip()
    place.accessibility = form.get("accessibility", "").strip()
    place.opening_hours = form.get("opening_hours", "").strip()
    place.step_free = bool(form.get("step_free"))
    place.active = form.get("active", "1") == "1"
    return None


@bp.route("/apprenants/lieux", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def places() -> BaseResponse | tuple[str, int]:
    """The places where sessions happen: address, access, opening hours, capacity."""
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        place = Place(structure_id=current_user.structure_id)
        error = _read_place(place)
        if error is None:
            db.session.add(place)
            db.session.commit()
            flash(_("Le lieu est ajouté."), "success")
            return redirect(url_for("pairing.places"))
    return (
        render_template(
            "pairing/places.html",
            places=places_of(current_user.structure_id, active_only=False),
            error=error, form=ConfirmForm(),
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/apprenants/lieux/<int:place_id>", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def edit_place(place_id: int) -> BaseResponse | tuple[str, int]:
    place = db.session.get(Place, place_id)
    if place is None or place.structure_id != current_user.structure_id:
        abort(404)
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        error = _read_place(place)
        if error is None:
            db.session.commit()
            flash(_("Le lieu est enregistré."), "success")
            return redirect(url_for("pairing.places"))
        db.session.rollback()
    return (
        render_template(
            "pairing/place.html", place=place, error=error, form=ConfirmForm()
        ),
        400 if error else 200,
    )


@bp.route("/apprenants/<int:profile_id>/besoins", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def needs(profile_id: int) -> BaseResponse | str:
    """Tutoring needs, filled in with the learner: when, where, and wishes."""
    profile = learner_or_404(profile_id)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        slots = availability.parse(request.form.getlist("availability"))
        ids = availability.place_ids(
            profile.structure_id, request.form.getlist("places")
        )
        if slots is None or ids is None:
            abort(400)
        availability.save(profile, slots)
        profile.place_ids = ids
        profile.video_ok = bool(request.form.get("video_ok"))
        profile.same_sex_tutor = bool(request.form.get("same_sex_tutor"))
        profile.reads_latin = not request.form.get("not_reading")
        db.session.commit()
        flash(_("Les besoins pour le tutorat sont enregistrés."), "success")
        return redirect(url_for("home.learner", profile_id=profile.id))
    return render_template(
        "pairing/needs.html",
        profile=profile,
        ticked=availability.ticked(profile),
        places=places_of(profile.structure_id),
        form=ConfirmForm(),
    )


SEXES = tuple(s.value for s in Sex)


def _own_pairing(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or pairing.tutor_id != current_user.id:
        abort(404)
    return pairing


@bp.post("/tuteur/jumelage/<int:pairing_id>/reponse")
@roles_required(Role.TUTOR)
def respond(pairing_id: int) -> BaseResponse:
    require_approved_volunteer()
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
        return redirect(url_for("home.volunteer"))
    try:
        service.respond(current_user, pairing, accept=answer == "accept", reason=reason)
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Merci, votre réponse est enregistrée."), "success")
    return redirect(url_for("home.volunteer"))


def _date_or_none(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@bp.route("/tuteur/profil", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def profile() -> BaseResponse | tuple[str, int]:
    """Languages, availability, places, preferences and absences of a volunteer."""
    tutor_profile = current_user.tutor_profile
    if tutor_profile is None:
        abort(403)
    structure_id = tutor_profile.structure_id or current_user.structure_id
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        form = request.form
        languages = [c for c in form.getlist("languages") if c in SPOKEN_LANGUAGES]
        capacity = form.get("max_learners", "")
        bio = form.get("bio", "").strip()
        slots = availability.parse(form.getlist("availability"))
        place_ids = availability.place_ids(structure_id, form.getlist("places"))
        levels = [v for v in form.getlist("levels") if v in LEVELS]
        sex = form.get("sex", "")
        try:
            away_from = _date_or_none(form.get("away_from", ""))
            away_until = _date_or_none(form.get("away_until", ""))
        except ValueError:
            away_from = away_until = date.min
        if slots is None or place_ids is None or sex not in ("", *SEXES):
            abort(400)
        if not capacity.isdigit() or not 1 <= int(capacity) <= 6:
            error = _("Choisissez entre 1 et 6 apprenants.")
        elif len(bio) > 500:
            error = _("La présentation est trop longue (500 caractères au plus).")
        elif (
            away_from == date.min
            or (away_from is None) != (away_until is None)
            or (away_from and away_until and away_until < away_from)
        ):
            error = _("Indiquez les deux dates de l’absence, la fin après le début.")
        else:
            tutor_profile.languages = languages
            tutor_profile.max_learners = int(capacity)
            tutor_profile.bio = bio or None
            tutor_profile.place_ids = place_ids
            tutor_profile.video_ok = bool(form.get("video_ok"))
            tutor_profile.levels = levels
            tutor_profile.non_readers = bool(form.get("non_readers"))
            tutor_profile.workshops = bool(form.get("workshops"))
            tutor_profile.sex = Sex(sex) if sex else None
            tutor_profile.away_from, tutor_profile.away_until = away_from, away_until
            availability.save(current_user, slots)
            db.session.commit()
            flash(_("Votre profil est enregistré."), "success")
            return redirect(url_for("pairing.profile"))
    choices = sorted(
        ((c, language_name(c)) for c in SPOKEN_LANGUAGES), key=lambda c: c[1]
    )
    return (
        render_template(
            "pairing/profile.html", tutor_profile=tutor_profile, choices=choices,
            error=error, form=ConfirmForm(), ticked=availability.ticked(current_user),
            places=availability.places_of(structure_id), levels=LEVELS,
        ),
        400 if error else 200,
    )  # fmt: skip
