"""Hostile and damaged workbooks (issue 14, items 8 « Zip bombs » and 9 « damaged sheet XML »).

Every command that reads a workbook — recalculer, verifier, declaration, importer (preview
and --appliquer), cloturer, bilan — refuses early, in French, with the reason and the limit,
touches nothing, and never inflates the bomb (peak memory measured in a separate process).

The zips are generated here: deflate blocks of 1 MiB of spaces, each ended by a full flush
(self-contained), repeated — a 600 MiB part costs 600 KB and 0.2 s to build.

Before the checks of ``xlae/books/parts.py``: a sheet with one mismatched tag, a truncated
sheet or workbook.xml, a damaged Synthèse were recalculated as if whole (exit 0, the fast
reader is lenient); ``declaration`` and ``bilan`` never looked at a damaged Synthèse; a
sheet part missing from the archive was « feuille « Recettes » absente … pas été créé avec
le modèle » with an English openpyxl warning.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from faults_kit import example, member_of, rewrite, statement, xlae_env
from xlae.cli import main

MIB = 1 << 20
COMMANDS = {
    "recalculer": ["recalculer", "{book}", "--sortie", "{folder}/sortie", "--sans-progression"],
    "verifier": ["verifier", "{book}"],
    "declaration": ["declaration", "{book}", "--periode", "2026-03"],
    "importer": ["importer", "{folder}/releve.csv", "--classeur", "{book}"],
    "importer --appliquer": ["importer", "{folder}/releve.csv", "--classeur", "{book}", "--appliquer"],
    "cloturer": ["cloturer", "{book}", "--periode", "2025"],
    "bilan": ["bilan", "2026", "{book}", "--sortie", "{folder}/bilan.xlsx"],
}
ENGLISH = re.compile(r"Errno|Error|error|File is not|There is no item|mismatched|not well-formed|no element|"
                     r"Bad CRC|UserWarning|Traceback")


def _spaces_deflated(megabytes: int, head: bytes = b"") -> tuple[bytes, int]:
    """(raw deflate data, CRC-32) of ``head`` then ``megabytes`` MiB of spaces."""
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    block_maker = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block_maker.compress(b" " * MIB) + block_maker.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    chunk = b" " * MIB
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return start + block * megabytes + b"\x03\x00", crc  # 03 00: an empty final block


def _raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand: (name, deflated data, CRC-32, size declared in the directory)."""
    body, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        body += encoded + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    path.write_bytes(bytes(body + directory + end))
    return path


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    book = example(folder / "livre.xlsx")
    with zipfile.ZipFile(book) as archive:
        members = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    plain = [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in members]
    recettes = member_of(book, "Recettes")
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    bomb, bomb_crc = _spaces_deflated(600, head)
    part, part_crc = _spaces_deflated(400)
    made = {
        # 600 MiB sheet in a 700 KB file (limit 512 MiB per part)
        "bombe": _raw_zip(folder / "bombe.xlsx", [(n, bomb, bomb_crc, 600 * MIB) if n == recettes else e
                                                  for e, (n, _) in zip(plain, members)]),
        # three 400 MiB parts: 1 200 MiB in all (limit 1 024 MiB)
        "total": _raw_zip(folder / "total.xlsx", plain + [(f"xl/media/image{i}.bin", part, part_crc, 400 * MIB)
                                                          for i in range(3)]),
        # 10 017 parts (limit 10 000)
        "parties": _raw_zip(folder / "parties.xlsx", plain + [(f"xl/media/p{i}.bin", _deflate(b"x"),
                                                               zlib.crc32(b"x"), 1) for i in range(10_000)]),
        # the directory lies: it declares the real sheet's size, the data inflate to 600 MiB
        "menteur": _raw_zip(folder / "menteur.xlsx", [(n, bomb, bomb_crc, s) if n == recettes else (n, d, c, s)
                                                      for n, d, c, s in plain]),
    }
    return folder, book, recettes, made


BOMBS = {
    "bombe": "la partie « xl/worksheets/sheet2.xml » se décompresse en 600 Mio (au plus 512 Mio par partie",
    "total": "le classeur se décompresse en 1\u202f201 Mio (au plus 1\u202f024 Mio) : classeur refusé avant lecture",
    "parties": "archive de 10017 parties (au plus 10000 dans un classeur lisible par xlae)",
    "menteur": "partie « xl/worksheets/sheet2.xml » (feuille « Recettes ») endommagée (données compressées "
               "endommagées)",
}


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """(exit code, stderr + stdout, peak RSS in MiB) of ``xlae ARGS`` in its own process."""
    code = ("import atexit, resource, runpy, sys\n"
            "atexit.register(lambda: print('RSS-KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " file=sys.stderr))\n"
            "sys.argv = ['xlae', *sys.argv[1:]]\n"
            "runpy.run_module('xlae', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=xlae_env(), capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    rss = int(re.search(r"RSS-KIB (\d+)", done.stderr).group(1)) // 1024
    return done.returncode, done.stderr + done.stdout, rss


