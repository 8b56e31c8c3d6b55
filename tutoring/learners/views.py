"""Referent views. A learner is only ever looked up within the referent's structure."""

from __future__ import annotations

import json
from datetime import date

import segno
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.forms import ConfirmForm, options
from tutoring.i18n import (
    SPOKEN_LANGUAGES,
    language_name,
    native_name,
    supported_locales,
)
from tutoring.learners import bp
from tutoring.learners.forms import (
    AGE_BAND_LABELS,
    GOAL_LABELS,
    OUTCOME_LABELS,
    PUBLIC_CATEGORY_LABELS,
    SEX_LABELS,
    SOURCE_LABELS,
    EraseForm,
    ExternalLevelForm,
    LearnerForm,
    OutcomeForm,
    PartnerForm,
)
from tutoring.models import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    Pairing,
    PairingStatus,
    Partner,
    Place,
    PublicCategory,
    Role,
    Sex,
    User,
)
from tutoring.practice.labels import SKILL_LABELS, THEME_LABELS
from tutoring.security import roles_required
from tutoring.services import audit, availability, sessions_tutoring, tutoring
from tutoring.services.accounts import AccountError
from tutoring.services.availability import places_of
from tutoring.services.learners import (
    LearnerData,
    active_card,
    enrol_learner,
    erase_learner,
    export_user_data,
    issue_login_card,
    learner_for,
    learners_of,
    revoke_login_cards,
    update_learner,
)
from tutoring.services.outcomes import outcomes_of
from tutoring.services.progress import (
    dashboard,
    external_levels,
    recent_attempts,
    record_external_level,
    weakest_skills,
)
from tutoring.sessions_bp.booking import book_fields, booking_error, notify_booked

ERROR_MESSAGES = {
    "email_taken": lambda: _("Un compte existe déjà avec cette adresse e-mail."),
    "unknown_partner": lambda: _("Choisissez une structure de la liste."),
    "arrival_year_range": lambda: _(
        "L’année doit être comprise entre 1950 et cette année."
    ),
    "date_range": lambda: _("Cette date n’est pas plausible."),
    "structure_required": lambda: _(
        "Votre compte n’est rattaché à aucune structure : "
        "demandez-le à l’administrateur."
    ),
}


def _profile_or_404(profile_id: int) -> LearnerProfile:
    profile = learner_for(current_user, profile_id)
    if profile is None:
        abort(404)
    return profile


def _fill_choices(form: LearnerForm) -> None:
    form.locale.choices = options(
        (code, native_name(code)) for code in supported_locales()
    )
    form.languages.choices = options(
        sorted(
            ((code, language_name(code)) for code in SPOKEN_LANGUAGES),
            key=lambda c: c[1],
        )
    )
    partners = db.session.scalars(
        select(Partner)
        .where(Partner.structure_id == current_user.structure_id, Partner.active)
        .order_by(Partner.name)
    ).all()
    form.partner_id.choices = options(
        [(0, _("Non renseigné"))] + [(p.id, p.name) for p in partners]
    )


def _data_from(form: LearnerForm) -> LearnerData:
    return LearnerData(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        phone=form.phone.data,
        email=form.email.data,
        locale=form.locale.data,
        languages=list(form.languages.data or []),
        public_category=PublicCategory(form.public_category.data),
        arrival_year=form.arrival_year.data,
        cir_signed_on=form.cir_signed_on.data,
        partner_id=form.partner_id.data or None,
        goal=FrenchGoal(form.goal.data),
        sex=Sex(form.sex.data) if form.sex.data else None,
        age_band=AgeBand(form.age_band.data) if form.age_band.data else None,
        consent_on=form.consent_on.data,
        target_date=form.target_date.data,
    )


def _show_error(form: LearnerForm, exc: AccountError) -> None:
    message = ERROR_MESSAGES.get(exc.code, ERROR_MESSAGES["date_range"])()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


@bp.get("/")
@roles_required(Role.REFERENT)
def index() -> str:
    query = request.args.get("q", "").strip().lower()[:80]
    profiles = learners_of(current_user)
    if query:
        profiles = [
            p
            for p in profiles
            if p.user
            and (query in p.user.display_name.lower() or query in p.user.username)
        ]
    return render_template("learners/index.html", profiles=profiles, query=query)


