"""Coordinator pages: CTAI indicators for a period, their definitions, exports and
the annual report. Aggregates only, every count of people protected."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, render_template, request
from flask_babel import force_locale

from tutoring.coordination import bp
from tutoring.coordination.charts import bars
from tutoring.coordination.exports import to_csv, to_pdf, to_xlsx
from tutoring.coordination.report import (
    SECTIONS,
    TREND_SERIES,
    Report,
    anchor,
    build,
    month_label,
    partner_names,
    period_label,
    rule,
    shown,
    trend_rows,
)
from tutoring.learners.forms import PUBLIC_CATEGORY_LABELS
from tutoring.models import Role
from tutoring.security import roles_required
from tutoring.services.indicators import DEFINITIONS, HOURS
from tutoring.services.periods import PeriodError, scope_from


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
        categories=[(c.value, str(v)) for c, v in PUBLIC_CATEGORY_LABELS.items()],
        partners=sorted(partner_names().items(), key=lambda p: p[1]),
        args=request.args,
        this_year=date.today().year,
        query=request.query_string.decode("ascii", "replace"),
    ), (400 if error else 200)


@bp.get("/")
@roles_required(Role.COORDINATOR)
def dashboard() -> tuple[str, int]:
    report, error = _report()
    return _page("coordination/dashboard.html", report, error)


@bp.get("/definitions")
@roles_required(Role.COORDINATOR)
def definitions() -> str:
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    groups = [
        (title, [(anchor(d.name), d) for d in DEFINITIONS if d.group == key])
        for key, title in SECTIONS
    ]
    return render_template("coordination/definitions.html", groups=groups, rule=rule(k))


def _download(data: bytes, mimetype: str, extension: str, report: Report) -> Response:
    name = f"indicateurs-ctai-{report.scope.start}-{report.scope.end}.{extension}"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/export.csv")
@roles_required(Role.COORDINATOR)
def export_csv() -> Response | tuple[str, int]:
    report, error = _report()
    if report is None:
        return _page("coordination/dashboard.html", None, error)
    return _download(to_csv(report), "text/csv; charset=utf-8", "csv", report)


@bp.get("/export.xlsx")
@roles_required(Role.COORDINATOR)
def export_xlsx() -> Response | tuple[str, int]:
    report, error = _report()
    if report is None:
        return _page("coordination/dashboard.html", None, error)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(to_xlsx(report), mimetype, "xlsx", report)


@bp.get("/bilan")
@roles_required(Role.COORDINATOR)
def annual_report() -> tuple[str, int]:
    report, error = _report()
    return _page("coordination/annual_report.html", report, error)


@bp.get("/bilan.pdf")
@roles_required(Role.COORDINATOR)
def annual_report_pdf() -> Response | tuple[str, int]:
    """The annual report for the State, always in French, the reference language."""
    with force_locale("fr"):
        report, error = _report()
        if report is None:
            return _page("coordination/dashboard.html", None, error)
        definitions = [(str(d.label), str(d.text)) for d in DEFINITIONS]
        data = to_pdf(report, definitions)
    return _download(data, "application/pdf", "pdf", report)