def _args(command: str, book: Path, folder: Path) -> list[str]:
    return [part.format(book=book, folder=folder) for part in COMMANDS[command]]


def _prepare(tmp_path: Path, source: Path, name: str = "livre.xlsx") -> Path:
    statement(tmp_path / "releve.csv", 2, "HOSTILE")
    book = tmp_path / name
    book.write_bytes(source.read_bytes())
    return book


def _unchanged(tmp_path: Path, book: Path, before: bytes) -> None:
    assert book.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("sortie",))
    assert left == sorted(["releve.csv", book.name]), left  # no backup, archive, bilan or temporary


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_sheet_bomb_is_refused_by_every_command_in_bounded_memory(sources, tmp_path, command):
    _, _, _, made = sources
    book = _prepare(tmp_path, made["bombe"])
    code, text, rss = _run_measured(_args(command, book, tmp_path), tmp_path)
    assert code in (1, 2)
    assert BOMBS["bombe"] in text and "classeur refusé avant lecture" in text
    assert not ENGLISH.search(text.replace("RSS-KIB", "")), text
    assert rss < 300, f"{rss} Mio"  # the interpreter and its libraries: ~90 MiB; the sheet inflated: 600+
    _unchanged(tmp_path, book, made["bombe"].read_bytes())


@pytest.mark.parametrize("case", ["total", "parties", "menteur"])
@pytest.mark.parametrize("command", ["recalculer", "importer --appliquer"])
def test_other_bombs_are_refused_in_bounded_memory(sources, tmp_path, case, command):
    _, _, _, made = sources
    book = _prepare(tmp_path, made[case])
    code, text, rss = _run_measured(_args(command, book, tmp_path), tmp_path)
    assert code in (1, 2) and BOMBS[case] in text
    assert not ENGLISH.search(text.replace("RSS-KIB", "")), text
    assert rss < 300, f"{rss} Mio"
    _unchanged(tmp_path, book, made[case].read_bytes())


