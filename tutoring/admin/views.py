"""Administration views. Every change to an account is written to the audit log."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ColumnElement, func, or_, select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit
from tutoring.accounts.access import roles_required
from tutoring.accounts.forms import filled
from tutoring.accounts.labels import PUBLIC_CATEGORY_LABELS, ROLE_LABELS, role_label
from tutoring.accounts.models import AuditEvent, Role, User
from tutoring.accounts.structures import add_structure, all_structures
from tutoring.accounts.users import (
    AccountError,
    create_staff,
    password_link_token,
    set_access,
    set_active,
)
from tutoring.admin import tokens
from tutoring.admin.blueprint import bp
from tutoring.admin.forms import (
    ACCOUNT_ERRORS,
    ApiTokenForm,
    AuditFilterForm,
    RolesForm,
    StaffForm,
    StructureForm,
)
from tutoring.core.clock import local_midnight
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.urls import external_url
from tutoring.indicators.models import ApiToken
from tutoring.indicators.scopes import SCOPE_GROUPS, group_contents

PAGE_SIZE = 50


MAX_PAGE = 10**9  # further on, the offset would overflow the database's integers


def _page() -> int:
    """The page asked for: the first unless a number, the last possible at most."""
    return min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)


@bp.get("/admin/")
@roles_required(Role.ADMIN)
def index() -> BaseResponse:
    return redirect(url_for("admin.accounts"))


@bp.get("/admin/comptes")
@roles_required(Role.ADMIN)
def accounts() -> str:
    query = request.args.get("q", "").strip().lower()[:80]
    stmt = select(User).order_by(User.username)
    if query:
        like = f"%{query}%"
        stmt = stmt.where(
            or_(User.username.like(like), func.lower(User.email).like(like))
        )
    page = _page()
    users = db.session.scalars(
        stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "admin/accounts.html",
        users=users[:PAGE_SIZE],
        has_next=len(users) > PAGE_SIZE,
        page=page,
        query=query,
        role_labels=ROLE_LABELS,
    )


@bp.route("/admin/comptes/nouveau", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_account() -> BaseResponse | tuple[str, int]:
    form = StaffForm(structures=all_structures())
    if form.validate_on_submit():
        try:
            user = create_staff(actor=current_user, **form.staff())
        except AccountError as exc:
            db.session.rollback()
            form.refuse(exc)
            return render_template("admin/new_account.html", form=form), 400
        db.session.commit()
        link = external_url("accounts.choose_password", token=password_link_token(user))
        return render_template("admin/password_link.html", user=user, link=link), 201
    return render_template(
        "admin/new_account.html", form=form
    ), 400 if form.errors else 200


def _account_page(user: User, form: RolesForm, status: int) -> tuple[str, int]:
    page = render_template(
        "admin/account.html", user=user, form=form, confirm=ConfirmForm()
    )
    return page, status


@bp.route("/admin/comptes/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def account(user_id: int) -> BaseResponse | tuple[str, int]:
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(structures=all_structures())
    if request.method == "GET":
        form.load(user)
    if form.validate_on_submit():
        try:
            set_access(user, form.roles_chosen(), form.structure_chosen(), current_user)
        except AccountError as exc:
            db.session.rollback()
            form.refuse(exc)
            return _account_page(user, form, 400)
        db.session.commit()
        flash(_("Les rôles sont enregistrés."), "success")
        return redirect(url_for("admin.account", user_id=user.id))
    return _account_page(user, form, 400 if form.errors else 200)


@bp.post("/admin/comptes/<int:user_id>/activation")
@roles_required(Role.ADMIN)
def toggle_active(user_id: int) -> BaseResponse:
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        set_active(user, not user.active, current_user)
    except AccountError as exc:
        flash(str(ACCOUNT_ERRORS[exc.code]), "error")
        return redirect(url_for("admin.account", user_id=user.id))
    db.session.commit()
    flash(
        _("Le compte est réactivé.") if user.active else _("Le compte est désactivé."),
        "success",
    )
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/admin/comptes/<int:user_id>/lien-mot-de-passe")
@roles_required(Role.ADMIN)
def password_link(user_id: int) -> tuple[str, int]:
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit() or not user.is_active:
        abort(400)
    audit.record("password_link_created", current_user, user)
    db.session.commit()
    link = external_url("accounts.choose_password", token=password_link_token(user))
    return render_template("admin/password_link.html", user=user, link=link), 200


@bp.route("/admin/structures", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def structures() -> BaseResponse | tuple[str, int]:
    form = StructureForm()
    if form.validate_on_submit():
        try:
            add_structure(filled(form.name.data))
        except AccountError as exc:
            form.refuse(exc)
        else:
            db.session.commit()
            flash(_("Structure ajoutée."), "success")
            return redirect(url_for("admin.structures"))
    return render_template(
        "admin/structures.html", form=form, structures=all_structures()
    ), (400 if form.errors else 200)


@bp.route("/admin/jetons", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def api_tokens() -> BaseResponse | tuple[str, int]:
    form = ApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = tokens.issue_api_token(
            filled(form.name.data), form.scope(), current_user
        )
        db.session.commit()
        form = ApiTokenForm(formdata=None)
    return render_template(
        "admin/api_tokens.html", form=form, tokens=tokens.api_tokens(),
        new_token=new_token, group_titles=dict(SCOPE_GROUPS),
        group_contents=group_contents(), confirm=ConfirmForm(),
    ), (400 if form.errors else 200)  # fmt: skip


@bp.post("/admin/jetons/<int:token_id>/revoquer")
@roles_required(Role.ADMIN)
def revoke_api_token(token_id: int) -> BaseResponse:
    token = db.session.get(ApiToken, token_id) or abort(404)
    if ConfirmForm().validate_on_submit() and tokens.revoke_api_token(
        token, current_user
    ):
        db.session.commit()
        flash(_("Le jeton est révoqué."), "success")
    return redirect(url_for("admin.api_tokens"))


@bp.get("/admin/journal")
@roles_required(Role.ADMIN)
def audit_log() -> tuple[str, int]:
    """The audit log, newest first, filtered by kind of event, person and dates."""
    page = _page()
    form = AuditFilterForm(request.args)
    valid = form.validate()
    statement = select(AuditEvent)
    if valid:
        statement = statement.where(*_audit_filters(form))
    events = db.session.scalars(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all() if valid else []  # fmt: skip
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        events=[(e, audit_details(e)) for e in events[:PAGE_SIZE]],
        has_next=len(events) > PAGE_SIZE,
        page=page,
        form=form,
        args=args,
    ), (200 if valid else 400)


def _audit_filters(form: AuditFilterForm) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if form.action.data:
        clauses.append(AuditEvent.action == form.action.data)
    if form.person.data:
        ids = select(User.id).where(
            func.lower(User.username) == form.person.data.lower()
        )
        clauses.append(
            or_(AuditEvent.actor_id.in_(ids), AuditEvent.target_user_id.in_(ids))
        )
    if form.since.data:
        clauses.append(AuditEvent.at >= local_midnight(form.since.data))
    if form.until.data:
        clauses.append(
            AuditEvent.at < local_midnight(form.until.data + timedelta(days=1))
        )
    return clauses


DETAIL_LABELS = {
    "scope": _l("Indicateurs lisibles"),
    "method": _l("Moyen de connexion"),
    "format": _l("Format"),
    "period": _l("Période"),
    "category": _l("Public"),
    "partner": _l("Partenaire"),
    "roles": _l("Rôles"),
    "name": _l("Nom"),
    "pairing": _l("Jumelage n°"),
    "learner": _l("Apprenant·e n°"),
    "reason": _l("Raison"),
    "role": _l("Rôle"),
    "structure": _l("Structure n°"),
    "token": _l("Jeton"),
    "item": _l("Exercice"),
    "password": _l("Mot de passe"),
    "two_factor": _l("Double authentification"),
}


VALUE_LABELS = {
    "reissued": _l("nouvelle carte imprimée"),
    "revoked": _l("désactivée par le référent"),
    "true": _l("oui"),
    "false": _l("non"),
}


METHOD_LABELS = {
    "password": _l("mot de passe"),
    "card": _l("carte de connexion"),
    "second_factor": _l("code de double authentification"),
}


def audit_details(event: AuditEvent) -> list[str]:
    """The event's detail in words: « Indicateurs lisibles : Tutorat, Progression »."""
    groups = {key: str(title) for key, title in SCOPE_GROUPS}
    out = []
    for key, value in (event.detail or {}).items():
        if value == "":
            continue
        if key == "scope":
            text = ", ".join(
                str(_("tous")) if v == "all" else groups.get(v, v)
                for v in value.split(",")
            )
        elif key == "method":
            text = str(METHOD_LABELS.get(value, value))
        elif key in ("roles", "role"):
            text = ", ".join(role_label(v) for v in value.split(",") if v)
        elif key == "format":
            text = value.upper()
        elif key == "category":
            categories = {c.value: str(v) for c, v in PUBLIC_CATEGORY_LABELS.items()}
            text = categories.get(value, value)
        else:
            text = str(VALUE_LABELS.get(value, value))
        label = DETAIL_LABELS.get(key)
        out.append(f"{label} : {text}" if label else f"{key} : {text}")
    return out
