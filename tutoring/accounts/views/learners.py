"""Referent views. A learner is only ever looked up within the referent's structure."""

from __future__ import annotations

import json

import segno
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit, rights, structures
from tutoring.accounts.access import learner_or_404, roles_required
from tutoring.accounts.blueprint import bp
from tutoring.accounts.cards import (
    issue_login_card,
    remove_sign_in_secrets,
    revoke_login_cards,
)
from tutoring.accounts.enrolment import enrol_learner, update_learner
from tutoring.accounts.forms import EraseForm, LearnerForm, PartnerForm, filled
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.rights import export_user_data
from tutoring.accounts.structures import add_partner, partner_of, partners_of
from tutoring.accounts.users import AccountError
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.urls import external_url


def _form_page(
    form: LearnerForm, profile: LearnerProfile | None, status: int
) -> tuple[str, int]:
    page = render_template("accounts/learner_form.html", form=form, profile=profile)
    return page, status


def _refused(
    form: LearnerForm, profile: LearnerProfile | None, exc: AccountError
) -> tuple[str, int]:
    """The form again with the reason of the refusal, under its field or on top."""
    db.session.rollback()
    if (message := form.refuse(exc)) is not None:
        flash(message, "error")
    return _form_page(form, profile, 400)


def _learner_form() -> LearnerForm:
    return LearnerForm(
        partners=partners_of(current_user.structure_id, active_only=True)
    )


@bp.route("/apprenants/inscrire", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def enrol() -> BaseResponse | tuple[str, int]:
    form = _learner_form()
    if request.method == "GET":
        form.locale.data = "fr"
    if form.validate_on_submit():
        try:
            user = enrol_learner(current_user, form.learner())
        except AccountError as exc:
            return _refused(form, None, exc)
        db.session.commit()
        assert user.learner_profile is not None
        # The learner's file opens with the message and the button to print the card.
        return redirect(
            url_for("home.learner", profile_id=user.learner_profile.id, inscrit=1)
        )
    return _form_page(form, None, 400 if form.errors else 200)


@bp.route("/apprenants/<int:profile_id>/modifier", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def edit_learner(profile_id: int) -> BaseResponse | tuple[str, int]:
    profile = learner_or_404(profile_id)
    form = _learner_form()
    if request.method == "GET":
        form.load(profile)
    if form.validate_on_submit():
        try:
            update_learner(current_user, profile, form.learner())
        except AccountError as exc:
            return _refused(form, profile, exc)
        db.session.commit()
        flash(_("Les informations sont enregistrées."), "success")
        return redirect(url_for("home.learner", profile_id=profile.id))
    return _form_page(form, profile, 400 if form.errors else 200)


def _card_texts(locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {
            "title": _("Ma carte de connexion"),
            "scan": _("Scannez le code QR avec l’appareil photo de votre téléphone."),
            "type": _(
                "Sur un ordinateur, ouvrez %(url)s et tapez ce code :",
                url=external_url("accounts.card_login"),
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
    link = external_url("accounts.card_link", code=code)
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


@bp.post("/apprenants/<int:profile_id>/clavier")
@roles_required(Role.REFERENT)
def set_keyboard(profile_id: int) -> BaseResponse:
    """The learner cannot type yet, or can now: practice follows."""
    profile = learner_or_404(profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    profile.cannot_type = not profile.cannot_type
    db.session.commit()
    flash(_("C’est enregistré : les exercices s’adaptent."), "success")
    return redirect(url_for("home.learner", profile_id=profile.id) + "#clavier")


@bp.post("/apprenants/<int:profile_id>/connexion/retirer")
@roles_required(Role.REFERENT)
def remove_sign_in(profile_id: int) -> BaseResponse:
    """Remove the learner's password and two-factor: only the card signs in then."""
    profile = learner_or_404(profile_id)
    assert profile.user is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove_sign_in_secrets(profile.user, current_user)
    db.session.commit()
    flash(
        _(
            "Le mot de passe et la double authentification sont retirés : "
            "seule la carte permet de se connecter."
        ),
        "success",
    )
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
    if form.validate_on_submit():
        try:
            add_partner(current_user.structure_id, filled(form.name.data))
        except AccountError as exc:
            form.refuse(exc)
        else:
            db.session.commit()
            flash(_("Structure ajoutée."), "success")
            return redirect(url_for("accounts.partners"))
    rows = partners_of(current_user.structure_id)
    return render_template(
        "accounts/partners.html", form=form, partners=rows, toggle=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/apprenants/partenaires/<int:partner_id>/basculer")
@roles_required(Role.REFERENT)
def toggle_partner(partner_id: int) -> BaseResponse:
    partner = partner_of(current_user.structure_id, partner_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        structures.toggle_partner(partner)
        db.session.commit()
    return redirect(url_for("accounts.partners"))
