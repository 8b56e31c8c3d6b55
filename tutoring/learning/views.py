"""Practice pages. A learner only ever reaches their own sets and homework."""

from __future__ import annotations

import math
import time
import uuid
from datetime import date

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from exercises import analysis
from exercises.mock import task_at
from exercises.model import INSTRUCTIONS, LEVELS, N_, THEMES, Item
from tutoring.accounts.access import current_learner, learner_or_404, roles_required
from tutoring.accounts.models import Role
from tutoring.content import bank as content_bank
from tutoring.content.audio import audio_url, instruction_audio_url
from tutoring.content.bank import ContentError
from tutoring.content.models import ItemVersion
from tutoring.content.rendering import given_answer, instruction_texts, item_view
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.labels import LEVEL_LABELS, SKILL_LABELS, THEME_LABELS, TYPE_LABELS
from tutoring.learning import practice as service
from tutoring.learning.analysis import items_to_look_at
from tutoring.learning.blueprint import bp
from tutoring.learning.forms import (
    BANK_FILTERS,
    AssignForm,
    BankFilterForm,
    ExternalLevelForm,
    LevelForm,
    NewSetForm,
    PlacementForm,
    TargetDateForm,
    answer_form,
)
from tutoring.learning.models import Assignment, MockAudioPlay, PracticeSet, SetMode
from tutoring.learning.progress import record_external_level
from tutoring.learning.state import skill_board
from tutoring.learning.track import start_track_set, track_units

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

# The refusals a speaker button reads (their msgids, in speech.PHRASES).
SPOKEN_ERRORS = {
    "invalid_response": "Votre réponse est incomplète : répondez à chaque partie.",
    "audio_missing": "Enregistrez votre réponse avant de l’envoyer.",
}


def _own_set(set_id: int) -> PracticeSet:
    practice = db.session.get(PracticeSet, set_id)
    if practice is None or practice.learner_id != current_learner().id:
        abort(404)
    return practice


@bp.get("/pratique/")
@roles_required(Role.LEARNER)
def index() -> str:
    return _index_page()


def _index_page(target_error: str | None = None, typed_date: str | None = None) -> str:
    """The practice page; a refused target date comes back with its message and
    the value typed."""
    profile = current_learner()
    saved = profile.target_date.isoformat() if profile.target_date else None
    return render_template(
        "learning/index.html",
        level=service.practice_level(profile),
        levels=LEVELS,
        level_labels=LEVEL_LABELS,
        themes=[(t, THEME_LABELS[t]) for t in THEMES],
        unfinished=service.unfinished_set(profile),
        homework=service.open_homework(profile),
        target_date=saved if typed_date is None else typed_date,
        target_error=target_error,
        placement_done=service.placement_done(profile),
        form=ConfirmForm(),
    )


@bp.post("/pratique/niveau")
@roles_required(Role.LEARNER)
def set_level() -> BaseResponse:
    form = LevelForm()
    form.refusal()
    service.choose_level(current_learner(), form.level.data)
    db.session.commit()
    return redirect(url_for("learning.index"))


@bp.post("/pratique/nouvelle")
@roles_required(Role.LEARNER)
def new_set() -> BaseResponse:
    profile = current_learner()
    form = NewSetForm()
    form.refusal()
    try:
        practice = service.start_practice(profile, form.chosen_theme())
    except ContentError as exc:
        flash(ERRORS[exc.code](), "error")
        return redirect(url_for("learning.index"))
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


READING_QUESTION = N_("Est-ce que vous lisez le français ?")
# The answers to the placement's first question: value, pictogram, text (spoken too).
READING_CHOICES = (
    ("yes", "book-open-check", N_("Oui")),
    ("some", "book-open", N_("Un peu")),
    ("no", "headphones", N_("Pas encore : je préfère les images et le son")),
)


