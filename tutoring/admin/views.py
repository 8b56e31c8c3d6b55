"""Administration views. Every change to an account is written to the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is for 3.2

from tutoring.accounts import audit
from tutoring.accounts.access import roles_required
from tutoring.accounts.labels import ROLE_LABELS
from tutoring.accounts.models import AuditEvent, Role, Structure, User
from tutoring.accounts.users import (
    AccountError,
    create_staff,
    password_link_token,
    set_active,
    set_roles,
)
from tutoring.admin.blueprint import bp
from tutoring.admin.forms import ApiTokenForm, RolesForm, StaffForm, StructureForm
from tutoring.core.codes import digest, new_api_token
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm, options
from tutoring.indicators.models import ApiToken
from tutoring.indicators.scopes import SCOPE_GROUPS, group_contents

PAGE_SIZE = 50


ACCOUNT_ERRORS = {
    "username_taken": lambda: _("Cet identifiant est déjà pris."),
    "email_taken": lambda: _("Un compte existe déjà avec cette adresse e-mail."),
    "structure_required": lambda: _(
        "Un·e référent·e doit être rattaché·e à une structure."
    ),
    "cannot_drop_own_admin": lambda: _(
        "Vous ne pouvez pas retirer votre propre rôle d’administration."
    ),
    "cannot_disable_self": lambda: _(
        "Vous ne pouvez pas désactiver votre propre compte."
    ),
}


def _structures() -> list[SelectChoice]:
    rows = db.session.scalars(select(Structure).order_by(Structure.name)).all()
    return options([(0, _("Aucune"))] + [(s.id, s.name) for s in rows])


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


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
    form = StaffForm()
    form.structure_id.choices = _structures()
    if form.validate_on_submit():
        assert form.username.data is not None
        assert form.first_name.data is not None
        assert form.roles.data is not None
        structure = (
            db.session.get(Structure, form.structure_id.data)
            if form.structure_id.data
            else None
        )
        try:
            user = create_staff(
                actor=current_user,
                username=form.username.data,
                email=form.email.data or None,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                roles=[Role(r) for r in form.roles.data],
                structure=structure,
            )
        except AccountError as exc:
            db.session.rollback()
            field = getattr(form, exc.field or "username")
            field.errors = [ACCOUNT_ERRORS[exc.code]()]
            return render_template("admin/new_account.html", form=form), 400
        db.session.commit()
        link = url_for(
            "accounts.choose_password", token=password_link_token(user), _external=True
        )
        return render_template("admin/password_link.html", user=user, link=link), 201
    return render_template(
        "admin/new_account.html", form=form
    ), 400 if form.errors else 200


@bp.route("/admin/comptes/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def account(user_id: int) -> BaseResponse | tuple[str, int]:
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm()
    form.structure_id.choices = _structures()
    if request.method == "GET":
        form.roles.data = [r.value for r in user.roles]
        form.structure_id.data = user.structure_id or 0
    if form.validate_on_submit():
        assert form.roles.data is not None
        new_structure = form.structure_id.data or None
        if new_structure != user.structure_id:
            user.structure_id = new_structure
            audit.record(
                "structure_changed", current_user, user, structure=str(new_structure)
            )
        try:
            set_roles(user, [Role(r) for r in form.roles.data], current_user)
        except AccountError as exc:
            db.session.rollback()
            field = getattr(form, exc.field or "roles", form.roles)
            field.errors = [ACCOUNT_ERRORS[exc.code]()]
            return render_template(
                "admin/account.html", user=user, form=form, confirm=ConfirmForm()
            ), 400
        db.session.commit()
        flash(_("Les rôles sont enregistrés."), "success")
        return redirect(url_for("admin.account", user_id=user.id))
    return render_template(
        "admin/account.html", user=user, form=form, confirm=ConfirmForm()
    ), (400 if form.errors else 200)


@bp.post("/admin/comptes/<int:user_id>/activation")
@roles_required(Role.ADMIN)
def toggle_active(user_id: int) -> BaseResponse:
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        set_active(user, not user.active, current_user)
    except AccountError as exc:
        flash(ACCOUNT_ERRORS[exc.code](), "error")
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
    link = url_for(
        "accounts.choose_password", token=password_link_token(user), _external=True
    )
    return render_template("admin/password_link.html", user=user, link=link), 200


@bp.route("/admin/structures", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def structures() -> BaseResponse | tuple[str, int]:
    form = StructureForm()
    rows = db.session.scalars(select(Structure).order_by(Structure.name)).all()
    if form.validate_on_submit():
        assert form.name.data is not None
        if any(s.name.lower() == form.name.data.lower() for s in rows):
            form.name.errors = [_("Cette structure existe déjà.")]
        else:
            db.session.add(Structure(name=form.name.data))
            db.session.commit()
            flash(_("Structure ajoutée."), "success")
            return redirect(url_for("admin.structures"))
    return render_template("admin/structures.html", form=form, structures=rows), (
        400 if form.errors else 200
    )


@bp.route("/admin/jetons", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def api_tokens() -> BaseResponse | tuple[str, int]:
    form = ApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        assert form.name.data is not None
        new_token = new_api_token()
        db.session.add(
            ApiToken(
                name=form.name.data,
                prefix=new_token[:9],
                token_hash=digest(new_token),
                created_by_id=current_user.id,
                scope=form.scope(),
            )
        )
        audit.record(
            "api_token_created",
            current_user,
            None,
            name=form.name.data,
            scope=",".join(form.scope() or ["all"]),
        )
        db.session.commit()
        form = ApiTokenForm(formdata=None)
    tokens = db.session.scalars(
        select(ApiToken).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "admin/api_tokens.html",
        form=form,
        tokens=tokens,
        new_token=new_token,
        group_titles=dict(SCOPE_GROUPS),
        group_contents=group_contents(),
        confirm=ConfirmForm(),
    ), (400 if form.errors else 200)


@bp.post("/admin/jetons/<int:token_id>/revoquer")
@roles_required(Role.ADMIN)
def revoke_api_token(token_id: int) -> BaseResponse:
    token = db.session.get(ApiToken, token_id) or abort(404)
    if ConfirmForm().validate_on_submit() and token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token_revoked", current_user, None, name=token.name)
        db.session.commit()
        flash(_("Le jeton est révoqué."), "success")
    return redirect(url_for("admin.api_tokens"))


@bp.get("/admin/journal")
@roles_required(Role.ADMIN)
def audit_log() -> str:
    page = _page()
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "admin/audit.html",
        events=events[:PAGE_SIZE],
        has_next=len(events) > PAGE_SIZE,
        page=page,
    )
