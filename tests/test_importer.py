"""xlae importer: French bank statements → livre des recettes (preview, --appliquer, re-import)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from test_verifier_support import D, make_book, read_rows, receipt
from xlae.cli import main
from xlae.errors import XlaeError
from xlae.ledger.importing import guess_mode, guess_reference, import_key
from xlae.ledger.regles import read_rules
from xlae.ledger.statement import StatementLine, parse_amount, parse_date, read_statement
from xlae.template import layout

FIXTURES = Path(__file__).parent / "fixtures" / "releves"
CA = FIXTURES / "credit_agricole_cp1252.csv"
BP = FIXTURES / "banque_populaire_utf8_bom.csv"
SG = FIXTURES / "societe_generale_virgule.csv"
RULES = FIXTURES / "regles.csv"


# --- statement reading -----------------------------------------------------------------------

def test_credit_agricole_cp1252_preamble_debit_credit_multiline_label() -> None:
    s = read_statement(CA)
    assert (s.encoding, s.delimiter, s.header_line) == ("Windows-1252", ";", 5)
    assert s.columns == {"date": "Date", "libelle": "Libellé", "debit": "Débit euros", "credit": "Crédit euros"}
    # 7 operations: 5 credits (1 500, 320, 200 cash deposit, 650 twice) and 2 debits (45,90 ; 87,35)
    assert [(line.line, line.date, line.amount) for line in s.lines] == [
        (6, dt.date(2026, 3, 3), Decimal("1500.00")), (8, dt.date(2026, 3, 5), Decimal("-45.90")),
        (9, dt.date(2026, 3, 12), Decimal("320.00")), (10, dt.date(2026, 3, 15), Decimal("200.00")),
        (11, dt.date(2026, 3, 20), Decimal("-87.35")), (12, dt.date(2026, 3, 28), Decimal("650.00")),
        (13, dt.date(2026, 3, 28), Decimal("650.00"))]
    # the quoted label spanning two lines is one label; « N° » decoded from Windows-1252
    assert s.lines[0].label == "VIR SEPA RECU /DE ACME SARL /MOTIF FACTURE F2026-007"
    assert s.lines[2].label == "REMISE CHEQUE N° 1234567 DUPONT"


def test_banque_populaire_utf8_bom_signed_amount_prefers_operation_date() -> None:
    s = read_statement(BP)
    assert (s.encoding, s.delimiter) == ("UTF-8 (BOM)", ";")
    assert s.columns["date"] == "Date opération" and s.columns["montant"] == "Montant"
    assert s.ignored_columns == ["Date valeur"]  # Devise is read: a credit in another currency is not imported
    assert [(line.date.day, line.amount) for line in s.lines] == [
        (1, Decimal("2400.00")), (4, Decimal("-89.00")), (10, Decimal("350.50")), (31, Decimal("-8.00"))]
    assert s.lines[0].label == "VIR SEPA ÉCOLE DES ARTS FACT. F2026-010"


def test_comma_separated_quoted_euro_amounts_accounting_negative_and_balance_line() -> None:
    s = read_statement(SG)
    assert (s.encoding, s.delimiter) == ("UTF-8", ",")
    # label and « Détail de l'écriture » joined; « (12,00) » is a debit; the balance line is skipped
    assert [(line.label, line.amount) for line in s.lines] == [
        ("VIR RECU DE: STUDIO NOVA REF: FA-2026-031", Decimal("1234.56")),
        ("COTIS CARTE PRO", Decimal("-12.00")),
        ("VIR RECU DE: STUDIO NOVA REF: FA-2026-032", Decimal("980.00"))]
    assert s.skipped == [(5, "ligne de solde ou de total")]


@pytest.mark.parametrize("text, expected", [
    ("1 234,56 €", "1234.56"), ("1\u202f234,56", "1234.56"), ("1\u00a0234,56 EUR", "1234.56"),
    ("-12,00", "-12.00"), ("(12,00)", "-12.00"), ("12,00-", "-12.00"), ("+2 400,00", "2400.00"),
    ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("1234.5", "1234.5"), ("1.234.567", "1234567"),
    ("7", "7"), ("", None), ("  ", None),
])
def test_parse_amount_french_and_bank_spellings(text: str, expected: str | None) -> None:
    assert parse_amount(text, "ici") == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("text", ["12,3,4", "abc", "1.234", "12,345", "1 2x", "--5"])
def test_parse_amount_refuses_unreadable_or_ambiguous(text: str) -> None:
    with pytest.raises(XlaeError, match="ici : montant"):
        parse_amount(text, "ici")


@pytest.mark.parametrize("text, expected", [("05/03/2026", dt.date(2026, 3, 5)), ("5/3/26", dt.date(2026, 3, 5)),
                                            ("05-03-2026", dt.date(2026, 3, 5)), ("2026-03-05", dt.date(2026, 3, 5)),
                                            ("05.03.2026", dt.date(2026, 3, 5))])
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text, "ici") == expected


@pytest.mark.parametrize("text", ["31/02/2026", "03/05", "hier", "2026/13/01"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(XlaeError, match="JJ/MM/AAAA"):
        parse_date(text, "ici")


@pytest.mark.parametrize("name, message", [
    ("vide.csv", "est vide"),
    ("colonnes_inconnues.csv", "aucune ligne d'en-tête reconnue.*« Jour;Texte;Valeur »"),
    ("montant_illisible.csv", "ligne 2, colonne « Crédit » : montant « 12,3,4 » illisible"),
    ("en_tete_seul.csv", "aucune opération après l'en-tête"),
])
def test_bad_statements_french_error_and_workbook_untouched(tmp_path: Path, capsys, name: str, message: str) -> None:
    book = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-03-01"), "F2026-001", 100)])
    before = book.read_bytes()
    assert main(["importer", str(FIXTURES / name), "--classeur", str(book), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "Traceback" not in err
    assert __import__("re").search(message, err)
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["livre.xlsx"]


def test_debit_and_credit_on_one_line_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Date;Libellé;Débit;Crédit\n03/03/2026;X;10,00;20,00\n", encoding="utf-8")
    with pytest.raises(XlaeError, match="ligne 2 : un débit et un crédit"):
        read_statement(path)


def test_future_credit_refuses_the_whole_import(tmp_path: Path, capsys) -> None:
    future = dt.date.today() + dt.timedelta(days=10)
    statement = tmp_path / "futur.csv"
    statement.write_text(f"Date;Libellé;Crédit\n01/03/2026;VIR A;10,00\n{future:%d/%m/%Y};VIR B;20,00\n",
                         encoding="utf-8")
    book = make_book(tmp_path / "livre.xlsx")
    before = book.read_bytes()
    assert main(["importer", str(statement), "--classeur", str(book), "--appliquer"]) == 2
    assert f"ligne 3 : date {future:%d/%m/%Y} dans le futur" in capsys.readouterr().err
    assert book.read_bytes() == before


# --- rules, keys, guesses ----------------------------------------------------------------------

def test_rules_file_parsed_with_regex_and_ignore() -> None:
    rules = read_rules(RULES)
    assert [(r.motif, r.client, r.categorie, r.mode) for r in rules] == [
        ("ACME", "ACME SARL", "bnc", "Virement"), ("DUPONT", "Jean Dupont", "vente", ""),
        ("/MARTIN\\s+PAUL/", "Paul Martin", "bnc", ""), ("VIREMENT INTERNE", "", "ignorer", "")]
    assert rules[2].matches("VIR INST /DE martin   paul") and not rules[2].matches("MARTINE PAULINE")
    assert rules[0].matches("vir sepa acme sarl")  # accents and case ignored


@pytest.mark.parametrize("text, message", [
    ("client;categorie\nx;bnc\n", "colonne « motif » absente"),
    ("motif;couleur\nx;bleu\n", "colonne\\(s\\) inconnue\\(s\\) couleur"),
    ("motif;categorie\nACME;plomberie\n", "ligne 2, colonne categorie"),
    ("motif;mode\nACME;Bitcoin\n", "ligne 2, colonne mode : « Bitcoin » inconnu"),
    ("motif;categorie\n/[/;bnc\n", "expression régulière « /\\[/ » invalide"),
    ("motif\n", "aucune règle"),
])
def test_bad_rules_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "regles.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XlaeError, match=message):
        read_rules(path)


def test_import_key_depends_on_occurrence_and_ignores_accents_and_case() -> None:
    line = StatementLine(3, dt.date(2026, 3, 5), "VIR ÉCOLE", Decimal("100.00"))
    same = StatementLine(9, dt.date(2026, 3, 5), "vir ecole", Decimal("100"))
    assert import_key(line, 0) == import_key(same, 0)
    assert import_key(line, 0) != import_key(line, 1)
    assert import_key(line, 0).startswith("R-") and len(import_key(line, 0)) == 22


@pytest.mark.parametrize("label, mode", [("VIR SEPA RECU ACME", "Virement"), ("REMISE CHEQUE 123", "Chèque"),
                                         ("CB SNCF", "Carte bancaire"), ("PRLV EDF", "Prélèvement"),
                                         ("DIVERS", "")])
def test_guess_mode(label: str, mode: str) -> None:
    assert guess_mode(label) == mode


@pytest.mark.parametrize("label, reference", [("VIR ACME FACTURE F2026-007", "F2026-007"),
                                              ("REF: FA-2026-031", "FA-2026-031"),
                                              ("VIR X FACTURE N° 123", "123"),
                                              ("REMISE CHEQUE N° 1234567", "")])
def test_guess_reference(label: str, reference: str) -> None:
    assert guess_reference(label) == reference


# --- end to end --------------------------------------------------------------------------------

def test_preview_writes_nothing(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    before = book.read_bytes()
    assert main(["importer", str(CA), "--classeur", str(book), "--regles", str(RULES)]) == 0
    out = capsys.readouterr().out
    assert "Résumé : 4 à ajouter, 0 déjà importée(s), 0 déjà saisie(s) à la main ?, 1 ignorée(s), 0 en période close ; 2 débits" in out
    assert "dépôt d'espèces" in out
    assert "relancez avec --appliquer pour ajouter 4 recettes" in out
    assert book.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["livre.xlsx"]


def test_apply_appends_keeps_existing_rows_backs_up_and_reimport_adds_nothing(tmp_path: Path, capsys) -> None:
    existing = receipt(D("2026-03-01"), "F2026-006", 100, observations="saisie à la main")
    book = make_book(tmp_path / "livre.xlsx", recettes=[existing])
    original = book.read_bytes()
    assert main(["importer", str(CA), "--classeur", str(book), "--regles", str(RULES), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "4 recettes ajoutées à la feuille Recettes (lignes 3 à 6)" in out
    assert "xlae recalculer" in out
    backups = [p for p in tmp_path.iterdir() if ".sauvegarde-" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == original
    rows = read_rows(book)
    assert rows[0] == (D("2026-03-01"), "F2026-006", "Client SA", "Prestation", "bnc", 100, "Virement",
                       "saisie à la main", None)
    assert [r[:7] for r in rows[1:]] == [
        (D("2026-03-03"), "F2026-007", "ACME SARL", "Développement web", "bnc", 1500, "Virement"),
        (D("2026-03-12"), None, "Jean Dupont", "Vente de meubles", "vente", 320, "Chèque"),
        (D("2026-03-28"), "F2026-008", "Paul Martin", "Formation", "bnc", 650, "Virement"),
        (D("2026-03-28"), "F2026-008", "Paul Martin", "Formation", "bnc", 650, "Virement")]
    assert rows[1][7] == "Relevé : VIR SEPA RECU /DE ACME SARL /MOTIF FACTURE F2026-007"
    keys = [r[8] for r in rows[1:]]
    assert len(set(keys)) == 4 and all(k.startswith("R-") for k in keys)  # the two identical 650 € differ
    ws = openpyxl.load_workbook(book)[layout.SHEET_RECETTES]
    assert ws["A3"].number_format == "DD/MM/YYYY" and ws["A3"].is_date
    # second run: nothing added, file and backups unchanged
    after_first = book.read_bytes()
    assert main(["importer", str(CA), "--classeur", str(book), "--regles", str(RULES), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "0 à ajouter, 4 déjà importée(s)" in out and "Rien à ajouter" in out
    assert book.read_bytes() == after_first
    assert len([p for p in tmp_path.iterdir() if ".sauvegarde-" in p.name]) == 1


def test_two_statements_default_category_from_parameters(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx", params={"activite": "service_bic"})
    assert main(["importer", str(BP), "--classeur", str(book), "--appliquer"]) == 0
    assert main(["importer", str(SG), "--classeur", str(book), "--appliquer"]) == 0
    rows = read_rows(book)
    # BP: 2 400,00 and 350,50 ; SG: 1 234,56 and 980,00 — appended in the order imported
    assert [(r[0].date(), r[1], r[4], r[5], r[6]) for r in rows] == [
        (dt.date(2026, 3, 1), "F2026-010", "service_bic", 2400, "Virement"),
        (dt.date(2026, 3, 10), None, "service_bic", 350.5, "Virement"),
        (dt.date(2026, 3, 2), "FA-2026-031", "service_bic", 1234.56, "Virement"),
        (dt.date(2026, 3, 18), "FA-2026-032", "service_bic", 980, "Virement")]
    assert "catégorie par défaut, celle des Paramètres (2)" in capsys.readouterr().out


def test_ignore_rule_drops_a_credit(tmp_path: Path, capsys) -> None:
    statement = tmp_path / "r.csv"
    statement.write_text("Date;Libellé;Montant\n02/03/2026;VIREMENT INTERNE EPARGNE;500,00\n"
                         "03/03/2026;VIR ACME;100,00\n", encoding="utf-8")
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(statement), "--classeur", str(book), "--regles", str(RULES), "--appliquer"]) == 0
    assert "ignorée — règle ligne 5 (« VIREMENT INTERNE »)" in capsys.readouterr().out
    assert [(r[2], r[5]) for r in read_rows(book)] == [("ACME SARL", 100)]


def test_not_a_template_workbook(tmp_path: Path, capsys) -> None:
    other = tmp_path / "perso.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Feuil1"
    wb.save(other)
    before = other.read_bytes()
    assert main(["importer", str(CA), "--classeur", str(other), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert "perso.xlsx n'a pas été créé avec le modèle xlae (feuille « Paramètres » absente)" in err
    assert other.read_bytes() == before


def test_not_an_excel_file(tmp_path: Path, capsys) -> None:
    fake = tmp_path / "faux.xlsx"
    fake.write_text("pas un classeur", encoding="utf-8")
    assert main(["importer", str(CA), "--classeur", str(fake)]) == 2
    assert "faux.xlsx : ce n'est pas un classeur Excel .xlsx (fichier corrompu" in capsys.readouterr().err


def test_refuses_to_write_a_workbook_open_in_excel(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    (tmp_path / "~$livre.xlsx").write_bytes(b"lock")
    before = book.read_bytes()
    assert main(["importer", str(CA), "--classeur", str(book), "--appliquer"]) == 2
    assert "semble ouvert dans un tableur" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_file_mode_kept_after_atomic_save(tmp_path: Path) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    os.chmod(book, 0o640)
    assert main(["importer", str(CA), "--classeur", str(book), "--appliquer"]) == 0
    assert os.stat(book).st_mode & 0o777 == 0o640


def test_garbage_and_odd_files_give_french_errors(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    garbage = tmp_path / "image.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    folder = tmp_path / "dossier.csv"
    folder.mkdir()
    for statement in (garbage, folder, tmp_path / "absent.csv"):
        assert main(["importer", str(statement), "--classeur", str(book)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("Erreur : relevé") and "Traceback" not in err


def test_utf16_export_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("Date\tLibellé\tCrédit\n03/03/2026\tVIR ÉTÉ\t10,50\n".encode("utf-16"))
    s = read_statement(path)
    assert (s.encoding, s.delimiter) == ("UTF-16", "\t")
    assert [(line.label, line.amount) for line in s.lines] == [("VIR ÉTÉ", Decimal("10.50"))]


def test_newest_first_statement_is_appended_oldest_first(tmp_path: Path, capsys) -> None:
    # Banks export newest first; the livre des recettes is chronological (C. com. L123-28).
    statement = tmp_path / "recent-dabord.csv"
    statement.write_text("Date;Libellé;Crédit\n20/03/2026;VIR C;30,00\n05/03/2026;VIR A;10,00\n"
                         "12/03/2026;VIR B;20,00\n", encoding="utf-8")
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(statement), "--classeur", str(book), "--appliquer"]) == 0
    capsys.readouterr()
    assert [(r[0], r[5]) for r in read_rows(book)] == [
        (D("2026-03-05"), 10), (D("2026-03-12"), 20), (D("2026-03-20"), 30)]
