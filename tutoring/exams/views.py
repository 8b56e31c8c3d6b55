"""Mock civic exam pages: five questions a page, the time left shown, marked at the end."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from exercises.civic import DURATION_MINUTES, MENTIONS, PASS_MARK, QUESTIONS_PER_EXAM
from exercises.mock import SECTIONS, SPEAKING_TASKS, WRITING_TASKS
from tutoring.accounts.access import current_learner, roles_required
from tutoring.accounts.models import Role
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.exams import civic as civic_exams
from tutoring.exams import language as french_exams
from tutoring.exams.blueprint import bp
from tutoring.exams.forms import SpeakingChoiceForm, StartCivicForm, civic_page_form
from tutoring.exams.models import CivicExam, LanguageExam
from tutoring.learning.models import PracticeSet, SetMode
from tutoring.learning.practice import close_if_expired, current_item

MENTION_LABELS = {
    "csp": _l("Carte de séjour pluriannuelle"),
    "cr": _l("Carte de résident"),
    "nat": _l("Naturalisation"),
}


CIVIC_THEME_LABELS = {
    "principes": _l("Principes et valeurs de la République"),
    "institutions": _l("Système institutionnel et politique"),
    "droits": _l("Droits et devoirs"),
    "histoire": _l("Histoire, géographie et culture"),
    "societe": _l("Vivre dans la société française"),
}


def _own_exam(exam_id: int) -> CivicExam:
    exam = db.session.get(CivicExam, exam_id)
    if exam is None or exam.learner_id != current_learner().id:
        abort(404)
    return exam


@bp.get("/examens/")
@roles_required(Role.LEARNER)
def index() -> str:
    profile = current_learner()
    return render_template(
        "exams/index.html",
        mentions=[(m, MENTION_LABELS[m]) for m in MENTIONS],
        chosen=civic_exams.default_mention(profile),
        exams=civic_exams.exams_of(profile),
        language_exams=french_exams.language_exams_of(profile),
        labels=MENTION_LABELS,
        pass_mark=PASS_MARK,
        total=QUESTIONS_PER_EXAM,
        minutes=DURATION_MINUTES,
        form=ConfirmForm(),
    )


@bp.post("/examens/civique")
@roles_required(Role.LEARNER)
def start_civic() -> BaseResponse:
    form = StartCivicForm()
    form.refusal()
    try:
        exam = civic_exams.start_civic_exam(current_learner(), form.mention.data)
    except civic_exams.ExamError:
        flash(_("Cet examen blanc n’est pas encore disponible."), "error")
        return redirect(url_for("exams.index"))
    db.session.commit()
    return redirect(url_for("exams.civic", exam_id=exam.id, page=0))


@bp.route("/examens/civique/<int:exam_id>", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def civic(exam_id: int) -> BaseResponse | str:
    exam = _own_exam(exam_id)
    civic_exams.close_if_expired(exam)
    if exam.submitted_at is not None:
        db.session.commit()
        return redirect(url_for("exams.civic_result", exam_id=exam.id))
    pages = civic_exams.page_count(exam)
    page = request.args.get("page", 0, type=int) or 0
    if not 0 <= page < pages:
        abort(404)
    indexes = civic_exams.page_indexes(exam, page)
    if request.method == "POST":
        return _save_page(exam, page, pages, indexes)
    left = civic_exams.time_left(exam)
    return render_template(
        "exams/civic.html", exam=exam, page=page, pages=pages, indexes=indexes,
        minutes_left=math.ceil(left.total_seconds() / 60),
        deadline=civic_exams.deadline(exam).isoformat(),
        answered=sum(1 for a in exam.answers if a is not None),
        form=ConfirmForm(), labels=MENTION_LABELS,
    )  # fmt: skip


def _save_page(
    exam: CivicExam, page: int, pages: int, indexes: range
) -> BaseResponse | str:
    """Keep the page's answers, then turn the page or finish: finishing with
    questions left unanswered asks first, saying how many."""
    form = civic_page_form(indexes)
    form.refusal()
    try:
        civic_exams.answer_page(exam, form.answers())
    except civic_exams.ExamError as exc:
        db.session.commit()
        if exc.code == "invalid":
            abort(400)
        flash(_("Le temps est écoulé : vos réponses ont été envoyées."), "info")
        return redirect(url_for("exams.civic_result", exam_id=exam.id))
    blank = civic_exams.unanswered(exam)
    if form.finishing() and (not blank or form.finish_confirmed()):
        civic_exams.submit(exam)
    db.session.commit()
    if exam.submitted_at is not None:
        return redirect(url_for("exams.civic_result", exam_id=exam.id))
    if form.finishing():
        left = civic_exams.time_left(exam)
        return render_template(
            "exams/civic_confirm.html", exam=exam, page=page, blank=len(blank),
            first_blank_page=blank[0] // civic_exams.PAGE_SIZE,
            total=len(exam.questions), form=ConfirmForm(),
            minutes_left=math.ceil(left.total_seconds() / 60),
            deadline=civic_exams.deadline(exam).isoformat(),
        )  # fmt: skip
    target = form.next_page(page, pages)
    return redirect(url_for("exams.civic", exam_id=exam.id, page=target))


@bp.get("/examens/civique/<int:exam_id>/resultat")
@roles_required(Role.LEARNER)
def civic_result(exam_id: int) -> BaseResponse | str:
    exam = _own_exam(exam_id)
    civic_exams.close_if_expired(exam)
    db.session.commit()
    if exam.submitted_at is None:
        return redirect(url_for("exams.civic", exam_id=exam.id))
    return render_template(
        "exams/civic_result.html",
        exam=exam,
        passed=civic_exams.passed(exam),
        by_theme=civic_exams.by_theme(exam),
        theme_labels=CIVIC_THEME_LABELS,
        labels=MENTION_LABELS,
        pass_mark=PASS_MARK,
    )


def _own_language_exam(exam_id: int) -> LanguageExam:
    exam = db.session.get(LanguageExam, exam_id)
    if exam is None or exam.learner_id != current_learner().id:
        abort(404)
    return exam


SECTION_LABELS = {
    "CO": _l("Compréhension orale"),
    "CE": _l("Compréhension écrite"),
    "EE": _l("Expression écrite"),
    "EO": _l("Expression orale"),
}


@bp.post("/examens/francais")
@roles_required(Role.LEARNER)
def start_language() -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    exam = french_exams.start_language_exam(current_learner())
    db.session.commit()
    return redirect(url_for("exams.language", exam_id=exam.id))


@bp.get("/examens/francais/<int:exam_id>")
@roles_required(Role.LEARNER)
def language(exam_id: int) -> BaseResponse | str:
    exam = _own_language_exam(exam_id)
    sets = french_exams.section_sets(exam)
    for practice in sets:
        if practice is not None:
            close_if_expired(practice)
    french_exams.finish_if_complete(exam)
    db.session.commit()
    if exam.finished_at is not None:
        return redirect(url_for("exams.language_result", exam_id=exam.id))
    return render_template(
        "exams/language.html",
        exam=exam,
        sections=list(zip(SECTIONS, sets, strict=True)),
        labels=SECTION_LABELS,
        form=ConfirmForm(),
        next_skill=french_exams.next_skill(exam),
        writing_tasks=WRITING_TASKS,
        speaking_tasks=SPEAKING_TASKS,
    )


@bp.post("/examens/francais/<int:exam_id>/oral")
@roles_required(Role.LEARNER)
def language_speaking(exam_id: int) -> BaseResponse:
    """Take the speaking part recorded, or live with a tutor during a session."""
    exam = _own_language_exam(exam_id)
    form = SpeakingChoiceForm()
    form.refusal()
    try:
        french_exams.choose_speaking(exam, form.live())
    except civic_exams.ExamError:
        abort(400)  # not the speaking part's turn, or the exam is over
    db.session.commit()
    if form.live():
        flash(_("C’est noté : votre tuteur ou votre référent vous fera passer "
                "l’oral pendant une séance."), "success")  # fmt: skip
    return redirect(url_for("exams.language", exam_id=exam.id))


@bp.get("/examens/francais/partie/<int:set_id>/ecoute/<int:position>")
@roles_required(Role.LEARNER)
def mock_audio(set_id: int, position: int) -> BaseResponse | tuple[str, int]:
    """The recording of the current item of a running mock section, served once (as
    in the test): a second request is refused."""
    profile = current_learner()
    practice = db.session.get(PracticeSet, set_id)
    if (
        practice is None
        or practice.learner_id != profile.id
        or practice.mode != SetMode.MOCK
        or practice.finished_at is not None
        or position != practice.position
    ):
        abort(404)
    if close_if_expired(practice):
        db.session.commit()
        abort(404)
    item = current_item(practice)
    if item is None or not item.audio:
        abort(404)
    path, mime = french_exams.mock_audio_file(item, profile.structure_id)
    if not path.is_file():
        abort(404)
    if not french_exams.claim_audio(practice, position):
        db.session.rollback()
        return _("Cet enregistrement a déjà été écouté : il ne joue qu’une fois."), 410
    db.session.commit()
    response = send_file(path, mimetype=mime, conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/examens/francais/<int:exam_id>/partie")
@roles_required(Role.LEARNER)
def language_section(exam_id: int) -> BaseResponse:
    exam = _own_language_exam(exam_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        practice = french_exams.start_section(current_learner(), exam)
    except civic_exams.ExamError:
        db.session.commit()
        return redirect(url_for("exams.language_result", exam_id=exam.id))
    db.session.commit()
    return redirect(url_for("learning.play", set_id=practice.id))


@bp.get("/examens/francais/<int:exam_id>/resultat")
@roles_required(Role.LEARNER)
def language_result(exam_id: int) -> BaseResponse | str:
    exam = _own_language_exam(exam_id)
    if exam.finished_at is None:
        return redirect(url_for("exams.language", exam_id=exam.id))
    results = french_exams.language_results(exam)
    return render_template(
        "exams/language_result.html",
        exam=exam,
        results=results,
        furthest=french_exams.furthest_skill(exam, results),
        all_reached=all(r["passed"] is True for r in results),
        labels=SECTION_LABELS,
        corrections=[
            (practice, r)
            for practice, r in zip(
                french_exams.section_sets(exam), results, strict=True
            )
            if practice is not None and not r["live"]
        ],
    )
