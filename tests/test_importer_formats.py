"""QIF and CAMT.053 statements: what is read, what is set aside, errors by file and line, hostile XML.

The bank fixtures themselves (banques/*.qif, banques/*.camt053.xml) are imported and
re-imported with every CSV layout in test_importer_banques.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from test_verifier_support import D, make_book, read_rows, receipt
from xlae.cli import main
from xlae.errors import XlaeError
from xlae.ledger.statement import read_statement

BANKS = Path(__file__).parent / "fixtures" / "releves" / "banques"
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _camt(entries: str, namespace: str = NS, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    return (f'{prolog}<Document xmlns="{namespace}"><BkToCstmrStmt>\n<GrpHdr><MsgId>M1</MsgId></GrpHdr>\n'
            f'<Stmt><Id>S1</Id>\n{entries}</Stmt></BkToCstmrStmt></Document>\n').encode("utf-8")


def _entry(amount: str = "100.00", sign: str = "CRDT", day: str = "2026-10-02", extra: str = "",
           currency: str = "EUR") -> str:
    return (f'<Ntry>\n<Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>{day}</Dt></BookgDt>{extra}</Ntry>\n")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- CAMT.053 --------------------------------------------------------------------------------------

def test_camt_fixture_lines_labels_and_set_aside_entries() -> None:
    s = read_statement(BANKS / "societe_generale.camt053.xml")
    assert s.how == "CAMT.053" and s.encoding == "CAMT.053 (UTF-8)"
    # each line is the line of its <Ntry>; the label is the bank's, plus the remittance text
    assert [(n.line, n.date, n.label, n.amount, n.tiers, n.kind) for n in s.lines] == [
        (35, dt.date(2026, 10, 2), "VIR SEPA RECU /DE ACME SAS FACTURE F2026-030", Decimal("1200.00"), "ACME SAS",
         "Virement"),
        (60, dt.date(2026, 10, 3), "CARTE X1234 01/10 MONOP", Decimal("-45.90"), "MONOP", "Carte"),
        (79, dt.date(2026, 10, 5), "VIR SEPA RECU /DE DUPONT SEBASTIEN LOYER OCTOBRE", Decimal("350.50"),
         "DUPONT SÉBASTIEN", "Virement")]
    assert s.skipped == [(71, "opération en USD : inscrivez-la en euros à la main")]
    v08 = read_statement(BANKS / "bnp_paribas.camt053.xml")
    # no AddtlNtryInf: the payer's name (Dbtr/Pty/Nm), then every Ustrd
    assert [n.label for n in v08.lines] == ["ACME SAS F2026-030", "CARTE X1234 01/10 MONOP",
                                            "DUPONT SEBASTIEN LOYER OCTOBRE 2026"]
    assert v08.skipped == [(34, "opération non comptabilisée (statut PDNG)")]


def test_camt_preview_names_the_format_and_the_set_aside_entries(tmp_path: Path, capsys) -> None:
    book = make_book(tmp_path / "livre.xlsx")
    assert main(["importer", str(BANKS / "bnp_paribas.camt053.xml"), "--classeur", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Relevé bnp_paribas.camt053.xml : CAMT.053 (UTF-8)." in out
    assert "2 à ajouter" in out and "34 (opération non comptabilisée (statut PDNG))" in out


def test_camt_batch_of_cheques_gives_one_receipt_per_cheque(tmp_path: Path) -> None:
    # « remise de 2 chèques » booked as one entry of 500,00 = 200,00 + 300,00, each detailed in euros
    details = ("<NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>\n"
               '<TxDtls>\n<AmtDtls><TxAmt><Amt Ccy="EUR">200.00</Amt></TxAmt></AmtDtls>'
               "<RltdPties><Dbtr><Nm>ALPHA SARL</Nm></Dbtr></RltdPties></TxDtls>\n"
               '<TxDtls>\n<AmtDtls><TxAmt><Amt Ccy="EUR">300.00</Amt></TxAmt></AmtDtls>'
               "<RltdPties><Dbtr><Nm>BETA SAS</Nm></Dbtr></RltdPties></TxDtls>\n</NtryDtls>"
               "<AddtlNtryInf>REMISE CHEQUES 0001234</AddtlNtryInf>")
    s = read_statement(_write(tmp_path, "r.xml", _camt(_entry("500.00", extra=details))))
    assert [(n.line, n.amount, n.tiers, n.label) for n in s.lines] == [
        (7, Decimal("200.00"), "ALPHA SARL", "REMISE CHEQUES 0001234"),
        (9, Decimal("300.00"), "BETA SAS", "REMISE CHEQUES 0001234")]   # the line of each <TxDtls>
    # details that do not add up to the entry (here 200 + 250 ≠ 500): the entry stays one line
    wrong = details.replace("300.00", "250.00")
    s = read_statement(_write(tmp_path, "r2.xml", _camt(_entry("500.00", extra=wrong))))
    assert [(n.line, n.amount, n.tiers) for n in s.lines] == [(5, Decimal("500.00"), "")]


def test_camt_instructed_amount_in_another_currency_is_not_taken(tmp_path: Path) -> None:
    # AmtDtls lists InstdAmt (USD) before TxAmt (EUR): the entry's 92,50 € is the credit
    extra = ('<NtryDtls><TxDtls><AmtDtls><InstdAmt><Amt Ccy="USD">100.00</Amt></InstdAmt>'
             '<TxAmt><Amt Ccy="EUR">92.50</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls>')
    s = read_statement(_write(tmp_path, "r.xml", _camt(_entry("92.50", extra=extra))))
    assert [n.amount for n in s.lines] == [Decimal("92.50")]


def test_camt_reversal_utc_time_and_windows_1252(tmp_path: Path) -> None:
    entries = (_entry("80.00", extra="<RvslInd>true</RvslInd>")
               + _entry("10.00").replace("<Dt>2026-10-02</Dt>", "<DtTm>2026-10-31T23:30:00Z</DtTm>")
               + _entry("5.00", extra="<AddtlNtryInf>VIR RECU /DE SOCIÉTÉ</AddtlNtryInf>"))
    data = _camt(entries, prolog='<?xml version="1.0" encoding="windows-1252"?>\n').decode().encode("cp1252")
    s = read_statement(_write(tmp_path, "r.xml", data))
    assert s.skipped == [(5, "contre-passation d'un débit (remboursement), pas une recette")]
    # 31/10 23:30 UTC is 01/11 00:30 in Paris (winter time since 25/10)
    assert [(n.date, n.amount) for n in s.lines] == [(dt.date(2026, 11, 1), Decimal("10.00")),
                                                     (dt.date(2026, 10, 2), Decimal("5.00"))]
    assert s.lines[1].label == "VIR RECU /DE SOCIÉTÉ" and s.encoding == "CAMT.053 (WINDOWS-1252)"


@pytest.mark.parametrize("entries, message", [
    (_entry("1 200,00"), r"r\.xml, ligne 5 \(écriture <Ntry>\) : montant <Amt> « 1 200,00 » illisible"),
    (_entry("-10.00"), r"ligne 5 .* montant <Amt> « -10.00 » illisible"),
    (_entry("10.005"), r"ligne 5 .* montant <Amt> « 10.005 » illisible"),
    (_entry(sign="CREDIT"), r"ligne 5 .* sens « CREDIT » illisible dans <CdtDbtInd> ; attendu CRDT"),
    (_entry(day="02/10/2026x"), r"ligne 5 .* date « 02/10/2026x » illisible"),
    (_entry() + _entry().replace("<BookgDt><Dt>2026-10-02</Dt></BookgDt>", ""),
     r"ligne 7 \(écriture <Ntry>\) : date absente"),
    (_entry() + "<Ntry><Amt>1.00</Amt>\n", r"r\.xml, ligne 8 : XML mal formé \(mismatched tag\)"),
])
def test_camt_errors_name_the_file_and_the_entry(tmp_path: Path, capsys, entries: str, message: str) -> None:
    path = _write(tmp_path, "r.xml", _camt(entries))
    with pytest.raises(XlaeError, match=message):
        read_statement(path)
    book = make_book(tmp_path / "livre.xlsx")
    before = book.read_bytes()
    assert main(["importer", str(path), "--classeur", str(book), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert "r.xml" in err and "Traceback" not in err
    assert book.read_bytes() == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry>
<Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-10-02</Dt></BookgDt>
<AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>
"""


