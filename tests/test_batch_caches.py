"""What the batch remembers between workbooks, and what it flushes once per batch.

Why: 10 000 small workbooks must recalculate in minutes, so the work identical in
every standard workbook is done once per process (sheet layouts in ``xlsx``,
formulas in ``summary``, rates lookups in ``template.natif``) and the output folder
is flushed once, after the last copy. None of it may return a value of another
rates sheet, nor give a copy its name before its data is on disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from xlae import atomic, cli
from xlae.batch import batch
from xlae.rates import get_rates
from xlae.template import natif
from xlae.template import synthese as S

CA = S.KEY_CELLS["ca_annee"]


def test_rates_lookups_are_remembered_per_rates_sheet() -> None:
    rows = get_rates().rows
    on = dt.date(2026, 3, 31)
    first = natif.lookup_value(rows, "taux_cotisations", "bnc", "metropole", on)
    assert first == 0.256  # BNC SSI from 01/01/2026: 25,6 %
    assert natif.lookup_value(rows, "taux_cotisations", "bnc", "metropole", on) == first
    # another rates sheet (another list of rows): its own value, never the remembered one
    other = [dataclasses.replace(r, valeur=Decimal("0.3")) if r.parametre == "taux_cotisations"
             and r.categorie == "bnc" else r for r in rows]
    assert natif.lookup_value(other, "taux_cotisations", "bnc", "metropole", on) == 0.3
    assert natif.lookup_value(rows, "taux_cotisations", "bnc", "metropole", on) == first


def test_the_output_folder_is_flushed_once_after_the_last_copy(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_recalculer import make_workbook, receipt, synthese_values

    folder = tmp_path / "lot"
    folder.mkdir()
    for number in range(3):
        make_workbook(folder / f"c{number}.xlsx", [receipt("2026-01-05", 100 * (number + 1))])
    out = tmp_path / "out"
    per_file, at_end = [], []
    real = atomic.fsync_folder
    monkeypatch.setattr(atomic, "fsync_folder", lambda path: per_file.append(Path(path).name) or real(path))

    def flush(path):
        at_end.append(sorted(p.name for p in Path(path).iterdir()))
        real(path)

    monkeypatch.setattr(batch, "fsync_folder", flush)
    assert cli.main(["recalculer", str(folder), "--sortie", str(out), "--jobs", "1"]) == 0
    # every copy named before the one flush, the report written after it (with its own flush)
    assert at_end == [["c0.xlsx", "c1.xlsx", "c2.xlsx"]]
    assert per_file == ["out", "out"]  # the two reports (rapport.xlsx, rapport.csv), none per copy
    assert [synthese_values(out / f"c{n}.xlsx")[CA] for n in range(3)] == [100, 200, 300]


def test_workers_send_back_the_report_row_not_the_cells(tmp_path: Path) -> None:
    """10 000 workbooks × 700 computed cells must not pile up in the parent: in a pool the outcome
    comes back with its report row only (the copies hold the cells)."""
    from tests.test_recalculer import make_workbook, receipt, synthese_values
    from xlae.batch import runner

    jobs = []
    for number in range(2):
        source = make_workbook(tmp_path / f"c{number}.xlsx", [receipt("2026-01-05", 100 * (number + 1))])
        jobs.append(runner.Job(str(source), str(tmp_path / f"out-{number}.xlsx")))
    outcomes = runner.run(jobs, workers=2)
    assert [o.error for o in outcomes] == [None, None]
    assert [o.values for o in outcomes] == [{}, {}]
    assert [o.row.ca for o in outcomes] == [100, 200]
    assert [synthese_values(tmp_path / f"out-{n}.xlsx")[CA] for n in range(2)] == [100, 200]
    alone = runner.run([runner.Job(jobs[0].source, str(tmp_path / "seul.xlsx"))], workers=2)
    assert alone[0].values[CA] == 100  # one workbook runs in-process: its cells stay (xlae demo shows them)


def test_a_barèmes_sheet_seen_before_is_not_read_again_but_keeps_its_file_name() -> None:
    """The same Barèmes in every workbook of a batch is read once (``bareme_classeur.grid_rates``); each
    workbook gets an equal twin (so the rates memos carry over) whose errors name that workbook."""
    import pytest as _pytest

    from xlae.errors import XlaeError
    from xlae.rates import COLUMNS
    from xlae.template import bareme_classeur

    grid = [list(COLUMNS)] + [list(row) for row in bareme_classeur.rows_values(get_rates().rows)]
    first = bareme_classeur.grid_rates(grid, "a.xlsx, feuille Barèmes")
    second = bareme_classeur.grid_rates([list(row) for row in grid], "b.xlsx, feuille Barèmes")
    assert second is not first and second == first and hash(second) == hash(first)
    assert second.rows is first.rows  # natif.lookup_value remembers by the rows
    assert (first.origin, second.origin) == ("a.xlsx, feuille Barèmes", "b.xlsx, feuille Barèmes")
    for rates, name in ((first, "a.xlsx"), (second, "b.xlsx")):
        with _pytest.raises(XlaeError, match=f"Barème {name}, feuille Barèmes : le paramètre « inconnu »"):
            rates.lookup("inconnu", "toutes", "toutes", dt.date(2026, 1, 1))
    # the history view looks up other dates: never equal to the sheet itself
    assert second.history() != second and second.history() == first.history()
    # another value, or the same number typed as TRUE, is another sheet
    changed = [list(row) for row in grid]
    changed[1][4] = changed[1][4] + 1
    assert bareme_classeur.grid_rates(changed, "c.xlsx, feuille Barèmes") != first
    typed = [list(row) for row in grid]
    index = next(i for i, row in enumerate(typed) if i and row[4] == 1)
    typed[index][4] = True
    with _pytest.raises(XlaeError):  # TRUE is not the number 1 in a rates sheet
        bareme_classeur.grid_rates(typed, "d.xlsx, feuille Barèmes")


def test_a_part_seen_well_formed_is_known_by_its_exact_bytes_only(tmp_path: Path) -> None:
    """``books.parts`` skips the XML pass for a part whose compressed bytes it found well formed before
    (the Synthèse of every standard workbook); the same part damaged, or behind a local header zipfile
    refuses, is still refused in the same words."""
    import io
    import zipfile

    from tests.test_recalculer import make_workbook, receipt
    from xlae.books import parts
    from xlae.books.archive import DAMAGED_ADVICE, UnreadableWorkbook, open_archive

    good = make_workbook(tmp_path / "good.xlsx", [receipt("2026-01-05", 100)])
    with zipfile.ZipFile(good) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
        synthese = next(n for n in members if n.startswith("xl/worksheets/") and b"<f>" in members[n])
    open_archive(good).close()
    assert any(key[0] == synthese for key in parts._WELL_FORMED)

    def rewritten(name: str, changes: dict[str, bytes]) -> Path:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for member, data in members.items():
                target.writestr(member, changes.get(member, data))
        path = tmp_path / name
        path.write_bytes(out.getvalue())
        return path

    broken = rewritten("broken.xlsx", {synthese: members[synthese].replace(b"</c>", b"</x>", 1)})
    with pytest.raises(UnreadableWorkbook, match="une balise fermante ne correspond pas"):
        open_archive(broken)
    # the very bytes of the known part, under a local header whose name differs from the directory's
    same = rewritten("same.xlsx", {})
    data = bytearray(same.read_bytes())
    with zipfile.ZipFile(same) as archive:
        offset = archive.getinfo(synthese).header_offset
    position = offset + 30 + len(synthese) - 5  # "sheetN.xml": one letter of the name in the local header
    data[position:position + 1] = b"X"
    same.write_bytes(bytes(data))
    with pytest.raises(UnreadableWorkbook) as refused:
        open_archive(same)
    assert "données compressées endommagées" in str(refused.value) and DAMAGED_ADVICE in str(refused.value)


def test_a_barèmes_sheet_known_by_its_bytes_is_not_read_again(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``books.calamine`` keeps the rates of a Barèmes sheet by the raw bytes of every member but the
    other sheets: the next standard workbook's is not read by calamine, its rates are an equal twin
    naming its own file; a workbook whose Barèmes differs by one value is read."""
    import io
    import zipfile

    from xlae.books import calamine
    from xlae.books.archive import open_archive, package_of
    from xlae.template import build, layout

    monkeypatch.setattr(calamine, "_BAREMES", {})
    template = build.workbook_bytes(build.build_workbook({"activite": "bnc", "annee": 2026}))
    paths = []
    for name in ("a.xlsx", "b.xlsx"):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(template)
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        part = package_of(archive).sheets[layout.SHEET_BAREMES]
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member, data in members.items():
            target.writestr(member, data.replace(b"<v>0.256</v>", b"<v>0.3</v>", 1) if member == part else data)
    assert b"<v>0.256</v>" in members[part]
    paths.append(tmp_path / "c.xlsx")
    paths[-1].write_bytes(out.getvalue())
    read = []
    real = calamine._grids
    monkeypatch.setattr(calamine, "_grids", lambda path, sheets: read.append(layout.SHEET_BAREMES in sheets)
                        or real(path, sheets))
    rates = []
    for path in paths:
        with open_archive(path) as archive:
            rates.append(calamine.books_of(path, archive, package_of(archive), False, baremes=True).baremes)
    assert read == [True, False, True]
    assert rates[1] == rates[0] and rates[1] is not rates[0] and rates[2] != rates[0]
    assert [r.origin for r in rates] == [f"{name}, feuille {layout.SHEET_BAREMES}"
                                         for name in ("a.xlsx", "b.xlsx", "c.xlsx")]
    on = dt.date(2026, 3, 31)
    assert [float(r.value("taux_cotisations", "bnc", "metropole", on)) for r in rates] == [0.256, 0.256, 0.3]


