"""xlae bilan ANNEE CLASSEUR: the year-end pack in the terminal and as an xlsx file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from test_verifier_support import D, make_book, receipt
from xlae.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["bilan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _lines(out: str) -> dict[str, str]:
    """« label : value » lines of the report, by label."""
    found = {}
    for line in out.splitlines():
        if line.startswith("  ") and " : " in line:
            label, value = line.strip().split(" : ", 1)
            found[label] = value
    return found


def test_bnc_year_pack(tmp_path: Path, capsys) -> None:
    # BNC 2026: 12 000 + 18 000 = 30 000 ; CA 2025 typed in Paramètres: 30 000 ; 2024: none in the ledger
    path = make_book(tmp_path / "livre.xlsx", recettes=[
        receipt(D("2026-02-10"), "F2026-001", 12000), receipt(D("2026-09-10"), "F2026-002", 18000),
        receipt(D("2027-01-05"), "F2027-001", 999)])
    code, out, err = run(capsys, "2026", str(path))
    assert code == 0, err
    lines = _lines(out)
    # 30 000 × 34 % = 10 200 ; revenu 19 800
    assert lines["Autres prestations de services (BNC)"] == "CA 30\u202f000,00 € ; abattement 10\u202f200,00 € ; revenu 19\u202f800,00 €"
    assert lines["Case 5HQ — micro-BNC, recettes (sans versement libératoire)"] == "30\u202f000,00 €"
    # 19 800 ≥ 4 × 1 803 → 4 quarters
    assert lines["Sécurité sociale des indépendants"].startswith("4 trimestre(s) : 19\u202f800,00 €")
    # arrêt 01/01/2027: RAAM (19 800 + 19 800 + 0) / 3 = 13 200 ; / 730 = 18.08
    assert lines["Indemnité journalière maladie"].startswith("18,08 € par jour d'arrêt à partir du 01/01/2027")
    assert "aucun CA en 2024 : compté 0 €" in lines["Années de référence"]
    # revenus 2026 (barème UNCERTAIN, 2025 kept): 413.15 vs VL 660
    assert lines["Impôt estimé au barème"] == "413,15 €" and lines["Coût avec versement libératoire"] == "660,00 €"
    assert "incertain" in lines["Comparaison"]
    assert lines["Compte bancaire dédié"].startswith("Obligatoire")
    assert lines["CA de l'année précédente"] == "30\u202f000,00 € (Paramètres (Paramètres!B11))"
    assert "pass_annuel [toutes/toutes] = 48060 EUR depuis le 01/01/2027 (incertain)" in out
    target = tmp_path / "livre-bilan-2026.xlsx"
    assert f"Bilan enregistré dans {target}" in out
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Bilan", "Sources"]
    values = [row for row in wb["Bilan"].iter_rows(values_only=True)]
    assert ("Case 5HQ — micro-BNC, recettes (sans versement libératoire)", "30\u202f000,00 €") in values
    assert any(row[5] == "UNCERTAIN" for row in wb["Sources"].iter_rows(min_row=2, values_only=True))


def test_vat_crossing_sheet_and_versement_liberatoire_boxes(tmp_path: Path, capsys) -> None:
    # Services BIC with VL, 2026: 30 000 on 15/03, 12 000 on 20/09 (42 000 > 41 250 → VAT from 20/09), 2 000 on 01/10
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "service_bic", "versement_liberatoire": "oui",
                                                      "ca_annee_precedente": None}, recettes=[
        receipt(D("2026-03-15"), "F1", 30000, categorie="service_bic"),
        receipt(D("2026-09-20"), "F2", 12000, categorie="service_bic"),
        receipt(D("2026-10-01"), "F3", 2000, categorie="service_bic"),
        receipt(D("2025-06-01"), "F0", 5000, categorie="service_bic")])
    code, out, err = run(capsys, "2026", str(path), "--sortie", str(tmp_path / "pack.xlsx"))
    assert code == 0, err
    lines = _lines(out)
    assert lines["Case 5TB — auto-entrepreneur avec versement libératoire, prestations de services BIC"] == "44\u202f000,00 €"
    assert "seuil majoré de 41 250 € dépassé le 20/09/2026 ; TVA due à compter du 20/09/2026 ; 2 recette(s)" \
        in lines["Dépassement des seuils de TVA"]
    assert "ligne 3 : 20/09/2026 F2 12\u202f000,00 €" in out and "ligne 4 : 01/10/2026 F3 2\u202f000,00 €" in out
    # CA 2025 from the ledger (Paramètres empty): 5 000
    assert lines["CA de l'année précédente"] == "5\u202f000,00 € (livre des recettes)"
    sheet = openpyxl.load_workbook(tmp_path / "pack.xlsx")["TVA à refacturer"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows] == [(3, "F2", 12000), (4, "F3", 2000)]


def test_cipav_quarters_and_household_options(tmp_path: Path, capsys) -> None:
    # Cipav 2026: 8 580 = 3 × 2 860 → 3 quarters ; next one at 11 440: 2 860 more
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "bnc_cipav", "ca_annee_precedente": None},
                     recettes=[receipt(D("2026-05-02"), "F1", 8580, categorie="bnc_cipav")])
    code, out, err = run(capsys, "2026", str(path), "--parts", "2", "--autres-revenus", "30000", "--rfr", "70000")
    assert code == 0, err
    lines = _lines(out)
    assert lines["Cipav"].startswith("3 trimestre(s) : 8\u202f580,00 € de CA") and "2\u202f860,00 € de CA de plus" in lines["Cipav"]
    # couple 2 parts ; limit 2 × 29 315 = 58 630 < RFR 70 000
    assert "non autorisé : RFR 2024 de 70 000 € > 58 630 € (2 parts)" in lines["Comparaison"]


@pytest.mark.parametrize("args,fragment", [
    (["2022"], "ANNEE : 2022 est antérieure à la couverture"),
    (["2026", "--sortie", "bilan.pdf"], "--sortie : bilan.pdf doit se terminer par .xlsx"),
    (["2026", "--parts", "0"], "--parts : valeur « 0 » refusée"),
    (["2026", "--parts", "1.5", "--couple"], "--parts : 1,5 part(s) pour un couple"),
    (["2026", "--autres-revenus", "-3"], "--autres-revenus : montant négatif"),
])
def test_bad_input(tmp_path: Path, capsys, args, fragment) -> None:
    path = make_book(tmp_path / "livre.xlsx")
    code, out, err = run(capsys, args[0], str(path), *args[1:])
    assert code == 2 and fragment in err and "Traceback" not in err
    assert not (tmp_path / "livre-bilan-2026.xlsx").exists()


def test_never_overwrites_without_force(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx")
    existing = tmp_path / "livre-bilan-2026.xlsx"
    existing.write_bytes(b"a user's file")
    code, _, err = run(capsys, "2026", str(path))
    assert code == 2 and "existe déjà ; ajoutez --force" in err and existing.read_bytes() == b"a user's file"
    code, _, err = run(capsys, "2026", str(path), "--sortie", str(path))
    assert code == 2 and "existe déjà" in err
    code, _, err = run(capsys, "2026", str(path), "--sortie", str(path), "--force")
    assert code == 2 and "ne peut pas remplacer le classeur" in err
    code, _, err = run(capsys, "2026", str(path), "--force")
    assert code == 0 and openpyxl.load_workbook(existing).sheetnames[0] == "Bilan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["livre-bilan-2026.xlsx", "livre.xlsx"]  # no temp file left