@pytest.mark.parametrize("case", ["total", "parties", "menteur"])
@pytest.mark.parametrize("command", ["verifier", "declaration", "importer", "cloturer", "bilan"])
def test_other_bombs_are_refused_by_the_ledger_commands(sources, tmp_path, capsys, case, command):
    _, _, _, made = sources
    book = _prepare(tmp_path, made[case])
    assert main(_args(command, book, tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"classeur : livre.xlsx : {BOMBS[case]}" in err
    _unchanged(tmp_path, book, made[case].read_bytes())


# --- damaged XML, missing parts, not a zip -------------------------------------------------------

def _shared_strings(source: Path, target: Path) -> Path:
    """The workbook with Recettes!E2 (« bnc ») moved to a shared strings part, as Excel writes it."""
    recettes = member_of(source, "Recettes")
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="1" uniqueCount="1"><si><t>bnc</t></si></sst>')
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == recettes:
                data, count = re.subn(rb'<c r="E2" t="inlineStr"><is><t>bnc</t></is></c>',
                                      b'<c r="E2" t="s"><v>0</v></c>', data)
                assert count == 1
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"'
                                    b'/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="/xl/sharedStrings.xml" /></Relationships>')
            new.writestr(info, data)
        new.writestr("xl/sharedStrings.xml", sst)
    return target


def _damaged(kind: str, source: Path, folder: Path) -> tuple[Path, str]:
    """(damaged copy of ``source``, the French reason expected)."""
    target = folder / f"{kind}.xlsx"
    recettes, synthese = member_of(source, "Recettes"), member_of(source, "Synthèse")
    mismatch = lambda data: data.replace(b"</row>", b"</rows>", 1)  # noqa: E731
    if kind == "balise-recettes":
        rewrite(source, target, recettes, mismatch)
        return target, (f"partie « {recettes} » (feuille « Recettes ») endommagée (une balise fermante ne "
                        "correspond pas à la balise ouverte, ligne 1, colonne")
    if kind == "balise-synthese":
        rewrite(source, target, synthese, mismatch)
        return target, f"partie « {synthese} » (feuille « Synthèse ») endommagée (une balise fermante"
    if kind == "tronquee":
        # cut inside a tag (« <r »), wherever the half falls: a cut between tags reads « vide ou tronquée »
        rewrite(source, target, recettes, lambda data: data[: data.index(b"<", len(data) // 2) + 2])
        return target, f"partie « {recettes} » (feuille « Recettes ») endommagée (partie tronquée, ligne 1"
    if kind == "workbook":
        rewrite(source, target, "xl/workbook.xml", lambda data: data[: len(data) // 2])
        return target, "partie « xl/workbook.xml » endommagée (partie vide ou tronquée"
    if kind == "partagees-tronquees":
        whole = _shared_strings(source, folder / "partagees.xlsx")
        rewrite(whole, target, "xl/sharedStrings.xml", lambda data: data[: len(data) - 20])
        (folder / "partagees.xlsx").unlink()
        return target, "partie « xl/sharedStrings.xml » endommagée (partie tronquée"
    if kind in ("partage-pas-un-numero", "partage-hors-tableau"):
        whole = _shared_strings(source, folder / "partagees.xlsx")
        index = b"abc" if kind == "partage-pas-un-numero" else b"99999"
        rewrite(whole, target, recettes, lambda data: data.replace(b'<c r="E2" t="s"><v>0</v></c>',
                                                                   b'<c r="E2" t="s"><v>' + index + b"</v></c>"))
        (folder / "partagees.xlsx").unlink()
        if kind == "partage-pas-un-numero":
            return target, (f"partie « {recettes} » (feuille « Recettes ») endommagée (cellule E2 : renvoi vers le "
                            "tableau des textes partagés qui n'est pas un numéro)")
        return target, "Recettes"  # each reader names the sheet (openpyxl, calamine: the index is out of range)
    if kind == "doctype":
        rewrite(source, target, recettes, lambda data: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data)
        return target, "(feuille « Recettes ») endommagée (déclaration DOCTYPE, qu'un classeur Excel n'a jamais"
    if kind == "sans-recettes":
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                if info.filename != recettes:
                    new.writestr(info, old.read(info.filename))
        return target, (f"partie « {recettes} » (feuille « Recettes ») absente de l'archive : la feuille est "
                        "déclarée dans le classeur mais son contenu manque")
    if kind == "pas-un-zip":
        target.write_bytes(b"Date;Montant\n01/01/2026;100\n" * 50)
        return target, "ce n'est pas un classeur Excel .xlsx (fichier corrompu ou d'un autre format)"
    raise AssertionError(kind)


DAMAGES = ["balise-recettes", "balise-synthese", "tronquee", "workbook", "partagees-tronquees",
           "partage-pas-un-numero", "partage-hors-tableau", "doctype", "sans-recettes", "pas-un-zip"]


@pytest.mark.parametrize("kind", DAMAGES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_damaged_workbook_is_refused_naming_the_part_and_sheet(sources, tmp_path, capsys, kind, command):
    _, book, _, _ = sources
    damaged, expected = _damaged(kind, book, tmp_path)
    target = _prepare(tmp_path, damaged, "livre.xlsx")
    damaged.unlink()
    code = main(_args(command, target, tmp_path))
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert code == (1 if command == "recalculer" else 2), text
    assert expected in text, text
    assert "livre.xlsx" in text  # the file is named
    assert captured.err.rstrip().endswith("reprenez une sauvegarde.") or kind == "pas-un-zip", text
    assert not ENGLISH.search(text), text
    _unchanged(tmp_path, target, (tmp_path / "livre.xlsx").read_bytes())
    if command == "recalculer":
        assert sorted(p.name for p in (tmp_path / "sortie").iterdir()) == ["rapport.csv", "rapport.xlsx"]


@pytest.mark.parametrize("kind", DAMAGES)
@pytest.mark.parametrize("command", ["recalculer", "verifier"])
def test_damage_is_refused_the_same_when_calamine_reads_during_the_check(sources, tmp_path, capsys,
                                                                         monkeypatch, kind, command):
    """A large workbook is read by calamine in a thread while its parts are checked
    (``books.calamine.opened``): here every workbook is, and each damage gives the same reason."""
    from xlae.books import calamine

    monkeypatch.setattr(calamine, "OVERLAP_BYTES", 0)
    started = []
    real = calamine._EarlyRead.__init__
    monkeypatch.setattr(calamine._EarlyRead, "__init__", lambda self, *a: started.append(a) or real(self, *a))
    test_damaged_workbook_is_refused_naming_the_part_and_sheet(sources, tmp_path, capsys, kind, command)
    if kind not in ("pas-un-zip", "workbook", "sans-recettes"):  # refused before, or nothing to read early
        assert started, "calamine did not read during the check"


def test_a_workbook_with_shared_strings_is_read(sources, tmp_path, capsys):
    """The shared-strings copy the damaged cases start from is itself a good workbook."""
    _, book, _, _ = sources
    good = _shared_strings(book, tmp_path / "partagees.xlsx")
    assert main(["verifier", str(good)]) == 0
    assert main(["recalculer", str(good), "--sortie", str(tmp_path / "sortie"), "--sans-progression"]) == 0