def _echo(job):
    from xlae.batch import runner
    from xlae.batch.report import ReportRow

    return runner.Outcome(job.source, job.target, row=ReportRow(Path(job.source).name), values={"A1": 1})


def test_a_pool_gets_small_workbooks_by_chunks_a_few_at_a_time(tmp_path: Path) -> None:
    """The parent keeps a few chunks in flight per worker (``wait`` visits every pending future: 10 000
    submitted at once cost it ~2 ms per workbook); small files go 8 together, a large one alone, and a
    short batch one by one. Outcomes come back in the order of the jobs, each reported once."""
    from xlae.batch import runner

    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    small.write_bytes(b"x" * 1000)
    large.write_bytes(b"x" * (runner.CHUNK_BYTES + 1))
    jobs = [runner.Job(str(large if i in (20, 21) else small), str(tmp_path / f"out-{i}.xlsx")) for i in range(100)]
    chunks = list(runner._chunks(jobs, 2))
    assert [i for chunk in chunks for i in chunk] == list(range(100))
    assert [20] in chunks and [21] in chunks and max(map(len, chunks)) == runner.CHUNK_JOBS
    assert all(len(chunk) == 1 for chunk in runner._chunks(jobs[:10], 2))  # 2 workers, 10 jobs: no idling
    done = []
    outcomes = runner.run(jobs, workers=2, on_done=lambda o: done.append(o.target), task=_echo)
    assert [o.target for o in outcomes] == [job.target for job in jobs]
    assert sorted(done) == sorted(job.target for job in jobs)
    assert all(o.values == {} for o in outcomes)  # the cells stay in the worker
