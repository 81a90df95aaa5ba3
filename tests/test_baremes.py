"""A workbook's own Barèmes sheet: LibreOffice computes with it, ``xlae recalculer`` too, ``xlae baremes`` updates it.

The workbook is the real template (``build.build_workbook``); LibreOffice headless
recalculates it with no add-in, ``xlae recalculer`` writes its copy through the
real batch (reader hook, runner), ``xlae baremes`` goes through the ledger
commands' lock, backup and atomic save.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from libreoffice import convert
from xlae import cli
from xlae.batch import xlsx
from xlae.rates import get_rates
from xlae.template import bareme_classeur as B
from xlae.template import build, layout as L, natif as N, synthese as S

MARCH = S.MONTH_FIRST + 2
EDITED_RATE = 0.3      # taux_cotisations bnc in force in 2026, typed by the user (installed: 25,6 %)
ADDED_CEILING = 90000  # plafond_ca of services from 01/01/2027, rows the user added (one per category, as Barèmes)
SERVICES = ("service_bic", "bnc", "bnc_cipav")


def _workbook(path: Path, edit: bool = True) -> Path:
    wb = build.build_workbook({"activite": "bnc", "annee": 2026})
    build.fill_ledger(wb, L.SHEET_RECETTES, [{"date": dt.date(2026, 3, 10), "reference": "F1", "client": "C",
                                              "nature": "Conseil", "categorie": "bnc", "montant": 10000,
                                              "mode": "Virement"}])
    if edit:
        ws = wb[L.SHEET_BAREMES]
        in_force = max(r.date_effet for r in get_rates().rows if r.parametre == "taux_cotisations"
                       and r.categorie == "bnc" and r.date_effet <= dt.date(2026, 3, 31))
        for row in ws.iter_rows(min_row=2):
            if (row[0].value, row[1].value, row[3].value) == ("taux_cotisations", "bnc", in_force):
                row[4].value = EDITED_RATE
        for code in SERVICES:
            added = ws.max_row + 1
            for i, value in enumerate(("plafond_ca", code, "toutes", dt.date(2027, 1, 1), ADDED_CEILING, "EUR",
                                       "UNCERTAIN", "Ma prévision", "https://exemple.fr", dt.date(2026, 12, 1),
                                       "ligne ajoutée"), start=1):
                ws.cell(added, i, value)
    path.write_bytes(build.workbook_bytes(wb))
    return path


def _libreoffice(path: Path, folder: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    out = convert(path, folder)
    return openpyxl.load_workbook(out / path.name, data_only=True)[L.SHEET_SYNTHESE]


def _recalculated(path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, object]:
    out = folder / "recalc"
    code = cli.main(["recalculer", str(path), "--sortie", str(out), "--sans-progression"])
    text = capsys.readouterr()
    return code, text.out + text.err, openpyxl.load_workbook(out / path.name, data_only=True)[L.SHEET_SYNTHESE]


def test_edited_and_added_rows_change_the_figures_in_libreoffice_and_in_recalculer(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _workbook(tmp_path / "edite.xlsx")
    shown = _libreoffice(source, tmp_path)
    # March: 10 000 × 30 % = 3 000,00 (the installed 25,6 % would give 2 560,00).
    assert shown[f"H{MARCH}"].value == pytest.approx(3000.0)
    # Ceiling of services for 2026, compared with 2027's: the added row, 90 000 × 365 / 365 = 90 000,00.
    assert shown[f"B{S.ROW_PLAFOND_SERVICES}"].value == pytest.approx(90000.0)
    code, text, copy = _recalculated(source, tmp_path, capsys)
    assert copy[f"H{MARCH}"].value == pytest.approx(3000.0)
    assert copy[f"B{S.ROW_PLAFOND_SERVICES}"].value == pytest.approx(90000.0)
    # Every native cell of the copy equals what LibreOffice computes from the same Barèmes.
    for cell in S.summary_cells():
        a, b = shown[cell.ref].value, copy[cell.ref].value
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            assert a == pytest.approx(b, abs=1e-9), cell.ref
        elif cell.ref not in (S.KEY_CELLS["version_bareme"],):
            assert (a or "") == (b or ""), cell.ref
    # The difference from the installed rates is reported, not silent (exit 1 and the reason).
    assert code == 1
    assert "feuille Barèmes" in text and "différente du barème installé" in text and "1 valeur(s) modifiée(s)" in text


def test_a_template_with_the_installed_rates_is_not_reported(tmp_path: Path, capsys) -> None:
    source = _workbook(tmp_path / "standard.xlsx", edit=False)
    code, text, copy = _recalculated(source, tmp_path, capsys)
    assert code == 0, text
    assert copy[f"H{MARCH}"].value == pytest.approx(2560.0)  # 10 000 × 25,6 % = 2 560
    version = N.rates_version(get_rates())
    assert copy[S.KEY_CELLS["version_bareme"]].value.startswith(f"Barème xlae du {version:%d/%m/%Y}")


def test_baremes_command_replaces_rows_keeps_and_lists_the_users(tmp_path: Path, capsys) -> None:
    source = _workbook(tmp_path / "classeur.xlsx")
    with zipfile.ZipFile(source) as archive:
        before = {name: archive.read(name) for name in archive.namelist()}
    assert cli.main(["baremes", str(source)]) == 0
    out = capsys.readouterr().out
    # Only the Barèmes sheet (and workbook.xml: recalculate on opening) is rewritten; every other part,
    # the chart and the other sheets included, is the very bytes it was.
    with zipfile.ZipFile(source) as archive:
        after = {name: archive.read(name) for name in archive.namelist()}
    sheet = xlsx.read_package(zipfile.ZipFile(source)).sheets[L.SHEET_BAREMES]
    assert after.keys() == before.keys()
    assert sorted(n for n in after if after[n] != before[n]) == sorted([sheet, "xl/workbook.xml"])
    assert any("chart" in n for n in after)
    assert "1 valeur(s) que vous aviez modifiée(s) remplacée(s)" in out
    assert "taux_cotisations / bnc" in out and "(la vôtre) → 0.256" in out
    assert "3 ligne(s) ajoutée(s) par vous, conservée(s)" in out
    assert "plafond_ca / service_bic / toutes au 01/01/2027 = 90000" in out
    backups = sorted(tmp_path.glob("classeur.sauvegarde-*.xlsx"))
    assert len(backups) == 1
    wb = openpyxl.load_workbook(source)
    rates = B.rates_from_rows([list(r) for r in wb[L.SHEET_BAREMES].iter_rows(values_only=True)], "test")
    diff = B.difference(rates, get_rates())
    assert not diff.changed and not diff.missing and [B.describe(r) for r in diff.added] == [
        f"plafond_ca / {code} / toutes au 01/01/2027 = 90000" for code in SERVICES]
    assert rates.version == N.rates_version(get_rates())
    assert list(wb.defined_names[N.VERSION_NAME].destinations) == [(L.SHEET_BAREMES, f"${N.VERSION_COL}${N.VERSION_ROW}")]
    # LibreOffice now computes with the installed rate and the user's ceiling row.
    shown = _libreoffice(source, tmp_path)
    assert shown[f"H{MARCH}"].value == pytest.approx(2560.0)          # 10 000 × 25,6 %
    assert shown[f"B{S.ROW_PLAFOND_SERVICES}"].value == pytest.approx(90000.0)
    # A second run has nothing to do: no write, no new backup.
    assert cli.main(["baremes", str(source)]) == 0
    out = capsys.readouterr().out
    assert "déjà à jour" in out and "rien n'a été modifié" in out and "conservée(s)" in out
    assert len(sorted(tmp_path.glob("classeur.sauvegarde-*.xlsx"))) == 1


def test_a_broken_baremes_sheet_gets_a_french_error_naming_the_row(tmp_path: Path, capsys) -> None:
    source = _workbook(tmp_path / "casse.xlsx", edit=False)
    wb = openpyxl.load_workbook(source)
    wb[L.SHEET_BAREMES]["E5"] = "beaucoup"
    wb.save(source)
    before = source.read_bytes()
    assert cli.main(["baremes", str(source)]) == 2
    err = capsys.readouterr().err
    assert "casse.xlsx, feuille Barèmes, ligne 5, colonne valeur" in err and "n'est pas un nombre" in err
    assert source.read_bytes() == before
    assert cli.main(["baremes", str(tmp_path / "absent.xlsx")]) == 2
    assert "n'existe pas" in capsys.readouterr().err
