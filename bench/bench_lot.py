"""Benchmark of ``xlae recalculer`` on many small workbooks (50 to 300 rows), ``--jobs 2``.

Run: ``python bench/bench_lot.py [--classeurs N] [--jobs J]`` (default 10 000 workbooks,
2 processes; ``--quick``: 1 000). Every workbook is the real template with its own
generated receipts (seeded, 50 to 300 rows). Measured as a user measures it: the
whole ``xlae recalculer`` process (wall time, CPU time and peak RSS of the process
and its workers, from ``resource.getrusage(RUSAGE_CHILDREN)``), beside the time the
batch reports in-process; baseline of the same run: the floor, a calamine read + pandas
monthly sums of every workbook in ``J`` processes, also a whole process.
Target (issue 15): 10 000 small workbooks in under 2 minutes with ``--jobs 2``.
Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from process import fresh_process, warm_up  # noqa: E402

TARGET_S = 120.0

FLOOR = """
import json, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

def one(path):
    import pandas as pd
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_name("Recettes").to_python(skip_empty_area=False)
    frame = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]])
    frame = frame[pd.to_numeric(frame.iloc[:, 5], errors="coerce").notna()]
    dates = pd.to_datetime(frame.iloc[:, 0], errors="coerce")
    return float(pd.to_numeric(frame.iloc[:, 5]).groupby([dates.dt.month, frame.iloc[:, 4]]).sum().sum())

if __name__ == "__main__":
    import pandas, python_calamine  # imported once before the workers fork, as xlae does
    t = time.perf_counter()
    paths = sorted(str(p) for p in Path(sys.argv[1]).glob("*.xlsx"))
    with ProcessPoolExecutor(int(sys.argv[2])) as pool:
        total = sum(pool.map(one, paths, chunksize=16))
    print(json.dumps({"seconds": time.perf_counter() - t, "total": round(total, 2)}))
"""

OURS = """
import json, sys, time
t0 = time.perf_counter()
from xlae.batch import batch
t = time.perf_counter()
result = batch.recalculate([sys.argv[1]], sys.argv[2], int(sys.argv[3]), progress=False)
seconds = time.perf_counter() - t
errors = [o.error for o in result.outcomes if o.error]
print(json.dumps({"seconds": seconds, "failed": len(errors), "errors": errors[:1],
                  "total": round(sum(o.row.ca or 0 for o in result.outcomes), 2)}))
"""


def generate(folder: Path, count: int) -> None:
    """``count`` workbooks of 50 to 300 receipts each, all different (one seed per workbook)."""
    sys.path.insert(0, str(ROOT))
    import ledger_fill

    template = ledger_fill.template()
    sizes = random.Random(15)
    for number in range(count):
        rows = sizes.randint(50, 300)
        (folder / f"client-{number:05d}.xlsx").write_bytes(ledger_fill.fill(template, rows, seed=number))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classeurs", type=int, default=10_000, help="number of workbooks (default 10 000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--quick", action="store_true", help="1 000 workbooks")
    options = parser.parse_args()
    count = 1_000 if options.quick else options.classeurs
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        lot = work / "lot"
        lot.mkdir()
        started = time.perf_counter()
        generate(lot, count)
        print(f"{count} classeurs de 50 à 300 lignes générés en {time.perf_counter() - started:.1f} s "
              f"({os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f})")
        warm_up()
        floor = fresh_process(FLOOR, str(lot), str(options.jobs))
        ours = fresh_process(OURS, str(lot), str(work / "out"), str(options.jobs))
        same = "oui" if abs(ours["total"] - floor["total"]) < 0.005 * count else f"NON ({ours['total']} ≠ {floor['total']})"
        print(f"\n{'':34} {'plancher':>10} {'xlae':>10} {'ratio':>7}")
        print(f"{'processus complet, mur (s)':34} {floor['wall']:10.1f} {ours['wall']:10.1f} "
              f"{ours['wall'] / floor['wall']:6.1f}×")
        print(f"{'processus complet, CPU (s)':34} {floor['cpu']:10.1f} {ours['cpu']:10.1f} "
              f"{ours['cpu'] / floor['cpu']:6.1f}×")
        print(f"{'dans le processus (s)':34} {floor['seconds']:10.1f} {ours['seconds']:10.1f} "
              f"{ours['seconds'] / floor['seconds']:6.1f}×")
        print(f"{'mémoire max. d’un processus (Mo)':34} {floor['rss_mb']:10.0f} {ours['rss_mb']:10.0f}")
        print(f"\nms par classeur (mur) : {ours['wall'] / count * 1000:.1f} ; CPU : {ours['cpu'] / count * 1000:.1f} ; "
              f"échecs : {ours['failed']}{' (' + ours['errors'][0] + ')' if ours['errors'] else ''} ; "
              f"CA total identique au plancher : {same}")
        met = ours["wall"] < TARGET_S * count / 10_000
        print(f"Cible : 10 000 classeurs en moins de {TARGET_S:.0f} s avec --jobs 2 "
              f"(ici {count} : {TARGET_S * count / 10_000:.1f} s) — {'atteinte' if met else 'MANQUÉE'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
