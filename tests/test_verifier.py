"""xlae verifier: each kind of defect seeded in a ledger gives its finding (sheet, row, column, message)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from test_verifier_support import D, findings, make_book, purchase, receipt
from xlae.cli import main
from xlae.books.calamine import open_books
from xlae.template import layout


def clean_rows() -> list[dict]:
    return [receipt(D("2026-03-05"), "F2026-001", 1200), receipt(D("2026-03-12"), "F2026-002", 800.5),
            receipt(D("2026-04-02"), "F2026-003", 300, mode="Espèces")]


def test_clean_book_exit_0(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=clean_rows())
    assert main(["verifier", str(path)]) == 0
    assert capsys.readouterr().out == "Aucune anomalie dans livre.xlsx.\n"


def test_findings_printed_one_per_line_exit_1(tmp_path: Path, capsys) -> None:
    rows = clean_rows()
    rows[1]["reference"] = None
    path = make_book(tmp_path / "livre.xlsx", recettes=rows)
    assert main(["verifier", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Recettes, ligne 3, colonne B (Référence de la pièce justificative) : référence de la pièce "
        "justificative manquante (numéro de facture, de ticket…)",
        "Recettes, ligne 4, colonne B (Référence de la pièce justificative) : numérotation des pièces "
        "interrompue : F2026-002 manquante entre F2026-001 (ligne 2) et F2026-003 (facture annulée ? gardez-la "
        "et notez-la en observation)",
        "2 anomalie(s) dans livre.xlsx."]


@pytest.mark.parametrize("change, expected", [
    # chronological order
    ({"date": D("2026-03-01")}, "Recettes, ligne 3, colonne A (Date d'encaissement) : date du 01/03/2026 "
                                "antérieure à celle de la ligne 2 (05/03/2026)"),
    # payment mode missing / unknown / misspelt cash
    ({"mode": None}, "Recettes, ligne 3, colonne G (Mode de règlement) : mode de règlement manquant (espèces"),
    ({"mode": "Bitcoin"}, "colonne G (Mode de règlement) : mode « Bitcoin » inconnu ; modes acceptés : "
                          "Virement, Carte bancaire, Chèque, Espèces"),
    ({"mode": "especes"}, "colonne G (Mode de règlement) : mode « especes » : écrivez exactement « Espèces »"),
    # amounts
    ({"montant": "800,50"}, "colonne F (Montant encaissé (€)) : montant « 800,50 » saisi comme texte"),
    ({"montant": "abc"}, "colonne F (Montant encaissé (€)) : montant « abc » saisi comme texte"),
    ({"montant": 0}, "colonne F (Montant encaissé (€)) : montant « 0 » : un montant encaissé ou payé est "
                     "strictement positif"),
    ({"montant": -20}, "montant « -20 » : un montant encaissé ou payé est strictement positif"),
    ({"montant": None}, "colonne F (Montant encaissé (€)) : montant manquant"),
    ({"montant": 10.005}, "montant « 10.005 » : plus de deux décimales"),
    ({"montant": "=100*2"}, "formule « =100*2 » : saisissez le montant lui-même"),
    # categories
    ({"categorie": "plomberie"}, "colonne E (Catégorie) : catégorie « plomberie » inconnue ; catégories "
                                 "acceptées : vente, service_bic, bnc, bnc_cipav"),
    ({"categorie": "Libéral"}, "colonne E (Catégorie) : catégorie « Libéral » : écrivez exactement « bnc »"),
    ({"categorie": None}, "colonne E (Catégorie) : catégorie manquante"),
    # dates
    ({"date": "12/03/2026"}, "colonne A (Date d'encaissement) : date « 12/03/2026 » saisie comme texte"),
    ({"date": "le 12 mars"}, "colonne A (Date d'encaissement) : date « le 12 mars » invalide"),
    ({"date": None}, "Recettes, ligne 3, colonne A (Date d'encaissement) : date manquante"),
    # client (origin of the receipt)
    ({"client": None}, "colonne C (Client) : client non renseigné"),
])
def test_each_defect_of_a_receipt(tmp_path: Path, change: dict, expected: str) -> None:
    rows = clean_rows()
    rows[1].update(change)
    found = findings(make_book(tmp_path / "livre.xlsx", recettes=rows))
    assert any(expected in text for text in found), found
    assert all("ligne 3" in text for text in found), found   # nothing reported on the clean rows


def test_duplicated_reference(tmp_path: Path) -> None:
    rows = clean_rows()
    rows[2]["reference"] = "F2026-002"
    assert findings(make_book(tmp_path / "livre.xlsx", recettes=rows)) == [
        "Recettes, ligne 4, colonne B (Référence de la pièce justificative) : référence « F2026-002 » déjà "
        "utilisée ligne 3 (doublon ? pour un paiement en plusieurs fois, écrivez « acompte » ou « solde » en "
        "observation)"]


def test_future_date_out_of_year_and_before_creation(tmp_path: Path) -> None:
    # 2024 is out (N-2); 2025 is kept (N-1 gives the Synthèse its previous-year CA) but precedes creation.
    rows = [receipt(D("2024-12-30"), "F2024-099", 40), receipt(D("2025-12-30"), "F2025-099", 50), *clean_rows(),
            receipt(D("2026-12-01"), "F2026-004", 10), receipt(D("2027-01-04"), "F2027-001", 10)]
    found = findings(make_book(tmp_path / "livre.xlsx", params={"date_creation": D("2025-12-31")}, recettes=rows))
    assert found == [
        "Recettes, ligne 2, colonne A (Date d'encaissement) : date du 30/12/2024 antérieure à la date de création "
        "(31/12/2025, Paramètres)",
        "Recettes, ligne 2, colonne A (Date d'encaissement) : 2 ligne(s) hors des années 2025 et 2026 "
        "(lignes 2, 8) : la Synthèse de 2026 ne les compte pas ; tenez un registre par année ou changez l'année "
        "des Paramètres",
        "Recettes, ligne 3, colonne A (Date d'encaissement) : date du 30/12/2025 antérieure à la date de création "
        "(31/12/2025, Paramètres)",
        "Recettes, ligne 7, colonne A (Date d'encaissement) : date du 01/12/2026 dans le futur : n'inscrivez une "
        "recette ou un achat qu'une fois payé",
        "Recettes, ligne 8, colonne A (Date d'encaissement) : date du 04/01/2027 dans le futur : n'inscrivez une "
        "recette ou un achat qu'une fois payé",
    ]


def test_gap_in_invoice_numbering(tmp_path: Path) -> None:
    rows = [receipt(D("2026-03-01"), "F2026-001", 10), receipt(D("2026-03-02"), "F2026-002", 10),
            receipt(D("2026-03-03"), "F2026-004", 10), receipt(D("2026-03-04"), "F2026-008", 10),
            receipt(D("2026-03-05"), "CHQ 100", 10, mode="Chèque"), receipt(D("2026-03-06"), "CHQ 950", 10,
                                                                           mode="Chèque")]
    found = findings(make_book(tmp_path / "livre.xlsx", recettes=rows))
    assert found == [
        "Recettes, ligne 4, colonne B (Référence de la pièce justificative) : numérotation des pièces "
        "interrompue : F2026-003 manquante entre F2026-002 (ligne 3) et F2026-004 (facture annulée ? gardez-la "
        "et notez-la en observation)",
        "Recettes, ligne 5, colonne B (Référence de la pièce justificative) : numérotation des pièces "
        "interrompue : F2026-005 à F2026-007 manquantes (3 pièces) entre F2026-004 (ligne 4) et F2026-008 "
        "(facture annulée ? gardez-la et notez-la en observation)",
    ]  # CHQ 100 → CHQ 950: 849 numbers missing > 20, not an invoice series: no finding


def test_split_payment_same_reference_allowed_when_noted(tmp_path: Path) -> None:
    rows = [receipt(D("2026-03-01"), "F2026-001", 300, observations="acompte 30 %"),
            receipt(D("2026-03-20"), "F2026-001", 700, observations="Solde de la facture")]
    assert findings(make_book(tmp_path / "livre.xlsx", recettes=rows)) == []


def test_empty_row_in_the_middle(tmp_path: Path) -> None:
    rows = clean_rows()
    rows.insert(1, None)
    found = findings(make_book(tmp_path / "livre.xlsx", recettes=rows))
    assert found == ["Recettes, ligne 3 : ligne vide au milieu du registre : supprimez-la (les lignes se suivent "
                     "sans trou)"]


def test_purchases_register_required_for_sales(tmp_path: Path) -> None:
    rows = [receipt(D("2026-03-05"), "F2026-001", 1200, categorie="vente")]
    found = findings(make_book(tmp_path / "livre.xlsx", params={"activite": "vente"}, recettes=rows))
    assert found == ["Achats : registre des achats vide alors que l'activité comprend de la vente : il est "
                     "obligatoire (CGI 50-0, 5) ; inscrivez-y vos achats"]
    ok = make_book(tmp_path / "ok.xlsx", params={"activite": "vente"}, recettes=rows,
                   achats=[purchase(D("2026-03-01"), "FA-778", 300)])
    assert findings(ok) == []
    # the sheet deleted altogether
    wb = openpyxl.load_workbook(tmp_path / "livre.xlsx")
    del wb[layout.SHEET_ACHATS]
    wb.save(tmp_path / "sans_achats.xlsx")
    assert findings(tmp_path / "sans_achats.xlsx") == [
        "Achats : feuille absente : le registre des achats est obligatoire pour la vente de marchandises ou "
        "l'hébergement (CGI 50-0, 5)"]


def test_purchases_not_required_for_services(tmp_path: Path) -> None:
    assert findings(make_book(tmp_path / "livre.xlsx", recettes=clean_rows())) == []


def test_purchase_rows_checked_too(tmp_path: Path) -> None:
    achats = [purchase(D("2026-03-02"), "A-1", 40), purchase(D("2026-03-01"), None, "quarante", mode=None),
              purchase(D("2026-03-03"), "A-1", 12)]
    found = findings(make_book(tmp_path / "livre.xlsx", recettes=clean_rows(), achats=achats))
    assert found == [
        "Achats, ligne 3, colonne A (Date) : date du 01/03/2026 antérieure à celle de la ligne 2 (02/03/2026) : "
        "le registre est tenu dans l'ordre chronologique",
        "Achats, ligne 3, colonne B (Référence de la pièce justificative) : référence de la pièce justificative "
        "manquante (numéro de facture, de ticket…)",
        "Achats, ligne 3, colonne E (Montant (€)) : montant « quarante » saisi comme texte : la Synthèse "
        "l'ignore ; saisissez un nombre (ex. 1234,56)",
        "Achats, ligne 3, colonne F (Mode de règlement) : mode de règlement manquant (espèces à distinguer des "
        "autres règlements)",
        "Achats, ligne 4, colonne B (Référence de la pièce justificative) : référence « A-1 » déjà utilisée "
        "ligne 2 (doublon ? pour un paiement en plusieurs fois, écrivez « acompte » ou « solde » en observation)",
    ]


def test_wrong_parameters_are_findings_naming_the_cell(tmp_path: Path) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "astronaute", "periodicite": "hebdo",
                                                      "acre": "oui", "date_creation": None},
                     recettes=clean_rows())
    book = open_books(path)
    where = {name: book.parameter_place(name).ref.partition('!')[2] for name in ("activite", "periodicite", "date_creation")}
    found = findings(path)
    assert any(t.startswith(f"Paramètres, ligne {where['activite'][1:]}, colonne B : activite : valeur "
                            "« astronaute » refusée") for t in found), found
    assert any(t.startswith(f"Paramètres, ligne {where['periodicite'][1:]}, colonne B : periodicite : "
                            "valeur « hebdo » refusée") for t in found), found
    assert any(f"ligne {where['date_creation'][1:]}" in t and "obligatoire avec l'ACRE" in t for t in found)


def test_not_a_template_exit_2(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[layout.SHEET_RECETTES]["F1"] = "Prix"
    wb.save(path)
    assert main(["verifier", str(path)]) == 2
    assert capsys.readouterr().err == (
        "Erreur : livre.xlsx n'a pas été créé avec le modèle xlae (feuille Recettes, colonne F : en-tête « Prix » "
        "au lieu de « Montant encaissé (€) »). Créez un classeur avec « xlae modele » et recopiez-y vos lignes.\n")


def test_missing_defined_name_exit_2(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb.defined_names["periodicite"]
    wb.save(path)
    assert main(["verifier", str(path)]) == 2
    assert "le nom défini « periodicite » (cellule de paramètre) est absent" in capsys.readouterr().err


def test_missing_file_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["verifier", str(tmp_path / "absent.xlsx")]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_category_in_another_case_is_counted_like_the_synthese(tmp_path: Path) -> None:
    # Excel's = ignores case: the Synthèse counts « BNC » and « Service_BIC »; so does the verifier.
    rows = clean_rows()
    rows[0]["categorie"] = "BNC"
    rows[1]["categorie"] = "Bnc"
    assert findings(make_book(tmp_path / "livre.xlsx", recettes=rows)) == []


def test_the_quick_amount_reading_agrees_with_cell_amount() -> None:
    """``checks._amount_problem`` skips the Decimal for a float typed to the cent; on any float it says
    what ``books.cells.cell_amount`` says."""
    import math
    import random

    from xlae.books.cells import cell_amount
    from xlae.ledger.checks import _amount_problem

    rng = random.Random(15)
    values = [0.01, 0.1 + 0.2, 1.005, 100.5, 99.999, 1e11 - 0.01, 1e11, 1e13, 1e30, 0.0, -0.0, -5.0, 5e-324,
              math.nan, math.inf, -math.inf, 123456789.12, 2.675, 1 / 3]
    values += [rng.randint(1, 10**9) / 100 for _ in range(3000)]
    values += [rng.uniform(0, 1e6) for _ in range(3000)]
    values += [rng.randint(1, 10**12) / 10**rng.randint(0, 4) for _ in range(3000)]
    for value in values:
        assert _amount_problem(value) == cell_amount(value)[1], value
