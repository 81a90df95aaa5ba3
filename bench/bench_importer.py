"""Benchmark of ``xlae importer`` on a 200 000-line statement against ``pandas.read_csv`` of it, same run.

Run: ``python bench/bench_importer.py [--lignes N]``. The statement is a Crédit
Agricole-style export (preamble-free, « ; », Windows-1252, Débit/Crédit) with one
credit every 40 lines (5 000 credits, within a 10 000-row workbook). Each side runs
in a fresh subprocess, imports included (like bench_recalculer), and also prints its
compute time without imports, and splits the time between the statement side (reading,
proposals, preview) and the workbook side (openpyxl loading and saving, which another
change makes touch only the sheets it writes). Target (issue 13): preview and --appliquer
≤ 3× pandas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from process import fresh_process  # noqa: E402

FLOOR = """
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
t = time.perf_counter()
frame = pd.read_csv(sys.argv[1], sep=";", encoding="cp1252", dtype=str)
print(json.dumps({"compute": time.perf_counter() - t, "rows": len(frame)}))
"""

OURS = """
import contextlib, io, json, sys, time
from xlae.cli import main
from xlae.commands import importer
spent = {"releve": 0.0, "classeur": 0.0}


def timed(function, side):  # time spent on the statement side or on the workbook side
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[side] += time.perf_counter() - started
    return wrapper


# the command imports its tools when it runs: patch the modules they come from
import xlae.books.calamine, xlae.books.write, xlae.ledger.importing, xlae.ledger.statement
for module, name, side in ((xlae.ledger.statement, "read_statement", "releve"), (importer, "preview", "releve"),
                           (xlae.books.calamine, "open_books", "classeur"), (xlae.books.write, "save", "classeur")):
    setattr(module, name, timed(getattr(module, name), side))
for name, side in (("propose", "releve"), ("ledger_receipts", "classeur"), ("uncovered", "classeur"),
                   ("append_receipts", "classeur")):
    setattr(xlae.ledger.importing, name, timed(getattr(xlae.ledger.importing, name), side))
t = time.perf_counter()
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["importer", sys.argv[1], "--classeur", sys.argv[2]] + sys.argv[3:])
text = out.getvalue()
print(json.dumps({"compute": time.perf_counter() - t, "code": code, **spent,
                  "summary": next((l for l in text.splitlines() if l.startswith("Résumé")), "")}))
"""


def statement(path: Path, lines: int) -> None:
    random.seed(13)
    start = dt.date(2026, 1, 1)
    rows = ["Date;Libellé;Débit euros;Crédit euros;"]
    for i in range(lines):
        day = start + dt.timedelta(days=i * 300 // lines)
        if i % 40 == 0:
            amount = f"{random.randint(100, 500000) / 100:.2f}".replace(".", ",")
            rows.append(f"{day:%d/%m/%Y};VIR SEPA RECU /DE CLIENT {i % 97} SAS /MOTIF FACTURE F2026-{i:06d};;{amount};")
        else:
            amount = f"{random.randint(100, 50000) / 100:.2f}".replace(".", ",")
            rows.append(f"{day:%d/%m/%Y};CB MAGASIN {i % 500} {day:%d/%m};{amount};;")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lignes", type=int, default=200_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from test_verifier_support import make_book

    with tempfile.TemporaryDirectory() as folder:
        csv_path, book = Path(folder) / "releve.csv", Path(folder) / "livre.xlsx"
        statement(csv_path, args.lignes)
        make_book(book)
        floor = fresh_process(FLOOR, str(csv_path))
        preview = fresh_process(OURS, str(csv_path), str(book))
        apply = fresh_process(OURS, str(csv_path), str(book), "--appliquer")
        again = fresh_process(OURS, str(csv_path), str(book), "--appliquer")
    print(f"{args.lignes} lignes, {csv_path.name} : pandas.read_csv {floor['wall']:.2f} s "
          f"(lecture seule {floor['compute']:.2f} s), mémoire max. {floor['rss_mb']:.0f} Mo")
    for label, result in (("aperçu", preview), ("--appliquer", apply), ("réimport --appliquer", again)):
        print(f"{label:22} {result['wall']:6.2f} s  ratio {result['wall'] / floor['wall']:4.1f}× (processus complet)  "
              f"calcul {result['compute']:.2f} s, ratio {result['compute'] / floor['compute']:4.1f}×  "
              f"mémoire {result['rss_mb']:.0f} Mo ({result['rss_mb'] / floor['rss_mb']:.1f}×)  "
              f"[{result['summary'][:70]}]")
        # the statement side (read, proposals, preview) against the same pandas run; the rest is the workbook
        rest = result["wall"] - result["releve"] - result["classeur"]
        print(f"{'':22} côté relevé {result['releve']:.2f} s, ratio {(result['releve'] + rest) / floor['wall']:4.1f}× "
              f"(avec le démarrage {rest:.2f} s) ; côté classeur (openpyxl) {result['classeur']:.2f} s")


if __name__ == "__main__":
    main()
