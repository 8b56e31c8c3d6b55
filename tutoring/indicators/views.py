"""Coordinator pages: CTAI indicators for a period, their definitions, exports and
the annual report. Aggregates only, every count of people protected; and the
referents' record of a learner's outcome."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit
from tutoring.accounts.access import learner_or_404, roles_required
from tutoring.accounts.labels import PUBLIC_CATEGORY_LABELS
from tutoring.accounts.models import Role
from tutoring.core.extensions import db
from tutoring.indicators.blueprint import bp
from tutoring.indicators.charts import bars
from tutoring.indicators.definitions import DEFINITIONS, HOURS
from tutoring.indicators.exports import to_csv, to_pdf, to_xlsx
from tutoring.indicators.forms import OutcomeForm
from tutoring.indicators.outcomes import OutcomeError, record_outcome
from tutoring.indicators.periods import PeriodError, adapt, scope_from
from tutoring.indicators.report import (
    SECTIONS,
    TREND_SERIES,
    Report,
    anchor,
    build,
    filters_label,
    month_label,
    partner_names,
    period_label,
    report_title,
    rule,
    shown,
    synthetic_note,
    trend_rows,
)


def _report(with_trend: bool = True) -> tuple[Report | None, str | None]:
    """Read the period and filters of the request and compute the report."""
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    try:
        scope = scope_from(
            request.args,
            current_app.config["INDICATORS_MAX_DAYS"],
            set(partner_names()),
        )
    except PeriodError as exc:
        return None, str(exc)
    return build(scope, k, with_trend), None


def _page(template: str, report: Report | None, error: str | None) -> tuple[str, int]:
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    charts = []
    if report is not None and report.months:
        labels = [month_label(m) for m in report.months]
        for key, title in TREND_SERIES:
            unit = HOURS if key == "tutoring_hours" else "people"
            values = report.trend[key]
            chart = bars(values, labels, [shown(v, k, unit) for v in values])
            chart["top_text"] = shown(chart["top"], k, unit)
            charts.append((key, title, chart))
    return render_template(
        template,
        report=report,
        error=error,
        k=k,
        rule=rule(k),
        charts=charts,
        trend=trend_rows(report) if report and report.months else [],
        series=TREND_SERIES,
        sections=SECTIONS,
        definitions=DEFINITIONS,
        period=period_label(report.scope) if report else "",
        title=report_title(report.scope) if report else "",
        filters_text=filters_label(report.scope) if report else "",
        synthetic=synthetic_note(),
        categories=[(c.value, str(v)) for c, v in PUBLIC_CATEGORY_LABELS.items()],
        partners=sorted(partner_names().items(), key=lambda p: p[1]),
        args=request.args,
        this_year=date.today().year,
        period_value=adapt(
            request.args.get("period", "year"),
            request.args.get("value", str(date.today().year)).strip(),
            date.today(),
        ),
        query=request.query_string.decode("ascii", "replace"),
    ), (400 if error else 200)


@bp.get("/coordination/")
@roles_required(Role.COORDINATOR)
def dashboard() -> tuple[str, int]:
    report, error = _report()
    return _page("indicators/dashboard.html", report, error)


@bp.get("/coordination/definitions")
@roles_required(Role.COORDINATOR)
def definitions() -> str:
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    groups = [
        (title, [(anchor(d.name), d) for d in DEFINITIONS if d.group == key])
        for key, title in SECTIONS
    ]
    return render_template("indicators/definitions.html", groups=groups, rule=rule(k))


def _download(data: bytes, mimetype: str, extension: str, report: Report) -> Response:
    scope = report.scope
    name = f"indicateurs-ctai-{scope.start}-{scope.end}.{extension}"
    audit.record(
        "indicators_exported", current_user, format=extension,
        period=f"{scope.start}/{scope.end}", category=scope.category or "",
        partner=str(scope.partner_id or ""),
    )  # fmt: skip
    db.session.commit()
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/coordination/export.csv")
@roles_required(Role.COORDINATOR)
def export_csv() -> Response | tuple[str, int]:
    report, error = _report()
    if report is None:
        return _page("indicators/dashboard.html", None, error)
    return _download(to_csv(report), "text/csv", "csv", report)


@bp.get("/coordination/export.xlsx")
@roles_required(Role.COORDINATOR)
def export_xlsx() -> Response | tuple[str, int]:
    report, error = _report()
    if report is None:
        return _page("indicators/dashboard.html", None, error)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(to_xlsx(report), mimetype, "xlsx", report)


@bp.get("/coordination/bilan")
@roles_required(Role.COORDINATOR)
def annual_report() -> tuple[str, int]:
    report, error = _report()
    return _page("indicators/annual_report.html", report, error)


@bp.get("/coordination/bilan.pdf")
@roles_required(Role.COORDINATOR)
def annual_report_pdf() -> Response | tuple[str, int]:
    """The annual report for the State, always in French, the reference language."""
    with force_locale("fr"):
        report, error = _report()
        if report is None:
            return _page("indicators/dashboard.html", None, error)
        definitions = [(str(d.label), str(d.text)) for d in DEFINITIONS]
        data = to_pdf(report, definitions)
    return _download(data, "application/pdf", "pdf", report)


OUTCOME_ERRORS = {
    "future": lambda: _("Résultat non enregistré : la date est dans le futur."),
    "level": lambda: _(
        "Résultat non enregistré : indiquez le niveau de la certification."
    ),
    "certificate": lambda: _(
        "Résultat non enregistré : dites s’il s’agit d’un test ou d’un diplôme."
    ),
}


@bp.post("/apprenants/<int:profile_id>/resultat")
@roles_required(Role.REFERENT)
def outcome(profile_id: int) -> BaseResponse:
    """Record a certification, civic exam or residence card for the learner."""
    profile = learner_or_404(profile_id)
    form = OutcomeForm()
    back = redirect(url_for("home.learner", profile_id=profile.id))
    if not form.validate_on_submit():
        flash(_("Résultat non enregistré : vérifiez le type et la date."), "error")
        return back
    try:
        record_outcome(profile, current_user, **form.outcome())
    except OutcomeError as exc:
        flash(OUTCOME_ERRORS[str(exc)](), "error")
        return back
    db.session.commit()
    flash(_("Le résultat est enregistré."), "success")
    return back