@bp.route("/inscrire", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def enrol() -> BaseResponse | tuple[str, int]:
    form = LearnerForm()
    _fill_choices(form)
    if request.method == "GET":
        form.locale.data = "fr"
    if form.validate_on_submit():
        try:
            user = enrol_learner(current_user, _data_from(form))
        except AccountError as exc:
            db.session.rollback()
            _show_error(form, exc)
            return render_template("learners/form.html", form=form, profile=None), 400
        db.session.commit()
        assert user.learner_profile is not None
        flash(
            _(
                "%(name)s est inscrit·e. Imprimez maintenant sa carte de connexion.",
                name=user.first_name,
            ),
            "success",
        )
        return redirect(url_for("learners.show", profile_id=user.learner_profile.id))
    return render_template("learners/form.html", form=form, profile=None), (
        400 if form.errors else 200
    )


@bp.get("/<int:profile_id>")
@roles_required(Role.REFERENT)
def show(profile_id: int) -> str:
    profile = _profile_or_404(profile_id)
    assert profile.user is not None
    board = dashboard(profile)
    return render_template(
        "learners/show.html",
        profile=profile,
        board=board,
        weak_skills=weakest_skills(board),
        skill_labels=SKILL_LABELS,
        theme_labels=THEME_LABELS,
        recent=recent_attempts(profile),
        external=external_levels(profile),
        level_form=ExternalLevelForm(formdata=None, taken_on=date.today()),
        outcome_form=OutcomeForm(formdata=None, obtained_on=date.today()),
        outcomes=outcomes_of(profile),
        outcome_labels=OUTCOME_LABELS,
        source_labels=SOURCE_LABELS,
        card=active_card(profile.user),
        pairing=tutoring.open_pairing(profile),
        suggestions=tutoring.suggestions(profile)[:5],
        sessions=sessions_tutoring.sessions_of_learner(profile)[:10],
        places=places_of(profile.structure_id),
        labels={
            "category": PUBLIC_CATEGORY_LABELS,
            "goal": GOAL_LABELS,
            "sex": SEX_LABELS,
            "age": AGE_BAND_LABELS,
        },
        form=ConfirmForm(),
    )


@bp.post("/<int:profile_id>/jumelage")
@roles_required(Role.REFERENT)
def propose_pairing(profile_id: int) -> BaseResponse:
    """Propose a volunteer to the learner; the volunteer accepts or declines."""
    profile = _profile_or_404(profile_id)
    tutor = db.session.get(User, request.form.get("tutor_id", type=int) or 0)
    if not ConfirmForm().validate_on_submit() or tutor is None:
        abort(400)
    try:
        tutoring.propose(current_user, profile, tutor)
    except tutoring.TutoringError:
        db.session.rollback()
        flash(
            _(
                "Ce jumelage n’est pas possible : la personne est déjà jumelée ou le "
                "bénévole n’a plus de place."
            ),
            "error",
        )
        return redirect(url_for("learners.show", profile_id=profile.id))
    db.session.commit()
    flash(_("Proposition envoyée au bénévole."), "success")
    return redirect(url_for("learners.show", profile_id=profile.id))


@bp.post("/jumelage/<int:pairing_id>/fin")
@roles_required(Role.REFERENT)
def end_pairing(pairing_id: int) -> BaseResponse:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or learner_for(current_user, pairing.learner_id) is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        tutoring.end(pairing, request.form.get("reason", ""))
    except tutoring.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Le jumelage est terminé."), "success")
    return redirect(url_for("learners.show", profile_id=pairing.learner_id))


@bp.route("/jumelages", methods=["GET", "POST"])
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
                tutoring.propose(current_user, profile, tutor)
                made += 1
            except tutoring.TutoringError:
                continue
        db.session.commit()
        flash(
            ngettext(
                "%(num)s proposition envoyée.", "%(num)s propositions envoyées.", made
            ),
            "success",
        )
        return redirect(url_for("learners.pairings"))
    waiting = tutoring.waiting_learners(current_user.structure_id)
    proposal = (
        tutoring.optimal_proposal(current_user.structure_id)
        if request.args.get("proposition")
        else None
    )
    return render_template(
        "learners/pairings.html",
        waiting=waiting,
        proposal=list(zip(waiting, proposal, strict=True))
        if proposal is not None
        else None,
        form=ConfirmForm(),
    )


@bp.post("/<int:profile_id>/niveau-externe")
@roles_required(Role.REFERENT)
def external_level(profile_id: int) -> BaseResponse:
    """Record a level measured outside the platform (OFII, TCF, TEF, DELF)."""
    profile = _profile_or_404(profile_id)
    form = ExternalLevelForm()
    if not form.validate_on_submit() or form.taken_on.data > date.today():
        flash(_("Évaluation non enregistrée : vérifiez le niveau et la date."), "error")
        return redirect(url_for("learners.show", profile_id=profile.id))
    record_external_level(
        profile, current_user, source=form.source.data, skill=form.skill.data or None,
        level=form.level.data, taken_on=form.taken_on.data,
    )  # fmt: skip
    db.session.commit()
    flash(_("L’évaluation est enregistrée."), "success")
    return redirect(url_for("learners.show", profile_id=profile.id))


@bp.route("/<int:profile_id>/modifier", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def edit(profile_id: int) -> BaseResponse | tuple[str, int]:
    profile = _profile_or_404(profile_id)
    user = profile.user
    assert user is not None
    form = LearnerForm()
    _fill_choices(form)
    if request.method == "GET":
        form.first_name.data = user.first_name
        form.last_name.data = user.last_name
        form.phone.data = user.phone
        form.email.data = user.email
        form.locale.data = user.locale
        form.languages.data = profile.languages
        form.public_category.data = profile.public_category.value
        form.arrival_year.data = profile.arrival_year
        form.cir_signed_on.data = profile.cir_signed_on
        form.partner_id.data = profile.partner_id or 0
        form.goal.data = profile.goal.value
        form.sex.data = profile.sex.value if profile.sex else ""
        form.age_band.data = profile.age_band.value if profile.age_band else ""
        form.consent.data = True
        form.consent_on.data = profile.consent_on
        form.target_date.data = profile.target_date
    if form.validate_on_submit():
        try:
            update_learner(current_user, profile, _data_from(form))
        except AccountError as exc:
            db.session.rollback()
            _show_error(form, exc)
            return render_template(
                "learners/form.html", form=form, profile=profile
            ), 400
        db.session.commit()
        flash(_("Les informations sont enregistrées."), "success")
        return redirect(url_for("learners.show", profile_id=profile.id))
    return render_template("learners/form.html", form=form, profile=profile), (
        400 if form.errors else 200
    )


def _card_texts(locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {
            "title": _("Ma carte de connexion"),
            "scan": _("Scannez le code QR avec l’appareil photo de votre téléphone."),
            "type": _(
                "Sur un ordinateur, ouvrez %(url)s et tapez ce code :",
                url=url_for("auth.card_login", _external=True),
            ),
            "keep": _(
                "Ne montrez pas cette carte : elle ouvre votre compte. "
                "Si vous la perdez, prévenez votre référent ou référente."
            ),
        }


@bp.post("/<int:profile_id>/carte")
@roles_required(Role.REFERENT)
def print_card(profile_id: int) -> Response:
    """Issue a new card (the old one stops working) and show it ready to print."""
    profile = _profile_or_404(profile_id)
    user = profile.user
    assert user is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = issue_login_card(user, current_user)
    db.session.commit()
    link = url_for("auth.card_link", code=code, _external=True)
    qr_svg = segno.make(link, error="m").svg_inline(scale=3, dark="#000", light="#fff")
    locales = ["fr"] + ([user.locale] if user.locale != "fr" else [])
    texts = [(loc, _card_texts(loc)) for loc in locales]
    html = render_template(
        "learners/card.html",
        user=user,
        code=code,
        qr_svg=qr_svg,
        texts=texts,
        profile=profile,
    )
    response = Response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:profile_id>/carte/revoquer")
@roles_required(Role.REFERENT)
def revoke_card(profile_id: int) -> BaseResponse:
    profile = _profile_or_404(profile_id)
    assert profile.user is not None
    if ConfirmForm().validate_on_submit() and revoke_login_cards(
        profile.user, current_user
    ):
        db.session.commit()
        flash(_("La carte est désactivée : son code ne fonctionne plus."), "success")
    return redirect(url_for("learners.show", profile_id=profile.id))


@bp.get("/<int:profile_id>/donnees")
@roles_required(Role.REFERENT)
def data(profile_id: int) -> str:
    profile = _profile_or_404(profile_id)
    assert profile.user is not None
    return render_template(
        "account/my_data.html", data=export_user_data(profile.user), profile=profile
    )


@bp.get("/<int:profile_id>/donnees.json")
@roles_required(Role.REFERENT)
def data_json(profile_id: int) -> Response:
    profile = _profile_or_404(profile_id)
    assert profile.user is not None
    payload = export_user_data(profile.user)
    audit.record("data_exported", current_user, profile.user)
    db.session.commit()
    response = Response(
        json.dumps(payload, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="donnees-{profile.user.username}.json"'
    )
    return response


@bp.route("/<int:profile_id>/effacer", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def erase(profile_id: int) -> BaseResponse | tuple[str, int]:
    profile = _profile_or_404(profile_id)
    form = EraseForm()
    if form.validate_on_submit():
        erase_learner(profile, current_user)
        db.session.commit()
        flash(_("Les données personnelles ont été effacées."), "success")
        return redirect(url_for("learners.index"))
    return render_template("learners/erase.html", form=form, profile=profile), (
        400 if form.errors else 200
    )


@bp.route("/partenaires", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def partners() -> BaseResponse | tuple[str, int]:
    form = PartnerForm()
    rows = db.session.scalars(
        select(Partner)
        .where(Partner.structure_id == current_user.structure_id)
        .order_by(Partner.name)
    ).all()
    if form.validate_on_submit():
        if any(p.name.lower() == form.name.data.lower() for p in rows):
            form.name.errors = [_("Cette structure est déjà dans la liste.")]
        else:
            db.session.add(
                Partner(structure_id=current_user.structure_id, name=form.name.data)
            )
            db.session.commit()
            flash(_("Structure ajoutée."), "success")
            return redirect(url_for("learners.partners"))
    return render_template(
        "learners/partners.html", form=form, partners=rows, toggle=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/partenaires/<int:partner_id>/basculer")
@roles_required(Role.REFERENT)
def toggle_partner(partner_id: int) -> BaseResponse:
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.structure_id != current_user.structure_id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        partner.active = not partner.active
        db.session.commit()
    return redirect(url_for("learners.partners"))


# --- Places and tutoring needs --------------------------------------------------------


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


@bp.route("/lieux", methods=["GET", "POST"])
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
            return redirect(url_for("learners.places"))
    return (
        render_template(
            "learners/places.html",
            places=places_of(current_user.structure_id, active_only=False),
            error=error, form=ConfirmForm(),
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/lieux/<int:place_id>", methods=["GET", "POST"])
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
            return redirect(url_for("learners.places"))
        db.session.rollback()
    return (
        render_template(
            "learners/place.html", place=place, error=error, form=ConfirmForm()
        ),
        400 if error else 200,
    )


@bp.route("/<int:profile_id>/besoins", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def needs(profile_id: int) -> BaseResponse | str:
    """Tutoring needs, filled in with the learner: when, where, and wishes."""
    profile = _profile_or_404(profile_id)
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
        return redirect(url_for("learners.show", profile_id=profile.id))
    return render_template(
        "learners/needs.html",
        profile=profile,
        ticked=availability.ticked(profile),
        places=places_of(profile.structure_id),
        form=ConfirmForm(),
    )


@bp.post("/<int:profile_id>/seances")
@roles_required(Role.REFERENT)
def book_session(profile_id: int) -> BaseResponse:
    """The referent books a session for the learner's active pairing, for the tutor."""
    profile = _profile_or_404(profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = redirect(url_for("learners.show", profile_id=profile.id))
    pairing = tutoring.open_pairing(profile)
    if pairing is None or pairing.status != PairingStatus.ACTIVE:
        flash(_("Ce jumelage n’est plus actif."), "error")
        return back
    fields = book_fields(profile.structure_id)
    if fields is None:
        return back
    try:
        booked = sessions_tutoring.book_session(pairing.tutor, pairing, **fields)
    except tutoring.TutoringError as exc:
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
