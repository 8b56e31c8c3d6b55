"""The coordinator's tables as CSV (UTF-8 with BOM, « ; »), XLSX and PDF."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from tutoring.indicators.definitions import COUNT, DAYS, HOURS, PEOPLE, RATE
from tutoring.indicators.report import (
    TREND_SERIES,
    Report,
    Row,
    filters_label,
    period_label,
    report_title,
    rule,
    synthetic_note,
    trend_rows,
)


def _head(report: Report) -> list[list[str]]:
    """What every export says first: title and period, filters, the small-cell rule,
    and whether the learners are made up."""
    lines = [
        [report_title(report.scope), period_label(report.scope)],
        [_("Filtres"), filters_label(report.scope)],
        [_("Règle"), rule(report.k)],
    ]
    if (note := synthetic_note()) is not None:
        lines.append([_("Attention"), note])
    return lines


def _rows(report: Report) -> Iterator[tuple[str, Row]]:
    for table in (*report.tables, *report.breakdowns):
        for row in table.rows:
            yield table.title, row
        if table.total:
            yield table.title, table.total


def _lines(report: Report) -> Iterator[list[str]]:
    """Every line of the export: the head, then one table after another."""
    yield from _head(report)
    yield []
    yield [_("Rubrique"), _("Indicateur"), _("Valeur")]
    for title, row in _rows(report):
        yield [title, row.label, row.value]
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
    import xlsxwriter  # when an export is asked for: a few MB a worker rarely needs

    out = io.BytesIO()
    # Strings stay strings: no formula or link is ever made from a name.
    book = xlsxwriter.Workbook(
        out,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    right = book.add_format({"align": "right"})
    # Number formats: the spreadsheet shows them with the reader's separators
    # (« 1 234,5 » in French); the cells hold numbers, not text.
    formats = {
        PEOPLE: book.add_format({"num_format": "#,##0"}),
        COUNT: book.add_format({"num_format": "#,##0"}),
        HOURS: book.add_format({"num_format": "#,##0.0"}),
        DAYS: book.add_format({"num_format": "#,##0.0"}),
        RATE: book.add_format({"num_format": "0.0%"}),
    }
    sheet = book.add_worksheet(_("Indicateurs")[:31])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 14)
    row = 0
    for label, text in _head(report):
        sheet.write(row, 0, label, bold)
        sheet.write(row, 1, text, wrap)
        row += 1
    row += 1
    sheet.write_row(row, 0, [_("Rubrique"), _("Indicateur"), _("Valeur")], bold)
    for title, line in _rows(report):
        row += 1
        sheet.write_row(row, 0, [title, line.label])
        _write_value(sheet, row, 2, line.number, line.value, formats[line.unit], right)
    if report.months:
        months = book.add_worksheet(_("Évolution mensuelle")[:31])
        months.set_column(0, len(TREND_SERIES), 18)
        months.write_row(
            0, 0, [_("Mois"), *(str(lbl) for _k, lbl in TREND_SERIES)], bold
        )
        for i, (month, values) in enumerate(trend_rows(report), start=1):
            months.write(i, 0, month)
            for j, (key, _label) in enumerate(TREND_SERIES, start=1):
                unit = HOURS if key == "tutoring_hours" else PEOPLE
                number = report.trend[key][i - 1]
                _write_value(months, i, j, number, values[j - 1], formats[unit], right)
        months.write(len(report.months) + 2, 0, rule(report.k))
    book.close()
    return out.getvalue()


def _write_value(
    sheet: Any,
    row: int,
    col: int,
    number: float | None,
    text: str,
    number_format: Any,
    text_format: Any,
) -> None:
    """A figure as a number; a hidden one (« < 11 ») or none (« — ») as text."""
    if number is None:
        sheet.write_string(row, col, text, text_format)
    else:
        sheet.write_number(row, col, number, number_format)


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
    title = report_title(report.scope)
    pdf.set_title(_pdf_text(title))
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, _pdf_text(period_label(report.scope)), new_x="LMARGIN", new_y="NEXT"
    )
    for label, text in _head(report)[1:]:
        pdf.ln(2)
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(
            0,
            5,
            _pdf_text(_("%(label)s : %(text)s", label=label, text=text)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
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
