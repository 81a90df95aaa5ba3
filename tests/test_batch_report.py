"""The consolidated report: CSV for French spreadsheets, escaped; xlsx with filters and colours; terminal."""

from __future__ import annotations

import csv
import re
import datetime as dt
import io
from pathlib import Path

import openpyxl

from xlae.batch import report
from xlae.batch.progress import Progress
from xlae.batch.report import ReportRow

ROWS = [
    ReportRow("client-a.xlsx", "bnc", 2026, 30000.0, 77700.0, 30000 / 77700, 1281.5, dt.date(2026, 5, 31),
              prochaine_echeance=dt.date(2026, 3, 31), tva="Franchise en base de TVA en 2026.",
              situation_plafond="Sous le plafond : 38,6 % utilisé", lignes_invalides=0),
    ReportRow("=HYPERLINK(\"x\").xlsx", erreur="-ce n'est pas un classeur"),
    ReportRow("client-b.xlsx", "vente", 2026, 190000.0, 203100.0, 190000 / 203100, 24000.0, None,
              tva="@tva", situation_plafond="+plafond", lignes_invalides=2),
]


def test_csv_is_french_and_escaped() -> None:
    text = report.csv_text(ROWS)
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:3] == ["Fichier", "Activité", "Année"]
    assert lines[0][6:9] == ["Cotisations et contributions de la dernière période (€)",
                             "Échéance de la dernière période", "Prochaine échéance"]
    assert lines[1][:9] == ["client-a.xlsx", "bnc", "2026", "30000,00", "77700,00", "38,6 %", "1281,50",
                            "31/05/2026", "31/03/2026"]  # 30 000 / 77 700 = 38,61 %
    assert lines[2][0] == "'=HYPERLINK(\"x\").xlsx"
    assert lines[2][-2:] == ["'-ce n'est pas un classeur", ""]  # Erreur, Remarque
    assert lines[3][8:12] == ["", "'@tva", "'+plafond", "2"]
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@"))


def test_csv_file_has_a_bom(tmp_path: Path) -> None:
    path = report.write_csv(ROWS, tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.name == "rapport.csv"


def test_xlsx_report(tmp_path: Path) -> None:
    path = report.write_xlsx(ROWS, tmp_path, 0.8, 1.0)
    sheet = openpyxl.load_workbook(path)["Rapport"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:N4"  # up to Remarque
    assert [c.value for c in sheet[2]][:6] == ["client-a.xlsx", "bnc", 2026, 30000, 77700, 30000 / 77700]
    assert sheet["H2"].value.date() == dt.date(2026, 5, 31)
    assert sheet["I1"].value == "Prochaine échéance" and sheet["I2"].value.date() == dt.date(2026, 3, 31)
    assert sheet["I2"].number_format == "DD/MM/YYYY"
    assert sheet["A3"].value == "'=HYPERLINK(\"x\").xlsx"  # text, never a formula
    assert sheet["F2"].number_format == "0.0 %"
    rules = [(str(r.sqref), rule.operator, rule.formula) for r in sheet.conditional_formatting for rule in r.rules]
    assert sorted(rules) == [("F2:F4", "greaterThanOrEqual", ["0.8"]), ("F2:F4", "greaterThanOrEqual", ["1.0"])]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.xlsx"]


def test_terminal_table() -> None:
    lines = report.terminal_table(ROWS)
    assert lines[0].startswith("Fichier")
    assert "Part" in lines[0] and "Erreur" in lines[0]
    assert "38,6 %" in lines[2] and "30 000,00" in lines[2]
    assert "Échéance (dernière) │ Prochaine échéance" in lines[0]
    assert re.search(r"31/05/2026 +│ 31/03/2026 ", lines[2])
    assert lines[3].endswith("-ce n'est pas un classeur")
    bars = [[i for i, char in enumerate(line) if char == "│"][:10] for line in (lines[0], lines[2], lines[4])]
    assert bars[0] == bars[1] == bars[2]  # aligned columns


def test_progress_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = Progress(3, stream)
    bar.advance("a.xlsx")
    bar.advance("b.xlsx", "illisible")
    bar.advance("c.xlsx")
    assert stream.getvalue() == "[1/3] a.xlsx : ok\n[2/3] b.xlsx : échec\n[3/3] c.xlsx : ok\n"


def test_progress_bar_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(2, stream)
    bar.advance("a.xlsx")
    bar.advance("b.xlsx", "illisible")
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert "2/2, 1 en échec" in text


def test_no_progress_for_a_single_file() -> None:
    stream = io.StringIO()
    Progress(1, stream).advance("a.xlsx")
    assert stream.getvalue() == ""


def test_report_uses_the_synthese_orange_and_red(tmp_path) -> None:
    """The README promises orange from 80 % and red from 100 % in the report, as in the Synthèse."""
    from openpyxl import load_workbook

    from xlae.batch.report import ReportRow, write_xlsx

    path = write_xlsx([ReportRow("a.xlsx", part_plafond=0.85), ReportRow("b.xlsx", part_plafond=1.2)],
                      tmp_path, 0.8, 1.0)
    rules = [rule for area in load_workbook(path).active.conditional_formatting for rule in area.rules]
    fills = sorted(rule.dxf.fill.fgColor.rgb[-6:] for rule in rules)
    assert fills == ["FF0000", "FFA500"]  # red from 100 %, orange from 80 %


def test_libreoffice_reads_the_report(tmp_path) -> None:
    """rapport.xlsx is written by xlae itself (no openpyxl): a real spreadsheet must read it as written."""
    from libreoffice import convert

    path = report.write_xlsx(ROWS, tmp_path, 0.8, 1.0)
    convert(path, tmp_path, to="csv:Text - txt - csv (StarCalc):59,34,76", out=tmp_path / "csv")
    text = (tmp_path / "csv" / "rapport.csv").read_text(encoding="utf-8")
    lines = list(csv.reader(text.splitlines(), delimiter=";"))
    assert lines[0][:3] == ["Fichier", "Activité", "Année"]
    assert lines[1][:3] == ["client-a.xlsx", "bnc", "2026"]
    assert lines[1][7] == "31/05/2026"  # a date serial with its DD/MM/YYYY format
    assert lines[2][0] == "'=HYPERLINK(\"x\").xlsx"  # text, never a formula


def test_xlsx_report_keeps_characters_xml_forbids(tmp_path: Path) -> None:
    """A control character or U+FFFF in a file name or message is written as Excel's _xHHHH_, never as
    XML no spreadsheet opens (the report and the ledger writer share ``xlsx.xml_text``)."""
    path = report.write_xlsx([ReportRow("a\x01b\uffff.xlsx", erreur="x < y & z")], tmp_path, 0.8, 1.0)
    sheet = openpyxl.load_workbook(path)["Rapport"]
    assert sheet["A2"].value == "a_x0001_b_xFFFF_.xlsx"
    assert "x < y & z" in [c.value for c in sheet[2]]