@pytest.mark.parametrize("data", [
    BILLION_LAUGHS,
    # an external entity would read a file of this machine into the label
    b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + _camt(
        _entry(extra="<AddtlNtryInf>&x;</AddtlNtryInf>"), prolog=""),
    b'<?xml version="1.0"?>\n<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/camt.dtd">\n' + _camt(_entry(),
                                                                                                   prolog=""),
])
def test_hostile_xml_is_refused_before_anything_expands(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(XlaeError, match=r"r\.xml, ligne 2 : le fichier déclare une DTD ou des entités.*refusé "
                                        r"par sécurité"):
        read_statement(_write(tmp_path, "r.xml", data))


def test_undeclared_entity_and_other_xml_messages(tmp_path: Path) -> None:
    with pytest.raises(XlaeError, match=r"ligne 6 : XML mal formé \(undefined entity\)"):
        read_statement(_write(tmp_path, "r.xml", _camt(_entry(extra="<AddtlNtryInf>&x;</AddtlNtryInf>"))))
    report = _camt(_entry(), "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02")
    with pytest.raises(XlaeError, match=r"un message camt\.052, pas un relevé de compte camt\.053"):
        read_statement(_write(tmp_path, "r.xml", report))
    with pytest.raises(XlaeError, match=r"aucune opération comptabilisée \(<Ntry>\)"):
        read_statement(_write(tmp_path, "r.xml", _camt("")))
    with pytest.raises(XlaeError, match=r"--colonnes : inutile pour un relevé CAMT\.053"):
        read_statement(BANKS / "bnp_paribas.camt053.xml", "date=1,montant=2")


def test_camt_credit_typed_by_hand_is_held_back(tmp_path: Path, capsys) -> None:
    # typed by hand: 1 200 € on 30/09 (2 days before the 02/10 credit), F2026-030
    book = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-09-30"), "F2026-030", 1200)])
    assert main(["importer", str(BANKS / "societe_generale.camt053.xml"), "--classeur", str(book),
                 "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "1 à ajouter, 0 déjà importée(s), 1 déjà saisie(s) à la main ?" in out
    assert "--ajouter-lignes 35 pour l'ajouter quand même" in out
    # 1 200 (by hand) + 350,50 (imported) = 1 550,50: the credit is not counted twice
    assert sum(Decimal(str(r[5])) for r in read_rows(book)) == Decimal("1550.50")


# --- QIF -------------------------------------------------------------------------------------------

def test_qif_fixture_lines_and_labels() -> None:
    s = read_statement(BANKS / "banque_postale.qif")
    assert s.how == "QIF" and s.encoding == "QIF (Windows-1252, dates lues jour/mois)"
    assert [(n.line, n.label, n.amount) for n in s.lines] == [
        (8, "VIR SEPA RECU /DE ACME SAS FACTURE F2026-030", Decimal("1200.00")),
        (13, "CARTE X1234 01/10 MONOP", Decimal("-45.90")),
        (17, "VIR SEPA RECU /DE DUPONT SÉBASTIEN LOYER OCTOBRE", Decimal("350.50"))]


def test_qif_dates_amounts_and_lists(tmp_path: Path) -> None:
    text = ("!Type:Cat\nNVentes\nI\n^\n!Type:Bank\nD2/10'26\nT1,234.56\nPVIR ACME\n^\n"
            "D 5.10.2026\nU99,00\nT99,00\nN001234\nPREMISE CHEQUE\n^\nD2026-10-06\nT0.00\nPFRAIS\n^\n"
            "D07/10/2026\nT10.00\nPVIR BETA\nSCat\n$5.00\nSCat2\n$5.00")   # splits ignored; no final « ^ »
    s = read_statement(_write(tmp_path, "r.qif", text.encode()))
    assert [(n.line, n.date, n.amount, n.kind) for n in s.lines] == [
        (6, dt.date(2026, 10, 2), Decimal("1234.56"), ""), (10, dt.date(2026, 10, 5), Decimal("99.00"), "Chèque"),
        (20, dt.date(2026, 10, 7), Decimal("10.00"), "")]
    assert s.skipped == [(16, "opération de montant nul")]


@pytest.mark.parametrize("text, message", [
    ("!Type:Bank\nD02/10/2026\nT1,200\n^\n", r"r\.qif, ligne 2, montant \(T\) : montant « 1,200 » ambigu"),
    ("!Type:Bank\nD02/10/2026\nT1200\n^\nD10/25/2026\nT5\n^\n",
     r"r\.qif, ligne 5, date \(D\) : date « 10/25/2026 » au format américain"),
    ("!Type:Bank\nD31/02/2026\nT5\n^\n", r"ligne 2, date \(D\) : date « 31/02/2026 » illisible"),
    ("!Type:Bank\nD02/10/2026\nPVIR\n^\n", r"ligne 2 : opération sans montant"),
    ("!Type:Bank\nT5\n^\n", r"ligne 2 : opération sans date"),
    ("!Type:Bank\nD02/10/2026\nT5\n!Type:Bank\n", r"ligne 2 : opération non terminée par « \^ »"),
    ("!Type:Invst\nD02/10/2026\n^\n", r"ligne 1 : compte-titres"),
    ("!Type:Bank\n^\n", r"aucune opération dans ce fichier QIF"),
])
def test_qif_errors_name_the_file_and_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(XlaeError, match=message):
        read_statement(_write(tmp_path, "r.qif", text.encode()))


# --- property-based: whatever follows the header, a statement or a French error ---------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_XMLISH = st.text(alphabet=st.sampled_from(list("<>/=\"' &;!?[]\nNtryAmCcdDbIBOK0123456789.-")), max_size=80)
_QIFISH = st.text(alphabet=st.sampled_from(list("!^DTPMNUCS:/.',- \n0123456789abTypeBnk")), max_size=80)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_XMLISH, _QIFISH)
def test_any_camt_or_qif_body_gives_a_statement_or_a_french_error(tmp_path: Path, xml: str, qif: str) -> None:
    for name, data in (("r.xml", _camt(_entry() + xml)), ("r.xml", _camt(_entry(extra=xml))),
                       ("r.qif", ("!Type:Bank\n" + qif).encode())):
        try:
            s = read_statement(_write(tmp_path, name, data))
        except XlaeError as error:
            assert name in str(error)
        else:
            assert s.lines and all(n.amount for n in s.lines)


def test_other_xml_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(XlaeError, match=r"r\.xml : un fichier XML, pas un relevé de compte camt\.053"):
        read_statement(_write(tmp_path, "r.xml", b'<?xml version="1.0"?>\n<rss><channel/></rss>\n'))


# --- UTF-16 (« Unicode » of Windows tools) ----------------------------------------------------------

@pytest.mark.parametrize("fixture, codec, bom", [
    (fixture, codec, bom) for fixture in ("societe_generale.camt053.xml", "bnp_paribas.camt053.xml", "banque_postale.qif")
    for codec, bom in (("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False), ("utf-16-be", False))
    if bom or fixture.endswith(".xml")])   # without a BOM, only XML (« <?xml ») says it is UTF-16
def test_a_named_format_saved_as_utf16_reads_as_the_utf8_file(tmp_path: Path, fixture: str, codec: str,
                                                               bom: bool) -> None:
    original = read_statement(BANKS / fixture)
    raw = (BANKS / fixture).read_bytes()
    text = raw.decode("utf-8" if fixture.endswith(".xml") else "cp1252").lstrip("\ufeff")
    if fixture.endswith(".xml"):
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = (("\ufeff" if bom else "") + text).encode(codec)
    copy = read_statement(_write(tmp_path, fixture, data))
    assert copy.lines == original.lines and copy.lines
    assert "UTF-16" in copy.encoding or copy.encoding == original.encoding
