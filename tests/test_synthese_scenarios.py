"""Native Synthèse on more scenarios: LibreOffice headless, the `formulas` engine, the AE_* twins, xlae recalculer.

Scenarios: DROM with a household (parts, other income, RFR, CA N-2 and N-3), quarterly mixed
sales + services without VL, ACRE ending mid-year (Cipav), and a hand-computed BNC case for
« Droits et impôt ». Every native cell LibreOffice computes must equal ``synthese.evaluate``
(whose twins call the AE_* functions of xlae.udfs / xlae.udfs_droits); the copy written by
``xlae recalculer`` must show LibreOffice's year CA, ceilings, contributions and due dates.
One soffice run converts every workbook (CI installs LibreOffice, see .ci/run).
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from libreoffice import convert
from xlae import cli, formules
from xlae.books.calamine import read_books
from xlae.template import build, generer, layout as L, synthese as S

HOUSEHOLD = {"parts": 2.5, "autres_revenus": 25000, "rfr": 40000, "ca_n2": 30000, "ca_n3": 20000}
SCENARIOS = {
    "drom": generer.sample(seed=21, rows=120, creation=dt.date(2024, 5, 10), categories=("service_bic",),
                           zone="drom", acre="non", versement_liberatoire="non", **HOUSEHOLD),
    "trimestriel": generer.sample(seed=22, rows=150, creation=dt.date(2023, 2, 1), categories=("vente", "service_bic"),
                                  periodicite="trimestrielle", acre="non", versement_liberatoire="non", parts=1),
    "acre_fin": generer.sample(seed=23, rows=40, creation=dt.date(2025, 10, 15), categories=("bnc_cipav",),
                               acre="oui", versement_liberatoire="oui", ca_n2=None, parts=3),
}


def _before_creation_case() -> bytes:
    """A receipt dated ten days before the creation: counted nowhere, said in C2 (as xlae declaration says it)."""
    wb = build.build_workbook({"activite": "bnc", "annee": 2026, "date_creation": dt.date(2026, 5, 20), "acre": "non",
                               "versement_liberatoire": "non"})
    build.fill_ledger(wb, L.SHEET_RECETTES, [
        {"date": dt.date(2026, 5, 10), "reference": "F1", "client": "C", "nature": "Conseil", "categorie": "bnc",
         "montant": 1000, "mode": "Virement"},
        {"date": dt.date(2026, 6, 1), "reference": "F2", "client": "C", "nature": "Conseil", "categorie": "bnc",
         "montant": 1000, "mode": "Virement"}])
    return build.workbook_bytes(wb)


def test_a_receipt_dated_before_the_creation_counts_nowhere_as_in_xlae_declaration(computed, capsys) -> None:
    _, paths, shown, python = computed
    v = python["avant_creation"]
    assert v["B5"] == 1000.0                       # the receipt of 10/05 is not CA
    first_declaration_row = S.MONTH_FIRST + 7      # 20/05 → 31/08/2026 (May + 3 months), closed in August
    assert v[f"L{first_declaration_row}"] == 258.0   # 1 000 × 25,6 % = 256 ; CFP 1 000 × 0,2 % = 2
    assert v["C2"].startswith("Attention : 1 recette(s) datée(s) avant la création (20/05/2026, Paramètres)")
    assert shown["avant_creation"]["C2"].value == v["C2"]
    assert cli.main(["declaration", str(paths["avant_creation"]), "--periode", "2026-05", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["totaux"]["total"] == "258.00" and result["totaux"]["chiffre_affaires"] == "1000.00"


def _tiny_case() -> bytes:
    """0,01 € of services on 1 January: at that pace the ceiling is crossed after 31/12/9999 (capped, no #NUM!)."""
    wb = build.build_workbook({"activite": "service_bic", "annee": 2026})
    build.fill_ledger(wb, L.SHEET_RECETTES, [{"date": dt.date(2026, 1, 1), "reference": "F1", "client": "C",
                                              "nature": "Réparation", "categorie": "service_bic", "montant": 0.01,
                                              "mode": "Virement"}])
    return build.workbook_bytes(wb)


def _hand_case() -> bytes:
    wb = build.build_workbook({"activite": "bnc", "annee": 2026, "ca_annee_precedente": 40000, "ca_n2": 36000,
                               "ca_n3": 30000, "versement_liberatoire": "non"})
    build.fill_ledger(wb, L.SHEET_RECETTES, [{"date": dt.date(2026, 3, 10), "reference": "F1", "client": "C",
                                              "nature": "Conseil", "categorie": "bnc", "montant": 30000,
                                              "mode": "Virement"}])
    return build.workbook_bytes(wb)


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("scenarios")
    paths = {}
    for name, ledgers in SCENARIOS.items():
        paths[name] = folder / f"{name}.xlsx"
        paths[name].write_bytes(generer.workbook_bytes(ledgers))
    paths["main"] = folder / "main.xlsx"
    paths["main"].write_bytes(_hand_case())
    paths["minuscule"] = folder / "minuscule.xlsx"
    paths["minuscule"].write_bytes(_tiny_case())
    paths["avant_creation"] = folder / "avant_creation.xlsx"
    paths["avant_creation"].write_bytes(_before_creation_case())
    out = convert(list(paths.values()), folder, timeout=300)
    shown = {name: openpyxl.load_workbook(out / path.name, data_only=True)[L.SHEET_SYNTHESE]
             for name, path in paths.items()}
    python = {name: S.evaluate(read_books(path).inputs()) for name, path in paths.items()}
    return folder, paths, shown, python


def _same(expected, shown) -> bool:
    if isinstance(shown, dt.datetime):
        shown = S.excel_value(shown)
    expected = S.excel_value(expected)
    return (expected == shown or (expected == "" and shown is None)
            or (isinstance(expected, float) and isinstance(shown, (int, float)) and abs(expected - shown) < 1e-6))


@pytest.mark.parametrize("name", [*SCENARIOS, "main", "minuscule", "avant_creation"])
def test_libreoffice_agrees_with_the_twins_on_every_cell(computed, name: str) -> None:
    _, _, shown, python = computed
    diffs = {c.ref: (python[name][c.ref], shown[name][c.ref].value) for c in S.summary_cells()
             if not _same(python[name][c.ref], shown[name][c.ref].value)}
    assert diffs == {}
    errors = [c.ref for c in S.summary_cells() if str(shown[name][c.ref].value).startswith("#")]
    assert errors == []


def test_scenarios_exercise_what_they_name(computed) -> None:
    _, _, shown, python = computed
    drom, quarterly, acre = python["drom"], python["trimestriel"], python["acre_fin"]
    assert isinstance(drom[f"B{S.ROW_IMPOT}"], float) and "2,5 parts" not in drom[f"B{S.ROW_IMPOT_VL}"]
    assert "RFR 2024 de 40 000 €" in drom[f"B{S.ROW_IMPOT_VL}"]
    # Quarterly: one due date per quarter (T1 → 30/04, T4 → 31/01 of the next year).
    dues = {python["trimestriel"][f"M{S.MONTH_FIRST + m}"] for m in range(12)}
    assert dues == {dt.date(2026, 4, 30), dt.date(2026, 7, 31), dt.date(2026, 10, 31), dt.date(2027, 1, 31)}
    assert quarterly[f"B{S.ROW_CASES}"].startswith("5KO : ") and "5KP : " in quarterly[f"B{S.ROW_CASES}"]
    # ACRE from 15/10/2025 ends with the 3rd following quarter: 30/09/2026; Cipav quarters on its own CA.
    assert acre[S.helper_refs()["acre_fin"]] == dt.date(2026, 9, 30)
    assert acre[f"B{S.ROW_CASES}"].startswith("5TE : ")
    assert isinstance(acre[f"B{S.ROW_TRIMESTRES}"], float)
    tiny = python["minuscule"]
    assert tiny["B5"] == 0.01 and tiny[S.helper_refs()["prevision_plafond_s"]] == dt.date(9999, 12, 31)


def test_hand_computed_rights_and_tax(computed) -> None:
    _, _, shown, python = computed
    values, lo = python["main"], shown["main"]
    for ref, expected in (
            # revenu 30 000 − 34 % = 19 800 ; 19 800 / (150 × 12,02 = 1 803) = 10,98 → 4 trimestres (maximum)
            (f"B{S.ROW_TRIMESTRES}", 4.0),
            # IJ: revenus 40 000, 36 000, 30 000 × 66 % = 26 400 + 23 760 + 19 800 = 69 960 ; RAAM 23 320
            # ≥ 10 % × (47 100 + 46 368 + 43 992) / 3 = 4 582 ; 23 320 / 730 = 31,945… → 31,95 € par jour
            (f"B{S.ROW_IJ}", 31.95),
            # (19 800 − 11 600) × 11 % = 902,00 ; décote 897 − 45,25 % × 902 = 488,845 → 488,85 ; 902 − 488,85
            (f"B{S.ROW_IMPOT}", 413.15),
            # VL: 30 000 × 2,2 % = 660,00
            (f"B{S.ROW_VL_OPTION}", 660.0),
    ):
        assert values[ref] == expected, ref
        assert lo[ref].value == pytest.approx(expected, abs=1e-9), ref
    assert values[f"B{S.ROW_CA_TRIMESTRE}"] == "Maximum atteint : 4 trimestres validés."
    assert values[f"B{S.ROW_CASES}"] == "5HQ : 30 000 €"
    assert values[f"B{S.ROW_IMPOT_VL}"].startswith(
        "Revenus 2026 : impôt au barème 413,15 € ; avec versement libératoire 660 € (660 € sur le CA) : le barème "
        "est moins cher de 246,85 € ; versement libératoire possible seulement si RFR 2024 ≤ 29 315 € (1 part).")
    assert values[f"B{S.ROW_IMPOT_VL}"].endswith("Barème des revenus 2026 incertain (non publié) : valeurs de "
                                                 "l'année précédente.")
    # The barème of 2026 income and the 2027 VAT thresholds are UNCERTAIN rows of the rates sheet: said.
    assert values[f"B{S.ROW_INCERTAIN}"] == (
        "Valeurs incertaines du barème utilisées ci-dessus (non publiées : dernière valeur connue) : barème de "
        "l'impôt des revenus 2026, seuils de TVA 2027.")
    if dt.date.today() >= dt.date(2026, 6, 1):  # 30 000 € by June at the latest: not 83 600 € this year
        assert values[f"B{S.ROW_DEP_PLAFOND}"] == "pas cette année"


def test_formulas_engine_agrees_on_the_rights_section(computed) -> None:
    _, paths, _, python = computed
    for name in ("main", "drom"):
        engine = formules.evaluate_with_formulas(paths[name])
        for row in range(S.ROW_DROITS + 1, S.ROW_DROITS_LAST + 1):
            ref = f"B{row}"
            assert _same(python[name][ref], engine[f"{L.SHEET_SYNTHESE}!{ref}"]), (name, ref)


def test_recalculer_copy_shows_what_libreoffice_computes(computed, capsys: pytest.CaptureFixture[str]) -> None:
    folder, paths, shown, _ = computed
    out = folder / "recalc"
    cli.main(["recalculer", *map(str, paths.values()), "--sortie", str(out), "--sans-progression"])
    capsys.readouterr()
    keys = [S.KEY_CELLS[k] for k in ("ca_annee", "plafond_vente", "plafond_services", "total_a_payer")]
    keys += [f"{col}{S.MONTH_FIRST + m}" for m in range(12) for col in "HIJKMN"]
    for name, path in paths.items():
        copy = openpyxl.load_workbook(out / path.name, data_only=True)[L.SHEET_SYNTHESE]
        for ref in keys:
            assert _same(copy[ref].value if not isinstance(copy[ref].value, dt.datetime) else copy[ref].value.date(),
                         shown[name][ref].value), (name, ref)
