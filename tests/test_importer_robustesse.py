"""Hostile or damaged statements (issue 14): an error naming file and line, never a silent loss.

Plus property-based tests over the CSV reader: whatever the bytes, a statement or a
French error, never a traceback; every written credit line is read, or the reading fails.
"""

from __future__ import annotations

import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_verifier_support import make_book
from xlae.cli import main
from xlae.errors import XlaeError
from xlae.ledger import statement as statement_module
from xlae.ledger.regles import read_rules
from xlae.ledger.statement import read_statement

HEADER = "Date;Libellé;Crédit\n"


def _three_credits(middle: str) -> str:
    return HEADER + "01/10/2026;VIR A;10,00\n" + middle + "03/10/2026;VIR C;30,00\n"


def test_unclosed_quote_is_an_error_naming_the_line(tmp_path: Path, capsys) -> None:
    # today's code: exit 0, « 1 à ajouter » out of 3 (the quote swallows the lines after it)
    path = tmp_path / "guillemet.csv"
    path.write_text(_three_credits('02/10/2026;"VIR B;20,00\n'), encoding="utf-8")
    with pytest.raises(XlaeError, match=r"guillemet\.csv, ligne 3 : guillemet ouvert et non refermé"):
        read_statement(path)
    book = make_book(tmp_path / "livre.xlsx")
    before = book.read_bytes()
    assert main(["importer", str(path), "--classeur", str(book), "--appliquer"]) == 2
    assert "ligne 3 : guillemet ouvert" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_unclosed_quote_on_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "fin.csv"
    path.write_text(HEADER + '01/10/2026;VIR A;10,00\n02/10/2026;"VIR B;20,00\n', encoding="utf-8")
    with pytest.raises(XlaeError, match="ligne 3 : guillemet ouvert"):
        read_statement(path)


def test_quoted_label_on_two_lines_is_still_one_label(tmp_path: Path) -> None:
    path = tmp_path / "deux.csv"
    path.write_text(_three_credits('02/10/2026;"VIR B\n/MOTIF F1";20,00\n'), encoding="utf-8")
    s = read_statement(path)
    assert [(line.line, line.label, line.amount) for line in s.lines] == [
        (2, "VIR A", Decimal("10.00")), (3, "VIR B /MOTIF F1", Decimal("20.00")), (5, "VIR C", Decimal("30.00"))]


def test_field_over_128_kib_is_an_error_naming_the_line(tmp_path: Path) -> None:
    # today's code: the csv module's « field larger than field limit » ends the reading, exit 0
    path = tmp_path / "long.csv"
    path.write_text(_three_credits(f'02/10/2026;"{"X" * 140_000}";20,00\n'), encoding="utf-8")
    with pytest.raises(XlaeError, match=r"long\.csv, ligne 3 : un champ dépasse 128 Kio"):
        read_statement(path)


def test_nul_and_control_characters_never_reach_the_workbook(tmp_path: Path, capsys) -> None:
    # openpyxl refuses a control character in a cell (IllegalCharacterError): it becomes a space
    path = tmp_path / "nul.csv"
    path.write_bytes(_three_credits("02/10/2026;VIR\x00B\x07;20,00\n").encode("utf-8"))
    assert [line.label for line in read_statement(path).lines] == ["VIR A", "VIR B", "VIR C"]
    rules = tmp_path / "regles.csv"
    rules.write_bytes("motif;client\nVIR;AC\x01ME\n".encode("utf-8"))
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(path), "--classeur", str(book), "--regles", str(rules), "--appliquer"]) == 0
    assert "3 recettes ajoutées" in capsys.readouterr().out


