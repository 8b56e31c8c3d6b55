"""Practice pages. A learner only ever reaches their own sets and homework."""

from __future__ import annotations

import math
import time
import uuid
from datetime import date
from typing import Any, cast

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS, SKILLS, THEMES, TYPES, Item
from tutoring.accounts.access import learner_or_404, roles_required
from tutoring.accounts.enrolment import learners_of
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import (
    LearnerProfile,
)
from tutoring.content import bank as content_bank
from tutoring.content.audio import audio_url, instruction_audio_url
from tutoring.content.bank import ContentError
from tutoring.content.models import ItemVersion
from tutoring.content.recordings import MAX_AUDIO_BYTES
from tutoring.content.rendering import instruction_texts, item_view
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm, options
from tutoring.core.labels import LEVEL_LABELS, SKILL_LABELS, THEME_LABELS, TYPE_LABELS
from tutoring.learning import practice as service
from tutoring.learning.blueprint import bp
from tutoring.learning.forms import AssignForm, ExternalLevelForm
from tutoring.learning.models import Assignment, PracticeSet, SetMode
from tutoring.learning.progress import record_external_level, skill_board
from tutoring.pairing.pairings import tutor_learner_ids

ERRORS = {
    "no_items": lambda: _("Aucun exercice n’est encore disponible pour ce choix."),
    "invalid_response": lambda: _(
        "Votre réponse est incomplète : répondez à chaque partie."
    ),
    "stale_position": lambda: _("Cet exercice a déjà reçu une réponse."),
    "client_id": lambda: _("Le formulaire n’est pas valable. Rechargez la page."),
    "audio_missing": lambda: _("Enregistrez votre réponse avant de l’envoyer."),
    "audio_type": lambda: _("Ce fichier n’est pas un enregistrement audio accepté."),
    "audio_empty": lambda: _("L’enregistrement est vide."),
    "audio_size": lambda: _("L’enregistrement est trop long (5 Mo au plus)."),
    "time_over": lambda: _("Le temps de cette partie est écoulé."),
}


def _profile() -> LearnerProfile:
    profile = cast(User, current_user).learner_profile  # signed in: the loader's User
    if profile is None:
        abort(403)
    return profile


def _own_set(set_id: int) -> PracticeSet:
    practice = db.session.get(PracticeSet, set_id)
    if practice is None or practice.learner_id != _profile().id:
        abort(404)
    return practice


@bp.get("/pratique/")
@roles_required(Role.LEARNER)
def index() -> str:
    profile = _profile()
    return render_template(
        "learning/index.html",
        level=service.practice_level(profile),
        levels=LEVELS,
        level_labels=LEVEL_LABELS,
        themes=[(t, THEME_LABELS[t]) for t in THEMES],
        unfinished=service.unfinished_set(profile),
        homework=service.open_homework(profile),
        target_date=profile.target_date.isoformat() if profile.target_date else None,
        placement_done=service.placement_done(profile),
        form=ConfirmForm(),
    )


@bp.post("/pratique/niveau")
@roles_required(Role.LEARNER)
def set_level() -> BaseResponse:
    level = request.form.get("level", "")
    if not ConfirmForm().validate_on_submit() or level not in LEVELS:
        abort(400)
    _profile().practice_level = level
    db.session.commit()
    return redirect(url_for("learning.index"))


@bp.post("/pratique/nouvelle")
@roles_required(Role.LEARNER)
def new_set() -> BaseResponse:
    profile = _profile()
    theme = request.form.get("theme") or None
    if not ConfirmForm().validate_on_submit() or (
        theme is not None and theme not in THEMES
    ):
        abort(400)
    try:
        if theme is None:
            practice = service.start_adaptive_set(profile)
        else:
            practice = service.start_set(
                profile, level=service.practice_level(profile), theme=theme
            )
    except ContentError as exc:
        flash(ERRORS[exc.code](), "error")
        return redirect(url_for("learning.index"))
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