@bp.route("/pratique/positionnement", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def placement() -> BaseResponse | str:
    """The placement test: about 20 items that find the level of each skill."""
    profile = current_learner()
    form = PlacementForm()
    if form.is_submitted():
        form.refusal()
        try:
            practice = service.start_placement(profile, reads=form.reading())
        except ContentError:
            flash(ERRORS["no_items"](), "error")
            return redirect(url_for("learning.index"))
        db.session.commit()
        return redirect(url_for("learning.play", set_id=practice.id))
    with force_locale("fr"):
        question_fr = _(READING_QUESTION)
    return render_template(
        "learning/placement.html", done=service.placement_done(profile), form=form,
        reading_choices=READING_CHOICES, question_fr=question_fr,
    )  # fmt: skip


@bp.post("/pratique/objectif")
@roles_required(Role.LEARNER)
def set_target() -> BaseResponse | tuple[str, int]:
    """The learner notes the date they need their level by; an empty field removes
    the date noted."""
    form = TargetDateForm()
    profile = current_learner()
    typed = str(request.form.get("target_date", ""))[:40]
    error = form.refusal()
    if error is None and form.target_date.data is None and not profile.target_date:
        error = _("Choisissez une date.")
    if error is None:
        try:
            service.set_target_date(profile, form.target_date.data)
        except ContentError as exc:
            error = TARGET_ERRORS[exc.code]()
    if error is not None:
        db.session.rollback()
        return _index_page(target_error=error, typed_date=typed), 400
    db.session.commit()
    if profile.target_date is None:
        flash(_("La date est supprimée."), "success")
    else:
        flash(_("La date est enregistrée."), "success")
    return redirect(url_for("learning.index"))


TARGET_ERRORS = {
    "target_past": lambda: _(
        "Cette date est déjà passée. Choisissez une date à venir."
    ),
    "target_far": lambda: _(
        "Cette date est trop lointaine. Choisissez une date avant la fin de l’année %(year)s.",
        year=service.latest_target(date.today()).year,
    ),
}


@bp.post("/pratique/revision")
@roles_required(Role.LEARNER)
def review() -> BaseResponse:
    """A set of the missed items whose review is due (spaced repetition)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        practice = service.start_review_set(current_learner())
    except ContentError:
        flash(_("Rien à revoir pour l’instant : bravo !"), "info")
        return redirect(url_for("home.home"))
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


@bp.post("/pratique/devoir/<int:assignment_id>")
@roles_required(Role.LEARNER)
def homework(assignment_id: int) -> BaseResponse:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.learner_id != current_learner().id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    practice = service.start_homework(current_learner(), assignment)
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


@bp.route("/pratique/serie/<int:set_id>", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def play(set_id: int) -> BaseResponse | tuple[str, int]:
    practice = _own_set(set_id)
    if practice.exam_id is not None and _section_closed(practice):
        return redirect(url_for("exams.language", exam_id=practice.exam_id))
    if request.method == "POST":
        return _answer(practice)
    item = service.current_item(practice)
    if item is None:
        return redirect(url_for("learning.summary", set_id=practice.id))
    return _render_item(practice, item), 200


def _section_closed(practice: PracticeSet) -> bool:
    """A mock exam section: closed when its time is over or all is answered."""
    closed = service.close_if_expired(practice)
    db.session.commit()
    return closed


def _render_item(
    practice: PracticeSet,
    item: Item,
    error: str | None = None,
    error_msgid: str | None = None,
) -> str:
    seed = f"{practice.id}-{practice.position}"
    left = None
    if practice.deadline is not None:
        left = max(0, math.ceil((practice.deadline - utcnow()).total_seconds() / 60))
    mock = practice.mode == SetMode.MOCK
    audio = audio_url(item, current_learner().structure_id) if item.audio else None
    played = False
    if mock and item.audio:
        # in the mock exam a recording plays once, as in the test
        audio = url_for(
            "exams.mock_audio", set_id=practice.id, position=practice.position
        )
        played = (
            db.session.scalar(
                select(MockAudioPlay.id).where(
                    MockAudioPlay.set_id == practice.id,
                    MockAudioPlay.position == practice.position,
                )
            )
            is not None
        )
    return render_template(
        "learning/item.html",
        practice=practice,
        view=item_view(item, seed),
        instruction=instruction_texts(item),
        instruction_audio=instruction_audio_url(item.instruction),
        instruction_msgid=INSTRUCTIONS[item.instruction],
        error_msgid=error_msgid,
        audio=audio,
        play_once=mock and bool(item.audio),
        played=played,
        task=task_at(item.skill, practice.position) if mock else None,
        client_id=str(uuid.uuid4()),
        shown_at=int(time.time() * 1000),
        error=error,
        form=ConfirmForm(),
        skill_labels=SKILL_LABELS,
        minutes_left=left,
        deadline=practice.deadline.isoformat() if practice.deadline else None,
    )


def _answer(practice: PracticeSet) -> BaseResponse | tuple[str, int]:
    """Grade the answer to the current item; the same answer sent twice (the
    attempt's client id, or a position already answered) is harmless."""
    version = service.current_version(practice)
    form = answer_form(content_bank.item_of(version).type if version else None)
    form.refusal()
    position = form.position.data
    if position is None or version is None or position != practice.position:
        if position is not None and 0 <= position < practice.position:
            return redirect(
                url_for("learning.feedback", set_id=practice.id, position=position)
            )
        abort(409)
    try:
        service.record_answer(current_learner(), practice, **form.attempt())
        # Where to go next, read before the commit expires the set (one query less).
        target = _after_answer(practice, position)
        db.session.commit()
    except ContentError as exc:
        db.session.rollback()
        return _refused(practice, version, exc)
    except IntegrityError:
        # The same answer sent twice at once (a double tap on a slow network): the
        # other request stored it first, under the same client id. Nothing is lost:
        # show what was stored, as for any resubmit.
        db.session.rollback()
        stored = service.stored_attempt(form.client_id.data)
        if stored is None or stored.set_id != practice.id:
            abort(409)  # another write crossed this one: the page asks to try again
        return redirect(
            url_for("learning.feedback", set_id=practice.id, position=position)
        )
    return redirect(target)


def _refused(
    practice: PracticeSet, version: ItemVersion, exc: ContentError
) -> BaseResponse | tuple[str, int]:
    """The item again with the reason, or the exam once the section's time is over."""
    if exc.code == "time_over" and practice.exam_id is not None:
        service.close_if_expired(practice)
        db.session.commit()
        flash(_("Le temps de cette partie est écoulé."), "info")
        return redirect(url_for("exams.language", exam_id=practice.exam_id))
    status = 413 if exc.code == "audio_size" else 400
    if exc.code == "too_short":
        message = _(
            "Votre enregistrement est trop court. Parlez au moins %(min)s secondes, "
            "puis envoyez.",
            min=exc.detail,
        )
    else:
        message = ERRORS[exc.code]()
    return _render_item(
        practice, content_bank.item_of(version), error=message,
        error_msgid=SPOKEN_ERRORS.get(exc.code),
    ), status  # fmt: skip


def _after_answer(practice: PracticeSet, position: int) -> str:
    if practice.exam_id is not None and practice.finished_at is not None:
        return url_for("exams.language", exam_id=practice.exam_id)
    if practice.mode in (SetMode.PLACEMENT, SetMode.MOCK):
        return url_for("learning.play", set_id=practice.id)  # corrected at the end
    return url_for("learning.feedback", set_id=practice.id, position=position)


@bp.get("/pratique/serie/<int:set_id>/correction/<int:position>")
@roles_required(Role.LEARNER)
def feedback(set_id: int, position: int) -> str:
    practice = _own_set(set_id)
    if practice.mode == SetMode.MOCK and practice.finished_at is None:
        abort(404)  # no correction while the exam section runs
    attempt = service.attempt_at(practice, position) or abort(404)
    item = content_bank.item_by_version(attempt.item_version_id) or abort(404)
    return render_template(
        "learning/feedback.html",
        practice=practice,
        attempt=attempt,
        view=item_view(item, f"{practice.id}-{position}"),
        given=given_answer(item, attempt.response),
        audio=audio_url(item, current_learner().structure_id) if item.audio else None,
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
    placement = practice.mode == SetMode.PLACEMENT
    return render_template(
        "learning/summary.html", practice=practice,
        board=skill_board(current_learner()) if placement else None,
        placement_level=current_learner().practice_level, skill_labels=SKILL_LABELS,
        attempts=[(a, content_bank.item_of(a.item_version)) for a in attempts],
        form=ConfirmForm(), theme_labels=THEME_LABELS, **service.tally(attempts),
    )  # fmt: skip


PAGE_SIZE = 30


HOMEWORK_ERRORS = {
    "homework_size": lambda: _("Choisissez de 1 à 20 exercices."),
    "due_in_past": lambda: _("La date est déjà passée."),
    "unknown_item": lambda: _("Un des exercices n’existe plus : rechargez la page."),
}

BANK_LABELS = {
    "level": LEVEL_LABELS,
    "skill": SKILL_LABELS,
    "theme": THEME_LABELS,
    "type": TYPE_LABELS,
}


@bp.get("/banque/")
@roles_required(Role.REFERENT, Role.TUTOR)
def bank() -> str:
    """The bank, filtered by the address's query (a GET form)."""
    filters = BankFilterForm(request.args)
    page = filters.page_number()
    rows = content_bank.bank_page(filters.chosen(), page, PAGE_SIZE)
    form = AssignForm(learners=service.assignable_learners(current_user))
    return render_template(
        "learning/bank.html", rows=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE,
        page=page, chosen=filters.chosen(), labels=BANK_LABELS, filters=BANK_FILTERS,
        form=form, can_assign=bool(form.learners),
    )  # fmt: skip


@bp.post("/banque/devoir")
@roles_required(Role.REFERENT, Role.TUTOR)
def assign() -> BaseResponse:
    form = AssignForm(learners=service.assignable_learners(current_user))
    if not form.validate_on_submit():
        flash(form.error_text(), "error")
        return redirect(url_for("learning.bank"))
    profile, user = form.learner() or abort(404)
    try:
        service.assign_homework(current_user, profile, **form.homework())
    except ContentError as exc:
        db.session.rollback()
        flash(HOMEWORK_ERRORS[exc.code](), "error")
        return redirect(
            url_for("learning.bank", **BankFilterForm(request.args).chosen())
        )
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
    back = redirect(url_for("home.learner", profile_id=profile.id))
    if not form.validate_on_submit():
        flash(_("Évaluation non enregistrée : vérifiez le niveau et la date."), "error")
        return back
    record_external_level(profile, current_user, **form.level_record())
    db.session.commit()
    flash(_("L’évaluation est enregistrée."), "success")
    return back


@bp.get("/banque/analyse")
@roles_required(Role.REFERENT, Role.ADMIN)
def item_analysis() -> str:
    """Items to look at, from the learners' answers (aggregates only)."""
    return render_template(
        "learning/analysis.html", items=items_to_look_at(analysis.MIN_ANSWERS),
        thresholds=analysis, can_preview=current_user.has_role(Role.REFERENT),
        type_labels=TYPE_LABELS,
    )  # fmt: skip


@bp.get("/pratique/numerique/")
@roles_required(Role.LEARNER)
def track() -> str:
    """The « Numérique » track: its units in order, with the learner's progress."""
    return render_template(
        "learning/track.html", units=track_units(current_learner()), form=ConfirmForm()
    )


@bp.post("/pratique/numerique/<unit>")
@roles_required(Role.LEARNER)
def track_start(unit: str) -> BaseResponse:
    """Start (or continue) the set of one unit of the track: its items in order."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        practice = start_track_set(current_learner(), unit)
    except ContentError:
        abort(404)
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))