def test_statement_over_the_size_limit_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "gros.csv"
    path.write_text(_three_credits(""), encoding="utf-8")
    monkeypatch.setattr(statement_module, "MAX_BYTES", 50)
    with pytest.raises(XlaeError, match=r"gros\.csv fait 0 Mio ; la limite est 0 Mio"):
        statement_module.read_statement(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO: POSIX only")
def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "tube.csv"
    os.mkfifo(fifo)
    outcome: list = []

    def attempt() -> None:
        try:
            read_statement(fifo)
        except XlaeError as error:
            outcome.append(str(error))
        try:
            read_rules(fifo)
        except XlaeError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO hangs"
    assert len(outcome) == 2 and all("fichier spécial (tube, périphérique), pas un fichier ordinaire" in m
                                      for m in outcome)


def test_folder_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(XlaeError, match="est un dossier, pas un fichier ordinaire"):
        read_statement(tmp_path)


@pytest.mark.parametrize("text, message", [
    ('motif;client\n"ACME;x\nB;y\n', "ligne 2 : guillemet ouvert"),
    ('motif;client\nA;x\n"' + "B" * 140_000 + '";y\n', "ligne 3 : CSV illisible"),
])
def test_damaged_rules_file_names_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "regles.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XlaeError, match=message):
        read_rules(path)


def test_damaged_qif_camt_ofx_name_the_file(tmp_path: Path) -> None:
    for name, data, message in (
            ("r.qif", b"!Type:Bank\nD02/10/2026\nT1200.00\nPVIR\n!Type:Bank\n", r"r\.qif, ligne 2 : opération non"),
            ("r.xml", b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
             r"r\.xml, ligne 1 : XML mal formé"),
            ("r.ofx", b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BROKEN>", r"r\.ofx : fichier OFX illisible")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(XlaeError, match=message):
            read_statement(path)


# --- property-based: the CSV reader never raises anything but XlaeError, never drops a credit ----

_cell = st.text(alphabet=st.sampled_from(list('ab ;,"\n\r\t0123456789/-.€é\x00')), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_cell, max_size=5), max_size=8), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_bytes_give_a_statement_or_a_french_error(tmp_path: Path, rows: list, encoding: str) -> None:
    path = tmp_path / "h.csv"
    text = "\n".join(";".join(r) for r in rows)
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        s = read_statement(path)
    except XlaeError as error:
        assert str(error)
        return
    assert all(line.amount != 0 for line in s.lines)


_label = st.text(alphabet=st.sampled_from(list("ABCDE fgh/é-'.:0123")), min_size=1, max_size=20).filter(
    lambda t: t.strip() and not t.strip().lower().startswith(("solde", "total", "sous")))
_amount = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 28), _label, _amount, st.booleans(), st.booleans()), min_size=1,
                max_size=15),
       st.sampled_from([";", ",", "\t"]), st.booleans())
def test_every_written_credit_is_read_or_the_reading_fails(tmp_path: Path, operations: list, delimiter: str,
                                                            quote_all: bool) -> None:
    path = tmp_path / "p.csv"

    def q(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote_all or delimiter in text else text

    lines = [delimiter.join(["Date", "Libellé", "Débit", "Crédit"])]
    for day, label, amount, credit, two_lines in operations:
        text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
        label = label + ("\n/MOTIF X" if two_lines else "")
        lines.append(delimiter.join([f"{day:02d}/10/2026", q(label) if not two_lines else
                                     '"' + label.replace('"', '""') + '"', "" if credit else q(text),
                                     q(text) if credit else ""]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        s = read_statement(path)
    except XlaeError:
        return
    expected = [(amount if credit else -amount) for _, _, amount, credit, _ in operations]
    assert [line.amount for line in s.lines] == expected


# --- the pandas reader of large statements gives exactly what the exact reader gives ----------------

def _both(path: Path) -> tuple:
    """(exact, fast) statements of ``path``; fast is None when it hands over to the exact reader."""
    from xlae.ledger import statement_fast
    exact = read_statement(path)  # small file: the exact reader
    text, _ = statement_module.decode(path.read_bytes())
    delimiter, layout = statement_module._layout(text.lstrip("\ufeff"), path.name, None)
    fresh = statement_module.Statement(path, exact.encoding, delimiter, layout.header_line, dict(exact.columns),
                                       list(exact.ignored_columns), how=layout.how)
    return exact, statement_fast.read_fast(fresh, layout, text.lstrip("\ufeff"), delimiter)


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent / "fixtures" / "releves"
                                                          / "banques").glob("*.csv")))
def test_fast_reader_matches_the_exact_reader_on_every_bank(name: str) -> None:
    exact, fast = _both(Path(__file__).parent / "fixtures" / "releves" / "banques" / name)
    if fast is not None:  # None: a multi-line label (Crédit Agricole) goes to the exact reader
        assert (fast.lines, fast.skipped, fast.examples) == (exact.lines, exact.skipped, exact.examples)
    assert name != "lcl.csv" or fast is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 28), _label, _amount, st.booleans(),
                          st.sampled_from(["", "SOLDE", "  ", "Total des opérations"])), min_size=1, max_size=12))
def test_fast_reader_matches_the_exact_reader(tmp_path: Path, operations: list) -> None:
    path = tmp_path / "f.csv"
    lines = ["Date;Libellé;Débit;Crédit"]
    for day, label, amount, credit, extra in operations:
        text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
        lines.append(f"{day:02d}/10/2026;{label};{'' if credit else text};{text if credit else ''}")
        if extra:
            lines.append(f";{extra};;" if extra.strip() else extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        exact, fast = _both(path)
    except XlaeError:
        return
    if fast is not None:
        assert (fast.lines, fast.skipped) == (exact.lines, exact.skipped)