@bp.route("/pratique/positionnement", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def placement() -> BaseResponse | str:
    """The placement test: about 20 items that find the level of each skill."""
    profile = _profile()
    if request.method == "POST":
        reads = request.form.get("reads", "")
        if not ConfirmForm().validate_on_submit() or reads not in ("yes", "some", "no"):
            abort(400)
        try:
            practice = service.start_placement(profile, reads=reads != "no")
        except ContentError:
            flash(ERRORS["no_items"](), "error")
            return redirect(url_for("learning.index"))
        db.session.commit()
        return redirect(url_for("learning.play", set_id=practice.id))
    return render_template(
        "learning/placement.html",
        done=service.placement_done(profile),
        form=ConfirmForm(),
    )


@bp.post("/pratique/objectif")
@roles_required(Role.LEARNER)
def set_target() -> BaseResponse:
    """The learner notes the date they need their level by."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    raw = request.form.get("target_date", "")
    try:
        chosen = date.fromisoformat(raw) if raw else None
    except ValueError:
        chosen = date.min
    today = date.today()
    if chosen is not None and not today <= chosen <= date(today.year + 15, 12, 31):
        flash(_("Cette date n’est pas plausible."), "error")
        return redirect(url_for("learning.index"))
    _profile().target_date = chosen
    db.session.commit()
    flash(_("La date est enregistrée."), "success")
    return redirect(url_for("learning.index"))


@bp.post("/pratique/revision")
@roles_required(Role.LEARNER)
def review() -> BaseResponse:
    """A set of the missed items whose review is due (spaced repetition)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        practice = service.start_review_set(_profile())
    except ContentError:
        flash(_("Rien à revoir pour l’instant : bravo !"), "info")
        return redirect(url_for("home.home"))
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


@bp.post("/pratique/devoir/<int:assignment_id>")
@roles_required(Role.LEARNER)
def homework(assignment_id: int) -> BaseResponse:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.learner_id != _profile().id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    practice = service.start_homework(_profile(), assignment)
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


def _response_from_form(item: Item) -> dict[str, Any]:
    form = request.form
    kind = item.type
    if kind in ("single_choice", "image_choice"):
        return {"choice": form.get("choice", "")}
    if kind == "multiple_choice":
        return {"choices": form.getlist("choices")}
    if kind == "true_false":
        return {"answer": form.get("answer", "")}
    if kind in ("gap_typed", "gap_list"):
        return {"gaps": form.getlist("gaps")}
    if kind == "matching":
        return {"pairs": form.getlist("pairs")}
    if kind == "ordering":
        return {"order": form.getlist("order")}
    if kind == "form_filling":
        return {"fields": form.getlist("fields")}
    if kind in ("dictation", "short_writing"):
        return {"text": form.get("text", "")}
    if kind == "oral_production":
        try:
            seconds = float(form.get("seconds") or 0)
        except ValueError:
            seconds = 0.0
        return {"seconds": seconds if 0 <= seconds < 3600 else 0.0}
    return {}


@bp.route("/pratique/serie/<int:set_id>", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def play(set_id: int) -> BaseResponse | tuple[str, int]:
    practice = _own_set(set_id)
    if practice.exam_id is not None and _section_closed(practice):
        return redirect(url_for("exams.language", exam_id=practice.exam_id))
    if request.method == "POST":
        return _answer(practice)
    version = service.current_version(practice)
    if version is None:
        return redirect(url_for("learning.summary", set_id=practice.id))
    return _render_item(practice, version), 200


def _section_closed(practice: PracticeSet) -> bool:
    """A mock exam section: closed when its time is over or all is answered."""
    closed = service.close_if_expired(practice)
    db.session.commit()
    return closed


def _render_item(practice: PracticeSet, version: Any, error: str | None = None) -> str:
    item = content_bank.item_of(version)
    seed = f"{practice.id}-{practice.position}"
    left = None
    if practice.deadline is not None:
        left = max(0, math.ceil((practice.deadline - utcnow()).total_seconds() / 60))
    return render_template(
        "learning/item.html",
        practice=practice,
        view=item_view(item, seed),
        instruction=instruction_texts(item),
        instruction_audio=instruction_audio_url(item.instruction),
        audio=audio_url(item) if item.audio else None,
        client_id=str(uuid.uuid4()),
        shown_at=int(time.time() * 1000),
        error=error,
        form=ConfirmForm(),
        skill_labels=SKILL_LABELS,
        minutes_left=left,
        deadline=practice.deadline.isoformat() if practice.deadline else None,
    )


def _answer(practice: PracticeSet) -> BaseResponse | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    position = request.form.get("position", type=int)
    version = service.current_version(practice)
    if position is None or version is None or position != practice.position:
        # an answer sent twice: show the stored correction rather than an error
        if position is not None and 0 <= position < practice.position:
            return redirect(
                url_for("learning.feedback", set_id=practice.id, position=position)
            )
        abort(409)
    item = content_bank.item_of(version)
    audio = None
    upload = request.files.get("audio")
    if upload is not None and upload.filename:
        audio = (upload.read(MAX_AUDIO_BYTES + 1), upload.mimetype or "")
    if upload is not None:
        upload.close()
    shown_at = request.form.get("shown_at", type=int)
    time_ms = int(time.time() * 1000) - shown_at if shown_at else None
    try:
        service.record_answer(
            _profile(),
            practice,
            position=position,
            client_id=request.form.get("client_id", ""),
            response=_response_from_form(item),
            time_ms=time_ms,
            audio=audio,
        )
    except ContentError as exc:
        db.session.rollback()
        if exc.code == "time_over" and practice.exam_id is not None:
            service.close_if_expired(practice)
            db.session.commit()
            flash(_("Le temps de cette partie est écoulé."), "info")
            return redirect(url_for("exams.language", exam_id=practice.exam_id))
        status = 413 if exc.code == "audio_size" else 400
        return _render_item(practice, version, error=ERRORS[exc.code]()), status
    db.session.commit()
    if practice.exam_id is not None and practice.finished_at is not None:
        return redirect(url_for("exams.language", exam_id=practice.exam_id))
    if practice.mode in (
        SetMode.PLACEMENT,
        SetMode.MOCK,
    ):  # no correction until the end
        return redirect(url_for("learning.play", set_id=practice.id))
    return redirect(url_for("learning.feedback", set_id=practice.id, position=position))


@bp.get("/pratique/serie/<int:set_id>/correction/<int:position>")
@roles_required(Role.LEARNER)
def feedback(set_id: int, position: int) -> str:
    practice = _own_set(set_id)
    if practice.mode == SetMode.MOCK and practice.finished_at is None:
        abort(404)  # no correction while the exam section runs
    attempt = next(
        (a for a in service.set_attempts(practice) if a.position == position), None
    )
    if attempt is None:
        abort(404)
    item = content_bank.item_of(attempt.item_version)
    return render_template(
        "learning/feedback.html",
        practice=practice,
        attempt=attempt,
        view=item_view(item, f"{practice.id}-{position}"),
        audio=audio_url(item) if item.audio else None,
        finished=practice.finished_at is not None,
    )


@bp.get("/pratique/serie/<int:set_id>/bilan")
@roles_required(Role.LEARNER)
def summary(set_id: int) -> BaseResponse | str:
    practice = _own_set(set_id)
    if practice.exam_id is not None:
        return redirect(url_for("exams.language", exam_id=practice.exam_id))
    if practice.finished_at is None:
        return redirect(url_for("learning.play", set_id=practice.id))
    attempts = service.set_attempts(practice)
    graded = [a for a in attempts if a.score is not None]
    score = sum(a.score or 0 for a in graded)
    board = None
    if practice.mode == SetMode.PLACEMENT:
        board = skill_board(_profile())
    return render_template(
        "learning/summary.html",
        practice=practice,
        board=board,
        placement_level=_profile().practice_level,
        skill_labels=SKILL_LABELS,
        attempts=[(a, content_bank.item_of(a.item_version)) for a in attempts],
        score=round(score, 1),
        graded=len(graded),
        pending=len(attempts) - len(graded),
        form=ConfirmForm(),
        theme_labels=THEME_LABELS,
    )


PAGE_SIZE = 30


FILTERS = {"level": LEVELS, "skill": SKILLS, "theme": THEMES, "type": TYPES}


HOMEWORK_ERRORS = {
    "homework_size": lambda: _("Choisissez de 1 à 20 exercices."),
    "due_in_past": lambda: _("La date est déjà passée."),
    "unknown_item": lambda: _("Un des exercices n’existe plus : rechargez la page."),
}


def _filters() -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for key, allowed in FILTERS.items():
        value = request.args.get(key, "")
        if value in allowed:
            chosen[key] = value
    return chosen


@bp.get("/banque/")
@roles_required(Role.REFERENT, Role.TUTOR)
def bank() -> str:
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
    assignable = _assignable()
    can_assign = bool(assignable)
    form.learner_id.choices = options(
        (p.id, user.display_name) for p, user in assignable
    )
    return render_template(
        "learning/bank.html",
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


def _assignable() -> list[tuple[LearnerProfile, User]]:
    """Who may get homework from this person, with their account: a referent's
    learners, a volunteer's paired learners."""
    profiles: dict[int, LearnerProfile] = {}
    if current_user.has_role(Role.REFERENT):
        profiles.update((p.id, p) for p in learners_of(current_user) if p.user)
    if current_user.is_approved_tutor:
        paired = tutor_learner_ids(current_user)
        if paired:
            profiles.update(
                (p.id, p)
                for p in db.session.scalars(
                    select(LearnerProfile).where(LearnerProfile.id.in_(paired))
                )
                if p.user is not None
            )
    found = [(p, p.user) for p in profiles.values() if p.user is not None]
    return sorted(found, key=lambda pair: (pair[1].first_name, pair[0].id))


@bp.post("/banque/devoir")
@roles_required(Role.REFERENT, Role.TUTOR)
def assign() -> BaseResponse | tuple[str, int]:
    form = AssignForm()
    profiles = _assignable()
    form.learner_id.choices = options((p.id, user.display_name) for p, user in profiles)
    ids = [int(v) for v in request.form.getlist("items") if v.isdigit()]
    if not form.validate_on_submit():
        flash(
            " ".join(str(e) for errors in form.errors.values() for e in errors), "error"
        )
        return redirect(url_for("learning.bank"))
    chosen = next(
        (pair for pair in profiles if pair[0].id == form.learner_id.data), None
    )
    if chosen is None:
        abort(404)
    profile, user = chosen
    assert form.title.data is not None
    assert form.due_on.data is not None
    try:
        service.assign_homework(
            current_user,
            profile,
            title=form.title.data,
            item_version_ids=ids,
            due_on=form.due_on.data,
        )
    except ContentError as exc:
        db.session.rollback()
        flash(HOMEWORK_ERRORS[exc.code](), "error")
        return redirect(url_for("learning.bank", **_filters()))
    db.session.commit()
    flash(_("Le devoir est donné à %(name)s.", name=user.display_name), "success")
    if current_user.has_role(Role.REFERENT):
        return redirect(url_for("home.learner", profile_id=profile.id))
    return redirect(url_for("home.volunteer_learner", profile_id=profile.id))


@bp.post("/apprenants/<int:profile_id>/niveau-externe")
@roles_required(Role.REFERENT)
def external_level(profile_id: int) -> BaseResponse:
    """Record a level measured outside the platform (OFII, TCF, TEF, DELF)."""
    profile = learner_or_404(profile_id)
    form = ExternalLevelForm()
    taken_on = form.taken_on.data if form.validate_on_submit() else None
    if taken_on is None or taken_on > date.today():
        flash(_("Évaluation non enregistrée : vérifiez le niveau et la date."), "error")
        return redirect(url_for("home.learner", profile_id=profile.id))
    record_external_level(
        profile, current_user, source=form.source.data, skill=form.skill.data or None,
        level=form.level.data, taken_on=taken_on,
    )  # fmt: skip
    db.session.commit()
    flash(_("L’évaluation est enregistrée."), "success")
    return redirect(url_for("home.learner", profile_id=profile.id))
