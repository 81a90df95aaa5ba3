"""xlae declaration: CA by category, contributions, total and due date of one URSSAF period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_verifier_support import D, make_book, receipt
from xlae.cli import main


def run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["declaration", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_monthly_bnc(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[
        receipt(D("2026-02-27"), "F2026-001", 99), receipt(D("2026-03-05"), "F2026-002", 1200),
        receipt(D("2026-03-31"), "F2026-003", 800.5), receipt(D("2026-04-01"), "F2026-004", 300)])
    code, out, _ = run(capsys, path, "--periode", "2026-03")
    assert code == 0
    assert out.splitlines() == [
        "Déclaration URSSAF de mars 2026 — du 01/03/2026 au 31/03/2026 (périodicité mensuelle)",
        "À déclarer et payer au plus tard le 30/04/2026.",
        "",
        "Chiffre d'affaires encaissé à déclarer :",
        "  Autres prestations de services (BNC) : 2\u202f000,50 € (2 recette(s))",   # 1 200 + 800,50
        "",
        "Montants que l'URSSAF calculera :",
        "  Autres prestations de services (BNC)",
        "    Cotisations sociales : 512,13 € (25,60 %, taux normal bnc)",   # 2 000,50 × 25,6 % = 512,128
        "    Contribution à la formation professionnelle (CFP) : 4,00 € (0,200 %)",  # 2 000,50 × 0,2 % = 4,001
        "",
        "Total du chiffre d'affaires : 2\u202f000,50 €",
        "Total à payer : 516,13 € (cotisations 512,13 €, CFP 4,00 €, TFC 0,00 €)",   # 512,13 + 4,00
    ]


def test_quarterly_service_bic_with_tfc_and_vl_json(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "service_bic", "periodicite": "trimestrielle",
                                                      "versement_liberatoire": "oui"}, recettes=[
        receipt(D("2026-01-15"), "F2026-001", 3000, categorie="service_bic"),
        receipt(D("2026-03-31"), "F2026-002", 1500, categorie="service_bic"),
        receipt(D("2026-04-01"), "F2026-003", 999, categorie="service_bic")])
    code, out, _ = run(capsys, path, "--periode", "2026-T1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["debut"], data["fin"], data["echeance"], data["neant"]) == ("2026-01-01", "2026-03-31",
                                                                             "2026-04-30", False)
    line = data["categories"][0]
    assert (line["categorie"], line["chiffre_affaires"], line["recettes"]) == ("service_bic", "4500.00", 2)
    assert line["cotisations"] == "954.00"             # 4 500 × 21,2 % = 954
    assert line["cfp"] == "9.00"                       # 4 500 × 0,2 % = 9 (commercial services, legal text)
    assert line["tfc"] == "1.98"                       # 4 500 × 0,044 % = 1,98 (CCI)
    assert line["versement_liberatoire"] == "76.50"    # 4 500 × 1,7 % = 76,50
    assert data["totaux"]["total"] == "1041.48"        # 954 + 9 + 1,98 + 76,50


def test_mixed_sale_and_service_two_form_lines_csv(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "service_bic", "nature": "commerciale"}, recettes=[
        receipt(D("2026-03-02"), "F2026-001", 1000, categorie="vente"),
        receipt(D("2026-03-03"), "F2026-002", 500, categorie="service_bic")])
    code, out, _ = run(capsys, path, "--periode", "2026-03", "--format", "csv")
    assert code == 0
    rows = [line.split(";") for line in out.splitlines()]
    assert rows[0] == ["periode", "debut", "fin", "echeance", "rubrique", "categorie", "montant"]
    assert [(r[4], r[5], r[6]) for r in rows[1:]] == [
        ("chiffre_affaires", "vente", "1000,00"), ("cotisations", "vente", "123,00"),   # 1 000 × 12,3 %
        ("cfp", "vente", "1,00"), ("tfc", "vente", "0,15"),                            # × 0,1 % ; × 0,015 %
        ("versement_liberatoire", "vente", "0,00"),
        ("chiffre_affaires", "service_bic", "500,00"), ("cotisations", "service_bic", "106,00"),  # 500 × 21,2 %
        ("cfp", "service_bic", "1,00"), ("tfc", "service_bic", "0,22"),                # × 0,2 % ; × 0,044 %
        ("versement_liberatoire", "service_bic", "0,00"),
        ("total_a_payer", "toutes", "231,37")]   # 123 + 1 + 0,15 + 106 + 1 + 0,22
    assert rows[1][:4] == ["2026-03", "2026-03-01", "2026-03-31", "2026-04-30"]


def test_neant_when_no_receipt(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-03-05"), "F2026-001", 100)])
    code, out, _ = run(capsys, path, "--periode", "2026-02")
    assert code == 0
    assert out.splitlines()[1:] == [
        "À déclarer et payer au plus tard le 31/03/2026.",
        "",
        "NÉANT : aucune recette encaissée du 01/02/2026 au 28/02/2026.",
        "La déclaration reste obligatoire : déclarez un chiffre d'affaires de 0 € au plus tard le 31/03/2026 "
        "(rien à payer ; une déclaration manquante est pénalisée).",
    ]
    code, out, _ = run(capsys, path, "--periode", "2026-02", "--format", "json")
    data = json.loads(out)
    assert data["neant"] is True and data["totaux"]["total"] == "0.00"
    assert data["categories"][0]["chiffre_affaires"] == "0.00"


def test_first_declaration_spans_creation_month_and_three_more_with_acre(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"date_creation": D("2026-02-10"), "acre": "oui"}, recettes=[
        receipt(D("2026-02-05"), "F2026-000", 50),     # before the creation: not counted, noted
        receipt(D("2026-02-20"), "F2026-001", 1000), receipt(D("2026-04-15"), "F2026-002", 2000),
        receipt(D("2026-06-01"), "F2026-003", 400)])
    code, out, _ = run(capsys, path, "--periode", "2026-03", "--format", "json")
    assert code == 0
    data = json.loads(out)
    # creation 10/02/2026, monthly: February + 3 following months → 31/05/2026, due end of June
    assert (data["debut"], data["fin"], data["echeance"], data["premiere_declaration"]) == (
        "2026-02-10", "2026-05-31", "2026-06-30", True)
    line = data["categories"][0]
    assert line["chiffre_affaires"] == "3000.00"       # 1 000 + 2 000
    assert line["taux"][0]["cotisations"] == "0.128"   # ACRE: 50 % × 25,6 % = 12,80 %
    assert line["cotisations"] == "384.00"             # 3 000 × 12,8 % = 384
    assert line["cfp"] == "6.00"                       # 3 000 × 0,2 % (ACRE does not reduce the CFP)
    assert any("Première déclaration" in n for n in data["notes"])
    assert any("1 recette(s) datée(s) avant la création (10/02/2026)" in n for n in data["notes"])
    assert any("ACRE : 50 % du taux normal" in n for n in data["notes"])
    # any month of the first period gives the same declaration
    _, out_may, _ = run(capsys, path, "--periode", "2026-05", "--format", "json")
    assert json.loads(out_may)["totaux"] == data["totaux"]


def test_rate_change_inside_a_first_declaration_applied_month_by_month(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"date_creation": D("2024-05-15"), "annee": 2024}, recettes=[
        receipt(D("2024-06-10"), "F2024-001", 1000), receipt(D("2024-07-10"), "F2024-002", 2000)])
    code, out, _ = run(capsys, path, "--periode", "2024-07")
    assert code == 0
    assert "Première déclaration URSSAF — du 15/05/2024 au 31/08/2024 (périodicité mensuelle)" in out
    assert "À déclarer et payer au plus tard le 30/09/2024." in out
    # BNC: 21,1 % until 30/06/2024, 23,1 % from 01/07/2024: 1 000 × 21,1 % + 2 000 × 23,1 % = 211 + 462 = 673
    assert ("Cotisations sociales : 673,00 € (1\u202f000,00 € à 21,10 % ; 2\u202f000,00 € à 23,10 %)") in out


def test_versement_liberatoire_bnc(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"versement_liberatoire": "oui"},
                     recettes=[receipt(D("2026-03-05"), "F2026-001", 2000.5)])
    _, out, _ = run(capsys, path, "--periode", "2026-03")
    assert "Versement libératoire de l'impôt sur le revenu : 44,01 € (2,2 %)" in out   # 2 000,50 × 2,2 % = 44,011
    assert "Total à payer : 560,14 €" in out   # 512,13 + 4,00 + 44,01


@pytest.mark.parametrize("params, periode, message", [
    ({"periodicite": "mensuelle"}, "2026-T1", "vous déclarez chaque mois (périodicité mensuelle dans Paramètres) ; "
                                              "indiquez un mois, par exemple 2026-01, 2026-02, 2026-03"),
    ({"periodicite": "trimestrielle"}, "2026-05", "vous déclarez chaque trimestre (périodicité trimestrielle dans "
                                                  "Paramètres) ; mai 2026 fait partie du trimestre 2026-T2 : "
                                                  "indiquez --periode 2026-T2"),
    ({}, "2026-13", "--periode : valeur « 2026-13 » refusée"),
    ({}, "mars", "--periode : valeur « mars » refusée"),
    ({"date_creation": D("2026-06-01")}, "2026-03", "mars 2026 précède la date de création (01/06/2026"),
    ({"activite": "plombier"}, "2026-03", "feuille Paramètres de livre.xlsx : Paramètres!B2 : activite : valeur "
                                          "« plombier » refusée"),
])
def test_refusals(tmp_path: Path, capsys, params: dict, periode: str, message: str) -> None:
    path = make_book(tmp_path / "livre.xlsx", params=params, recettes=[receipt(D("2026-03-05"), "F2026-001", 10)])
    code, out, err = run(capsys, path, "--periode", periode)
    assert code == 2 and out == ""
    assert message in err, err


def test_rows_that_cannot_be_counted_block_the_declaration(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[
        receipt(D("2026-03-05"), "F2026-001", "1 200,00"), receipt("n'importe quand", "F2026-002", 10),
        receipt(D("2026-03-07"), "F2026-003", 10, categorie="inconnue"),
        receipt("2025-12-03", "F2025-009", 10)])   # a text date outside the period does not block
    code, _, err = run(capsys, path, "--periode", "2026-03")
    assert code == 2
    assert "3 ligne(s) ne peuvent pas être comptées avec certitude" in err
    assert "ligne 2 : montant « 1 200,00 » saisi comme texte" in err
    assert "ligne 3 : date « n'importe quand » invalide" in err
    assert "ligne 4 : catégorie « inconnue » inconnue" in err
    assert "ligne 5" not in err


@pytest.mark.parametrize("code, title", [
    ("2026-10", "Déclaration URSSAF d'octobre 2026"), ("2026-04", "Déclaration URSSAF d'avril 2026"),
    ("2026-08", "Déclaration URSSAF d'août 2026"), ("2026-03", "Déclaration URSSAF de mars 2026"),
    ("2026-T1", "Déclaration URSSAF du 1er trimestre 2026")])
def test_the_title_elides_before_a_vowel(code: str, title: str) -> None:
    from xlae.ledger.periods import parse_period
    assert f"Déclaration URSSAF {parse_period(code).of_label}" == title
