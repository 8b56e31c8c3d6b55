"""Bank views: filters by level, skill, theme and type; preview; homework."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS, SKILLS, THEMES, TYPES
from tutoring.bank import bp
from tutoring.bank.forms import AssignForm
from tutoring.extensions import db
from tutoring.forms import options
from tutoring.models import ItemVersion, Role
from tutoring.practice.labels import (
    LEVEL_LABELS,
    SKILL_LABELS,
    THEME_LABELS,
    TYPE_LABELS,
)
from tutoring.practice.views import instruction_texts, item_view
from tutoring.security import roles_required
from tutoring.services import practice as service
from tutoring.services.audio import audio_url
from tutoring.services.learners import learner_for, learners_of

PAGE_SIZE = 30
FILTERS = {"level": LEVELS, "skill": SKILLS, "theme": THEMES, "type": TYPES}
HOMEWORK_ERRORS = {
    "homework_size": lambda: _("Choisissez de 1 à 20 exercices."),
    "due_in_past": lambda: _("La date est déjà passée."),
    "unknown_item": lambda: _("Un des exercices n’existe plus : rechargez la page."),
}


def _filters() -> dict[str, str]:
    chosen = {}
    for key, allowed in FILTERS.items():
        value = request.args.get(key, "")
        if value in allowed:
            chosen[key] = value
    return chosen


@bp.get("/")
@roles_required(Role.REFERENT, Role.TUTOR)
def index() -> str:
    chosen = _filters()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    stmt = select(ItemVersion).where(ItemVersion.active)
    for key, value in chosen.items():
        stmt = stmt.where(getattr(ItemVersion, key) == value)
    rows = db.session.scalars(
        stmt.order_by(ItemVersion.level, ItemVersion.unit, ItemVersion.item_id)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    form = AssignForm()
    can_assign = current_user.has_role(Role.REFERENT)
    if can_assign:
        form.learner_id.choices = options(
            (p.id, p.user.display_name) for p in learners_of(current_user) if p.user
        )
    return render_template(
        "bank/index.html",
        rows=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        chosen=chosen,
        labels={
            "level": LEVEL_LABELS,
            "skill": SKILL_LABELS,
            "theme": THEME_LABELS,
            "type": TYPE_LABELS,
        },
        filters=FILTERS,
        form=form,
        can_assign=can_assign,
    )


@bp.get("/exercice/<int:version_id>")
@roles_required(Role.REFERENT, Role.TUTOR)
def preview(version_id: int) -> str:
    version = db.session.get(ItemVersion, version_id) or abort(404)
    item = service.item_of(version)
    return render_template(
        "bank/preview.html",
        version=version,
        view=item_view(item, str(version.id)),
        instruction=instruction_texts(item),
        audio=audio_url(item) if item.audio else None,
        labels={
            "level": LEVEL_LABELS,
            "skill": SKILL_LABELS,
            "theme": THEME_LABELS,
            "type": TYPE_LABELS,
        },
    )


@bp.post("/devoir")
@roles_required(Role.REFERENT)
def assign() -> BaseResponse | tuple[str, int]:
    form = AssignForm()
    profiles = [p for p in learners_of(current_user) if p.user]
    form.learner_id.choices = options((p.id, p.user.display_name) for p in profiles)
    ids = [int(v) for v in request.form.getlist("items") if v.isdigit()]
    if not form.validate_on_submit():
        flash(
            " ".join(str(e) for errors in form.errors.values() for e in errors), "error"
        )
        return redirect(url_for("bank.index"))
    profile = learner_for(current_user, form.learner_id.data)
    if profile is None:
        abort(404)
    try:
        service.assign_homework(
            current_user,
            profile,
            title=form.title.data,
            item_version_ids=ids,
            due_on=form.due_on.data,
        )
    except service.PracticeError as exc:
        db.session.rollback()
        flash(HOMEWORK_ERRORS[exc.code](), "error")
        return redirect(url_for("bank.index", **_filters()))
    db.session.commit()
    flash(
        _("Le devoir est donné à %(name)s.", name=profile.user.display_name), "success"
    )
    return redirect(url_for("learners.show", profile_id=profile.id))
