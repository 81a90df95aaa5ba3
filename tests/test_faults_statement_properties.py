"""Property-based (hypothesis) tests of the CSV statement reader (issue 14, « property-based tests
over … the CSV reader, in CI »).

Whatever the bytes, ``read_statement`` gives the lines it read (each with its line number in
the file, a credit or a debit) or an ``XlaeError`` in French naming the file — never another
exception, never a line outside the file. On generated bank CSVs with hostile fields (quotes,
separators, line ends, NUL, long fields), the fast reader of large statements (pandas) and the
exact reader give the same lines, the same skipped rows, or the same error.

Before: an OFX file that ofxtools cannot parse was refused with its English error text inside
the French message. Bounded for CI: ``deadline=None`` (a loaded machine is no failure), a few hundred examples.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xlae.errors import XlaeError
from xlae.ledger import statement as statement_module
from xlae.ledger.statement import read_statement

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAME = "releve-essai.csv"
ENGLISH = ("Traceback", "Error", "Errno", "field larger", "line contains", "unexpected end")


def _read(data: bytes, fast: bool | None = None):
    """read_statement of ``data`` written to a file; ``fast``: force (True) or forbid (False) the fast reader."""
    saved = statement_module.FAST_FROM
    if fast is not None:
        statement_module.FAST_FROM = 0 if fast else 1 << 62
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / NAME
            path.write_bytes(data)
            try:
                return read_statement(path)
            except XlaeError as error:
                return error
    finally:
        statement_module.FAST_FROM = saved


def _check(result, data: bytes) -> None:
    if isinstance(result, XlaeError):
        text = str(result)
        assert NAME in text, text
        assert not any(word in text for word in ENGLISH), text
        return
    count = data.count(b"\n") + data.count(b"\r") + 1  # at most: a lone CR ends a line too (old Mac files)
    for line in result.lines:
        assert 1 <= line.line <= count, (line, count)
    for number, why in result.skipped:
        assert 1 <= number <= count and why, (number, why)


@SETTINGS
@given(st.binary(max_size=3000))
@example(b"\xff\xfe" + "Date;Montant\n01/01/2026;1\n".encode("utf-16-le"))
@example(b"Date;Libell\xe9;Montant\n01/01/2026;\"ouvert;12,00\n")
@example(b"Date;Montant\n01/01/2026;1\x00\n")
@example(b"<OFX>")  # before: « fichier OFX illisible (OFXHeaderError: OFX header is malformed: …) »
def test_any_bytes_give_lines_or_a_french_error_naming_the_file(data):
    _check(_read(data), data)


FIELD = st.one_of(
    st.sampled_from(["", " ", "\"", "\"\"", ";", ",", "\t", "\r", "\n", "\r\n", "\x00", "=1+1", "€", "1 234,56",
                     "-12,00", "(12,00)", "12.000,50", "1e30", "99999999999999999999999999999", "01/02/2026",
                     "2026-02-31", "31/12/9999", "00/00/0000", "SOLDE", "Total", "VIR CLIENT", "x" * 140_000]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
)
ROW = st.lists(FIELD, min_size=1, max_size=6)
HEADERS = ["Date;Libellé;Montant", "Date;Libellé;Débit;Crédit", "Date opération,Libellé,Montant",
           "Date\tLibellé\tCrédit", ""]


@st.composite
def bank_csv(draw) -> bytes:
    header = draw(st.sampled_from(HEADERS))
    delimiter = {"\t": "\t", ",": ","}.get(next((c for c in header if c in ";,\t"), ";"), ";")
    lines = [header] if header else []
    for cells in draw(st.lists(ROW, max_size=8)):
        if draw(st.booleans()):  # a plausible row around the hostile fields
            cells = [f"{draw(st.integers(1, 28)):02d}/03/2026", *cells[:1], f"{draw(st.integers(0, 99999))},50"]
        quote = draw(st.booleans())
        lines.append(delimiter.join(f'"{c}"' if quote else c for c in cells))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return ending.join(lines).encode(encoding, errors="replace")


def _same(one, other) -> bool:
    if isinstance(one, XlaeError) or isinstance(other, XlaeError):
        return str(one) == str(other)
    return (one.lines, one.skipped, one.columns) == (other.lines, other.skipped, other.columns)


@SETTINGS
@given(bank_csv())
def test_fast_and_exact_readers_agree_on_hostile_csv(data):
    exact, fast = _read(data, fast=False), _read(data, fast=True)
    _check(exact, data)
    _check(fast, data)
    assert _same(exact, fast), (exact, fast)
