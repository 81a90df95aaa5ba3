"""The byte-level xlsx helpers of the batch: formula cells, cached values, raw zip copy."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlae.batch import writer, xlsx

SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>CA</t></is></c><c r="B1" s="3"><f>SUM(C1:C2)</f><v/></c>'
         b'<c r="C1"><v>5</v></c></row>'
         b'<row r="2"><c r="B2" s="4" t="str"><f>IF(B1&gt;0,"oui","non")</f><v>ancien</v></c>'
         b'<c r="C2" s="5"><f t="shared" si="0" ref="C2:C3"/></c><c r="D2"><f>1/0</f></c></row>'
         b'</sheetData></worksheet>')


def test_formula_cells_lists_each_formula_unescaped() -> None:
    assert xlsx.formula_cells(SHEET) == {"B1": "SUM(C1:C2)", "B2": 'IF(B1>0,"oui","non")', "C2": "", "D2": "1/0"}


def test_cached_values_keep_formula_and_style_and_set_the_type() -> None:
    new, written = xlsx.with_cached_values(SHEET, {"B1": 1234.5, "B2": "oui & <non>", "C2": True,
                                                  "D2": "#DIV/0!", "Z9": 1})
    assert written == {"B1", "B2", "C2", "D2"}  # Z9 is not a formula cell: ignored
    assert b'<c r="B1" s="3"><f>SUM(C1:C2)</f><v>1234.5</v></c>' in new
    assert b'<c r="B2" s="4" t="str"><f>IF(B1&gt;0,"oui","non")</f><v>oui &amp; &lt;non&gt;</v></c>' in new
    assert b'<c r="C2" s="5" t="b"><f t="shared" si="0" ref="C2:C3"/><v>1</v></c>' in new
    assert b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>' in new
    assert b'<c r="C1"><v>5</v></c>' in new  # plain cells untouched


@pytest.mark.parametrize("value, expected", [
    (dt.date(2026, 1, 31), (None, "46053")),        # 31/01/2026 = serial 46053
    (dt.datetime(2026, 1, 31, 12), (None, "46053.5")),
    (Decimal("6360.00"), (None, "6360")),
    (0.1, (None, "0.1")),
    (False, ("b", "0")),
    (None, ("str", "")),
    ("#N/A", ("e", "#N/A")),
    (float("nan"), ("e", "#NUM!")),
])
def test_cached_value_types(value, expected) -> None:
    assert xlsx.cached_value(value) == expected


def test_prefixed_namespace() -> None:
    xml = (b'<x:worksheet xmlns:x="u"><x:sheetData><x:row r="1"><x:c r="A1" t="n"><x:f>1+1</x:f>'
           b'<x:v>3</x:v></x:c><x:c r="B1"/></x:row></x:sheetData></x:worksheet>')
    new, _ = xlsx.with_cached_values(xml, {"A1": 2})
    assert new == xml.replace(b' t="n"', b"").replace(b"<x:v>3</x:v>", b"<x:v>2</x:v>")


def test_full_calc_dropped_and_calc_chain_removed() -> None:
    assert xlsx.without_full_calc(b'<workbook><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>') == \
        b'<workbook><calcPr calcId="124519"/></workbook>'
    types, rels = xlsx.without_calc_chain(
        b'<Types><Override PartName="/xl/calcChain.xml" ContentType="x"/><Default Extension="xml"/></Types>',
        b'<Relationships><Relationship Id="rId9" Type="http://x/calcChain" Target="calcChain.xml"/></Relationships>')
    assert types == b'<Types><Default Extension="xml"/></Types>'
    assert rels == b"<Relationships></Relationships>"


def _workbook(path: Path, rows: int) -> None:
    book = openpyxl.Workbook()
    ledger = book.active
    ledger.title = "Recettes"
    for i in range(rows):
        ledger.append([dt.date(2026, 1, 1) + dt.timedelta(days=i % 365), f"F{i}", 100 + i])
    summary = book.create_sheet("Synthèse")
    summary["A1"] = "Total"
    summary["B1"] = f"=SUM(Recettes!C1:C{rows})"
    summary["B1"].number_format = "#,##0.00 €"
    summary["B2"] = '="Statut"'
    book.save(path)


def test_copy_rewrites_one_sheet_and_copies_the_rest_raw(tmp_path: Path) -> None:
    source = tmp_path / "source.xlsx"
    _workbook(source, 2000)
    before = source.read_bytes()
    target = tmp_path / "out" / "copie.xlsx"
    target.parent.mkdir()
    with zipfile.ZipFile(source) as archive:
        package = xlsx.read_package(archive)
        assert package.sheets == {"Recettes": "xl/worksheets/sheet1.xml", "Synthèse": "xl/worksheets/sheet2.xml"}
        total = sum(100 + i for i in range(2000))  # 2000 × 100 + 1999 × 2000 / 2 = 2 199 000
        writer.write_copy(archive, package, {"B1": total, "Synthèse!B2": "Statut"}, source, target)
    assert source.read_bytes() == before
    with zipfile.ZipFile(target) as copy, zipfile.ZipFile(source) as original:
        assert copy.testzip() is None
        assert copy.namelist() == original.namelist()
        for info in original.infolist():
            if info.filename not in ("xl/worksheets/sheet2.xml", "xl/workbook.xml"):
                assert copy.getinfo(info.filename).compress_size == info.compress_size
                assert copy.read(info.filename) == original.read(info.filename)
        assert b"fullCalcOnLoad" not in copy.read("xl/workbook.xml")
    values = openpyxl.load_workbook(target, data_only=True)["Synthèse"]
    assert values["B1"].value == 2199000
    assert values["B1"].number_format == "#,##0.00 €"
    assert values["B2"].value == "Statut"
    formulas = openpyxl.load_workbook(target)["Synthèse"]
    assert formulas["B1"].value == "=SUM(Recettes!C1:C2000)"
    assert list(tmp_path.joinpath("out").iterdir()) == [target]  # no temporary file left


def test_copy_drops_calc_chain(tmp_path: Path) -> None:
    source = tmp_path / "chain.xlsx"
    _workbook(source, 3)
    with zipfile.ZipFile(source) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    members["xl/calcChain.xml"] = b'<calcChain><c r="B1" i="2"/></calcChain>'
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="' + xlsx.CALC_CHAIN_TYPE.encode()
        + b'"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    target = tmp_path / "copie.xlsx"
    with zipfile.ZipFile(source) as archive:
        writer.write_copy(archive, xlsx.read_package(archive), {"B1": 306}, source, target)
    with zipfile.ZipFile(target) as copy:
        assert "xl/calcChain.xml" not in copy.namelist()
        assert b"calcChain" not in copy.read("[Content_Types].xml")
        assert b"calcChain" not in copy.read("xl/_rels/workbook.xml.rels")
    assert openpyxl.load_workbook(target, data_only=True)["Synthèse"]["B1"].value == 306  # 100 + 101 + 102


def test_copy_refuses_to_overwrite_its_source(tmp_path: Path) -> None:
    source = tmp_path / "seul.xlsx"
    _workbook(source, 3)
    before = source.read_bytes()
    with zipfile.ZipFile(source) as archive, pytest.raises(ValueError, match="d'origine"):
        writer.write_copy(archive, xlsx.read_package(archive), {"B1": 1}, source, source)
    assert source.read_bytes() == before


def test_split_reference() -> None:
    assert xlsx.split_reference("'Paramètres'!$B$2") == ("Paramètres", "B2")
    assert xlsx.split_reference("Paramètres!B12") == ("Paramètres", "B12")
    assert xlsx.split_reference("'L''an'!$C$3") == ("L'an", "C3")
    assert xlsx.split_reference("Paramètres!$B$2:$B$5") is None
    assert writer.by_sheet({"C7": 1, "Recettes!J2": 0, "'Mon onglet'!$A$1": 2}) == {
        "Synthèse": {"C7": 1}, "Recettes": {"J2": 0}, "Mon onglet": {"A1": 2}}


def test_raw_copy_roundtrip_in_memory() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a>" + b"x" * 10000 + b"</a>")
        archive.writestr("b.txt", "é" * 10)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as archive:
        xlsx.copy_with_changes(archive, out, {"b.txt": None})
    with zipfile.ZipFile(out) as copy:
        assert copy.namelist() == ["a.xml"]
        assert copy.read("a.xml") == b"<a>" + b"x" * 10000 + b"</a>"


def test_a_sheet_is_parsed_once_and_another_sheet_never_gets_its_cells(monkeypatch) -> None:
    """The formula cells of a sheet are remembered by the sheet's digest (a batch repeats one
    Synthèse): a second read does not scan it again, and a sheet differing by one byte is scanned."""
    scans = []
    real = xlsx._formula_cell_spans
    monkeypatch.setattr(xlsx, "_formula_cell_spans", lambda xml: scans.append(len(xml)) or real(xml))
    monkeypatch.setattr(xlsx, "_LAYOUTS", {})
    other = SHEET.replace(b"<f>1/0</f>", b"<f>2/0</f>")
    assert xlsx.formula_cells(SHEET)["D2"] == "1/0"
    assert xlsx.with_cached_values(SHEET, {"D2": 1})[1] == {"D2"}
    assert len(scans) == 1
    assert xlsx.formula_cells(other)["D2"] == "2/0"
    new, _ = xlsx.with_cached_values(other, {"D2": 1})
    assert b'<c r="D2"><f>2/0</f><v>1</v></c>' in new and b"1/0" not in new
    assert len(scans) == 2
    assert xlsx.formula_cells(SHEET)["D2"] == "1/0"  # the first sheet is still known: no third scan
    assert len(scans) == 2


def test_the_remembered_sheets_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(xlsx, "_LAYOUTS", {})
    for number in range(xlsx._LAYOUTS_KEPT + 5):
        sheet = SHEET.replace(b"<f>1/0</f>", f"<f>{number}/7</f>".encode())
        assert xlsx.formula_cells(sheet)["D2"] == f"{number}/7"
    assert len(xlsx._LAYOUTS) == xlsx._LAYOUTS_KEPT


def test_a_member_known_by_its_raw_bytes_is_not_inflated_and_gives_the_same_bytes(monkeypatch) -> None:
    """``member_formula_cells`` / ``member_with_cached_values`` know a member by its compressed bytes
    (``raw_key``): the second workbook's identical Synthèse is never inflated, and its copy is the very
    bytes ``with_cached_values`` writes from the XML; a member differing by one byte is read."""
    monkeypatch.setattr(xlsx, "_LAYOUTS", {})
    monkeypatch.setattr(xlsx, "_MEMBER_LAYOUTS", {})
    other = SHEET.replace(b"<f>1/0</f>", b"<f>2/0</f>")

    def archive_of(xml: bytes) -> zipfile.ZipFile:
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("xl/worksheets/sheet1.xml", xml)
        return zipfile.ZipFile(io.BytesIO(data.getvalue()))

    values = {"B1": 1234.5, "B2": "oui & <non>", "D2": 7}
    first = archive_of(SHEET)
    assert xlsx.member_formula_cells(first, "xl/worksheets/sheet1.xml") == xlsx.formula_cells(SHEET)
    second = archive_of(SHEET)
    monkeypatch.setattr(second, "read", lambda *a, **k: pytest.fail("a known member was inflated"))
    assert xlsx.member_formula_cells(second, "xl/worksheets/sheet1.xml") == xlsx.formula_cells(SHEET)
    assert xlsx.member_with_cached_values(second, "xl/worksheets/sheet1.xml", values) == \
        xlsx.with_cached_values(SHEET, values)
    changed = archive_of(other)
    new, _ = xlsx.member_with_cached_values(changed, "xl/worksheets/sheet1.xml", values)
    assert new == xlsx.with_cached_values(other, values)[0] and b"<f>2/0</f><v>7</v>" in new


def test_a_large_part_deflated_in_two_halves_reads_back_whole(tmp_path: Path, monkeypatch) -> None:
    """``copy_with_changes`` deflates a large part on two threads (the second half primed with the end of
    the first): zipfile and its CRC check read back the very bytes, the other members raw as before."""
    monkeypatch.setattr(xlsx, "PARALLEL_DEFLATE_BYTES", 0)
    monkeypatch.setattr(xlsx.os, "cpu_count", lambda: 2)
    source = tmp_path / "in.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", SHEET)
        out.writestr("docProps/app.xml", b"<a/>")
    big = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7) for i in range(1, 60000))
    target = tmp_path / "out.xlsx"
    with zipfile.ZipFile(source) as archive, open(target, "wb") as stream:
        xlsx.copy_with_changes(archive, stream, {"xl/worksheets/sheet1.xml": big, "xl/nouvelle é.xml": b"<b/>"})
    with zipfile.ZipFile(target) as copy:
        assert copy.testzip() is None
        assert copy.read("xl/worksheets/sheet1.xml") == big
        assert copy.read("docProps/app.xml") == b"<a/>"
        assert copy.read("xl/nouvelle é.xml") == b"<b/>"
    level6 = len(zlib.compress(big, 6))
    halves = xlsx.deflated_in_halves(big, 6)
    assert zlib.decompress(halves, -15) == big and len(halves) < level6 * 1.01
