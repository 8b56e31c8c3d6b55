"""Referent views. A learner is only ever looked up within the referent's structure."""

from __future__ import annotations

import json

import segno
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit, rights
from tutoring.accounts.access import learner_or_404, roles_required
from tutoring.accounts.blueprint import bp
from tutoring.accounts.cards import issue_login_card, revoke_login_cards
from tutoring.accounts.enrolment import LearnerData, enrol_learner, update_learner
from tutoring.accounts.forms import EraseForm, LearnerForm, PartnerForm
from tutoring.accounts.models import Partner, Role
from tutoring.accounts.profiles import AgeBand, FrenchGoal, PublicCategory, Sex
from tutoring.accounts.rights import export_user_data
from tutoring.accounts.users import AccountError
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm, options
from tutoring.core.i18n import (
    SPOKEN_LANGUAGES,
    language_name,
    native_name,
    supported_locales,
)

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
    """The fields of a validated form (the required ones are filled in)."""
    first_name, arrival_year = form.first_name.data, form.arrival_year.data
    consent_on = form.consent_on.data
    assert first_name is not None
    assert arrival_year is not None
    assert consent_on is not None
    return LearnerData(
        first_name=first_name,
        last_name=form.last_name.data,
        phone=form.phone.data,
        email=form.email.data,
        locale=form.locale.data,
        languages=list(form.languages.data or []),
        public_category=PublicCategory(form.public_category.data),
        arrival_year=arrival_year,
        cir_signed_on=form.cir_signed_on.data,
        partner_id=form.partner_id.data or None,
        goal=FrenchGoal(form.goal.data),
        sex=Sex(form.sex.data) if form.sex.data else None,
        age_band=AgeBand(form.age_band.data) if form.age_band.data else None,
        consent_on=consent_on,
        target_date=form.target_date.data,
    )


def _show_error(form: LearnerForm, exc: AccountError) -> None:
    message = ERROR_MESSAGES.get(exc.code, ERROR_MESSAGES["date_range"])()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


@bp.route("/apprenants/inscrire", methods=["GET", "POST"])
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
            return render_template("accounts/learner_form.html", form=form, profile=None), 400
        db.session.commit()
        assert user.learner_profile is not None
        flash(
            _(
                "%(name)s est inscrit·e. Imprimez maintenant sa carte de connexion.",
                name=user.first_name,
            ),
            "success",
        )
        return redirect(url_for("home.learner", profile_id=user.learner_profile.id))
    return render_template("accounts/learner_form.html", form=form, profile=None), (
        400 if form.errors else 200
    )


@bp.route("/apprenants/<int:profile_id>/modifier", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def edit_learner(profile_id: int) -> BaseResponse | tuple[str, int]:
    profile = learner_or_404(profile_id)
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
                "accounts/learner_form.html", form=form, profile=profile
            ), 400
        db.session.commit()
        flash(_("Les informations sont enregistrées."), "success")
        return redirect(url_for("home.learner", profile_id=profile.id))
    return render_template("accounts/learner_form.html", form=form, profile=profile), (
        400 if form.errors else 200
    )


def _card_texts(locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {
            "title": _("Ma carte de connexion"),
            "scan": _("Scannez le code QR avec l’appareil photo de votre téléphone."),
            "type": _(
                "Sur un ordinateur, ouvrez %(url)s et tapez ce code :",
                url=url_for("accounts.card_login", _external=True),
            ),
            "keep": _(
                "Ne montrez pas cette carte : elle ouvre votre compte. "
                "Si vous la perdez, prévenez votre référent ou référente."
            ),
        }


@bp.post("/apprenants/<int:profile_id>/carte")
@roles_required(Role.REFERENT)
def print_card(profile_id: int) -> Response:
    """Issue a new card (the old one stops working) and show it ready to print."""
    profile = learner_or_404(profile_id)
    user = profile.user
    assert user is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = issue_login_card(user, current_user)
    db.session.commit()
    link = url_for("accounts.card_link", code=code, _external=True)
    qr_svg = segno.make(link, error="m").svg_inline(scale=3, dark="#000", light="#fff")
    locales = ["fr"] + ([user.locale] if user.locale != "fr" else [])
    texts = [(loc, _card_texts(loc)) for loc in locales]
    html = render_template(
        "accounts/card.html",
        user=user,
        code=code,
        qr_svg=qr_svg,
        texts=texts,
        profile=profile,
    )
    response = Response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/apprenants/<int:profile_id>/carte/revoquer")
@roles_required(Role.REFERENT)
def revoke_card(profile_id: int) -> BaseResponse:
    profile = learner_or_404(profile_id)
    assert profile.user is not None
    if ConfirmForm().validate_on_submit() and revoke_login_cards(
        profile.user, current_user
    ):
        db.session.commit()
        flash(_("La carte est désactivée : son code ne fonctionne plus."), "success")
    return redirect(url_for("home.learner", profile_id=profile.id))


@bp.get("/apprenants/<int:profile_id>/donnees")
@roles_required(Role.REFERENT)
def learner_data(profile_id: int) -> str:
    profile = learner_or_404(profile_id)
    assert profile.user is not None
    return render_template(
        "accounts/my_data.html", data=export_user_data(profile.user), profile=profile
    )


@bp.get("/apprenants/<int:profile_id>/donnees.json")
@roles_required(Role.REFERENT)
def learner_data_json(profile_id: int) -> Response:
    profile = learner_or_404(profile_id)
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


@bp.route("/apprenants/<int:profile_id>/effacer", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def erase_learner(profile_id: int) -> BaseResponse | tuple[str, int]:
    profile = learner_or_404(profile_id)
    form = EraseForm()
    if form.validate_on_submit():
        rights.erase_learner(profile, current_user)
        db.session.commit()
        flash(_("Les données personnelles ont été effacées."), "success")
        return redirect(url_for("home.learners"))
    return render_template("accounts/erase_learner.html", form=form, profile=profile), (
        400 if form.errors else 200
    )


@bp.route("/apprenants/partenaires", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def partners() -> BaseResponse | tuple[str, int]:
    form = PartnerForm()
    rows = db.session.scalars(
        select(Partner)
        .where(Partner.structure_id == current_user.structure_id)
        .order_by(Partner.name)
    ).all()
    if form.validate_on_submit():
        assert form.name.data is not None
        if any(p.name.lower() == form.name.data.lower() for p in rows):
            form.name.errors = [_("Cette structure est déjà dans la liste.")]
        else:
            db.session.add(
                Partner(structure_id=current_user.structure_id, name=form.name.data)
            )
            db.session.commit()
            flash(_("Structure ajoutée."), "success")
            return redirect(url_for("accounts.partners"))
    return render_template(
        "accounts/partners.html", form=form, partners=rows, toggle=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/apprenants/partenaires/<int:partner_id>/basculer")
@roles_required(Role.REFERENT)
def toggle_partner(partner_id: int) -> BaseResponse:
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.structure_id != current_user.structure_id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        partner.active = not partner.active
        db.session.commit()
    return redirect(url_for("accounts.partners"))
