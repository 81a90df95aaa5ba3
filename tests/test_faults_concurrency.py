"""Two writers at once on one workbook (real processes): no update lost, the second waits or is refused.

Before the lock, two ``xlae importer --appliquer`` both said « 100 recettes
ajoutées » and only one run's receipts were in the file; two ``xlae cloturer``
both said « clôturée » and one closing was not recorded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import openpyxl
import pytest

from faults_kit import example, finish, start, statement, xlae_env
from xlae.errors import XlaeError
from xlae.ledger import closing
from xlae.books.calamine import open_books
from xlae.lock import lock_path, workbook_lock
from xlae.template import layout


def _keys(book) -> set[str]:
    ws = openpyxl.load_workbook(book, read_only=True)[layout.SHEET_RECETTES]
    return {row[8] for row in ws.iter_rows(min_row=2, max_col=9, values_only=True) if row[8]}


def test_two_importers_at_once_keep_both_runs_receipts(tmp_path):
    book = example(tmp_path / "livre.xlsx")
    first = statement(tmp_path / "a.csv", 40, "ALPHA")
    second = statement(tmp_path / "b.csv", 40, "BETA")
    before = _keys(book)
    runs = [start("importer", str(s), "--classeur", str(book), "--appliquer", cwd=tmp_path)
            for s in (first, second)]
    results = [finish(p) for p in runs]
    added = _keys(book) - before
    for code, out, err in results:
        if code == 0:
            assert "40 recettes ajoutées" in out
        else:  # waited too long on a busy machine: refused, naming the other command, nothing written
            assert code == 2 and "en cours de modification par « xlae importer --appliquer »" in err
    succeeded = sum(1 for code, _, _ in results if code == 0)
    assert succeeded >= 1
    assert len(added) == 40 * succeeded  # every run that said « ajoutées » is in the file


def test_two_closings_at_once_are_both_recorded(tmp_path):
    book = example(tmp_path / "livre.xlsx")
    runs = [start("cloturer", str(book), "--periode", period, cwd=tmp_path) for period in ("2025-T3", "2025-T4")]
    results = [finish(p) for p in runs]
    closed = {"2025-T3": False, "2025-T4": False}
    recorded = {c.periode for c in closing.read_closures(open_books(book))[0]}
    for period, (code, out, err) in zip(closed, results):
        if code == 0:
            assert "clôturée" in out and period in recorded
        else:
            assert code == 2 and "« xlae cloturer »" in err and period not in recorded
    assert any(code == 0 for code, _, _ in results)


def test_second_writer_is_refused_with_the_holder_named(tmp_path):
    book = example(tmp_path / "livre.xlsx")
    original = book.read_bytes()
    with workbook_lock(book, "xlae importer --appliquer"):
        started = time.monotonic()
        code, out, err = finish(start("cloturer", str(book), "--periode", "2025", cwd=tmp_path,
                                      XLAE_ATTENTE_VERROU="0.5"))
        waited = time.monotonic() - started
    assert code == 2
    assert "livre.xlsx est en cours de modification par « xlae importer --appliquer » (processus" in err
    assert "rien n'a été modifié" in err
    assert waited >= 0.5
    assert book.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["livre.xlsx"]  # no backup, no archive, no lock left


def test_lock_is_waited_for_then_taken(tmp_path, monkeypatch):
    book = example(tmp_path / "livre.xlsx")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from xlae.lock import workbook_lock\n"
        f"with workbook_lock({str(book)!r}, 'xlae cloturer'):\n"
        "    print('pris', flush=True); time.sleep(1.0)\n")], env=xlae_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "pris"
    monkeypatch.setenv("XLAE_ATTENTE_VERROU", "20")
    started = time.monotonic()
    with workbook_lock(book, "xlae importer --appliquer"):  # waits for the holder's second, then holds
        assert time.monotonic() - started >= 0.5
    holder.wait()


def test_a_killed_holder_leaves_no_lock(tmp_path, monkeypatch):
    book = example(tmp_path / "livre.xlsx")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from xlae.lock import workbook_lock\n"
        f"with workbook_lock({str(book)!r}, 'xlae importer --appliquer'):\n"
        "    print('pris', flush=True); time.sleep(60)\n")], env=xlae_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "pris"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock_path(book).exists()  # the file stays, but the system released its lock
    monkeypatch.setenv("XLAE_ATTENTE_VERROU", "0")
    with workbook_lock(book, "xlae cloturer"):
        pass
    assert not lock_path(book).exists()


def test_lock_refusal_in_process_names_argument(tmp_path, monkeypatch):
    from xlae.template.build import write_new_file

    target = tmp_path / "modele.xlsx"
    target.write_bytes(b"ancien")
    monkeypatch.setenv("XLAE_ATTENTE_VERROU", "0")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from xlae.lock import workbook_lock\n"
        f"with workbook_lock({str(target)!r}, 'xlae importer --appliquer'):\n"
        "    print('pris', flush=True); time.sleep(60)\n")], env=xlae_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "pris"
        with pytest.raises(XlaeError, match=r"^--sortie : modele.xlsx est en cours de modification par "
                                            r"« xlae importer --appliquer »"):
            write_new_file(target, b"nouveau", force=True)
    finally:
        holder.kill()
        holder.wait()
    assert target.read_bytes() == b"ancien"
