"""The coordinator's tables as CSV (UTF-8 with BOM, « ; »), XLSX and PDF."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import xlsxwriter
from flask_babel import gettext as _

from tutoring.indicators.report import (
    TREND_SERIES,
    Report,
    period_label,
    rule,
    trend_rows,
)


def _lines(report: Report) -> Iterator[list[str]]:
    """Every line of the export: the period and rule, then one table after another."""
    yield [_("Indicateurs du CTAI"), period_label(report.scope)]
    yield [_("Règle"), rule(report.k)]
    yield []
    yield [_("Rubrique"), _("Indicateur"), _("Valeur")]
    for table in (*report.tables, *report.breakdowns):
        for row in table.rows:
            yield [table.title, row.label, row.value]
        if table.total:
            yield [table.title, table.total.label, table.total.value]
    for skill, assessed, gained in report.skills:
        title = _("Progression par compétence : %(skill)s", skill=skill)
        yield [title, _("Apprenants évalués au moins deux fois"), assessed]
        yield [title, _("Apprenants ayant gagné un niveau"), gained]
    if report.months:
        yield []
        yield [_("Mois"), *(str(label) for _key, label in TREND_SERIES)]
        for month, values in trend_rows(report):
            yield [month, *values]


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
# injection"); a number, even negative, is left as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def safe_cell(value: str) -> str:
    """Return `value` so that a spreadsheet shows it as text and never runs it."""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(report: Report) -> bytes:
    """Return the report as CSV for a French spreadsheet: BOM, « ; », CRLF; a cell
    that a spreadsheet would take for a formula starts with « ' »."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in _lines(report):
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    """Return the report as a workbook: one sheet of figures, one of months."""
    out = io.BytesIO()
    # Strings stay strings: no formula or link is ever made from a name.
    book = xlsxwriter.Workbook(
        out,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True})
    sheet = book.add_worksheet(_("Indicateurs")[:31])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 14)
    sheet.write_row(0, 0, [_("Indicateurs du CTAI"), period_label(report.scope)], bold)
    sheet.write(1, 0, _("Règle"), bold)
    sheet.write(1, 1, rule(report.k), wrap)
    row = 3
    sheet.write_row(row, 0, [_("Rubrique"), _("Indicateur"), _("Valeur")], bold)
    for line in list(_lines(report))[4:]:
        if not line:
            break
        row += 1
        sheet.write_row(row, 0, line)
    if report.months:
        months = book.add_worksheet(_("Évolution mensuelle")[:31])
        months.set_column(0, len(TREND_SERIES), 18)
        months.write_row(
            0, 0, [_("Mois"), *(str(lbl) for _k, lbl in TREND_SERIES)], bold
        )
        for i, (month, values) in enumerate(trend_rows(report), start=1):
            months.write_row(i, 0, [month, *values])
        months.write(len(report.months) + 2, 0, rule(report.k))
    book.close()
    return out.getvalue()


_LATIN1 = str.maketrans(
    {"\u2019": "'", "\u202f": " ", "\u2013": "-", "\u2014": "-", "\u2026": "...",
     "\u2264": "<=", "\u2265": ">="}
)  # fmt: skip


def _pdf_text(text: str) -> str:
    """Fit text to the PDF core fonts (the annual report is written in French)."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def to_pdf(report: Report, definitions: list[tuple[str, str]]) -> bytes:
    """Return the annual report as a PDF: figures, chart, definitions and rule."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_pdf_text(_("Bilan annuel du CTAI — action 1")))
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(
        0,
        8,
        _pdf_text(_("Bilan annuel du CTAI — action 1")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, _pdf_text(period_label(report.scope)), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, _pdf_text(rule(report.k)), new_x="LMARGIN", new_y="NEXT")
    for table in (*report.tables, *report.breakdowns):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _pdf_text(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            pdf.cell(150, 6, _pdf_text(row.label)[:95], border="B")
            pdf.cell(0, 6, _pdf_text(row.value), border="B", align="R")
            pdf.ln()
    if report.months:
        _pdf_chart(pdf, report)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, _pdf_text(_("Définitions")), new_x="LMARGIN", new_y="NEXT")
    for label, text in definitions:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 5, _pdf_text(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def _pdf_chart(pdf: object, report: Report) -> None:
    """Draw active learners per month as bars, hidden months as a short grey stub."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(
        0, 7, _pdf_text(_("Apprenants actifs par mois")), new_x="LMARGIN", new_y="NEXT"
    )
    values = report.trend["active"]
    top = max((v for v in values if v is not None), default=0) or 1
    left, base, height = 20.0, pdf.get_y() + 60, 55.0
    slot = 170 / max(len(values), 1)
    for i, value in enumerate(values):
        h = 2.0 if value is None else height * value / top
        if value is None:
            pdf.set_fill_color(190, 190, 190)
        else:
            pdf.set_fill_color(31, 78, 121)
        pdf.rect(left + i * slot + slot * 0.15, base - h, slot * 0.7, h, style="F")
    pdf.set_y(base + 2)
    pdf.set_font("Helvetica", "", 9)
    rows = trend_rows(report)
    pdf.multi_cell(
        0, 5, _pdf_text(f"{rows[0][0]} - {rows[-1][0]}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9)
    headers = [_("Mois"), *(str(label) for _k, label in TREND_SERIES)]
    widths = [30] + [32] * len(TREND_SERIES)
    for w, text in zip(widths, headers, strict=True):
        pdf.cell(w, 5, _pdf_text(text)[:20], border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for month, cells in rows:
        for w, text in zip(widths, [month, *cells], strict=True):
            pdf.cell(w, 5, _pdf_text(text), border="B")
        pdf.ln()
