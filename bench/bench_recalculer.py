"""Benchmark of ``xlae recalculer`` against the floor (calamine read + pandas sums), same run.

Run: ``python bench/bench_recalculer.py [--quick]``. Each measurement runs in a fresh
subprocess, best of 2 (by wall time), and is printed three times:
- whole process, as a user measures it (``/usr/bin/time``): wall time of the process,
  interpreter start-up and every import included (bytecode cached, ``process.environment``),
  and its peak RSS (``os.wait4``);
- its CPU time (user + system, threads and workers included): the steadier figure on shared cores;
- in-process: the computation alone, both sides having imported what they use before
  the timer starts (pandas and calamine for the floor; xlae's batch and the Synthèse
  rules for xlae; the report no longer uses openpyxl).
Targets: issue 6, default path ≤ 3× the floor at 10 000 and 100 000 rows, < 500 MB at
100 000 rows, 200 small workbooks < 20 s on 2 cores; issue 15, ≤ 1.3× the floor whole
process at 100 000 and 1 000 000 rows (``--million``), peak memory ≤ 1.2× the floor's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from process import PEAK, fresh_process, warm_up  # noqa: E402

FLOOR = PEAK + """
import json, sys, time
import pandas as pd
from python_calamine import CalamineWorkbook
t = time.perf_counter()
book = CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_name("Recettes").to_python(skip_empty_area=False)
frame = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]])
frame = frame[pd.to_numeric(frame.iloc[:, 5], errors="coerce").notna()]
dates = pd.to_datetime(frame.iloc[:, 0], errors="coerce")
sums = pd.to_numeric(frame.iloc[:, 5]).groupby([dates.dt.month, frame.iloc[:, 4]]).sum()
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "total": round(float(sums.sum()), 2), "peak_mb": _peak_mb()}))
"""

OURS = PEAK + """
import json, sys, time
from xlae.batch import batch
import pandas, python_calamine, xlae.template.synthese  # what the run uses, imported lazily
t = time.perf_counter()
result = batch.recalculate(sys.argv[1:-1], sys.argv[-1], int(__import__("os").environ.get("JOBS", "1")),
                           progress=False)
seconds = time.perf_counter() - t
errors = [o.error for o in result.outcomes if o.error]
ca = result.outcomes[0].row.ca if result.outcomes and result.outcomes[0].row else None
print(json.dumps({"seconds": seconds, "errors": errors[:1], "failed": len(errors), "ca": ca,
                  "peak_mb": _peak_mb()}))
"""


def measure(code: str, *args: str, jobs: int = 1) -> dict:
    return fresh_process(code, *args, env={"JOBS": str(jobs)})


def best(code: str, *args: str, runs: int = 2) -> dict:
    """Best whole-process run of ``runs`` (the in-process figure is that run's)."""
    return min((measure(code, *args) for _ in range(runs)), key=lambda r: r["wall"])


def _same_ca(ours: dict, floor: dict) -> str:
    """Every generated row is valid and dated in the year: the summary's CA must be the floor's total."""
    if ours.get("ca") is None:
        return "non (pas de CA)"
    return "oui" if abs(ours["ca"] - floor["total"]) < 0.005 else f"NON ({ours['ca']} ≠ {floor['total']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 000 and 10 000 rows, 50 small workbooks")
    parser.add_argument("--million", action="store_true", help="also 1 000 000 rows (several minutes)")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import ledger_fill

    sizes = (1_000, 10_000) if options.quick else (1_000, 10_000, 100_000)
    if options.million:
        sizes += (1_000_000,)
    batch_size = 50 if options.quick else 200
    warm_up()
    print(f"{os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f} ; meilleur de 2 processus neufs par mesure")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"{'':>9} │ {'processus complet, mur (s)':^27} │ {'processus complet, CPU (s)':^27} │ "
              f"{'dans le processus (s)':^27} │ {'mémoire max. (Mo)':^22} │")
        print(f"{'lignes':>9} │ {'plancher':>9} {'xlae':>8} {'ratio':>7} │ {'plancher':>9} {'xlae':>8} {'ratio':>7} │ "
              f"{'plancher':>9} {'xlae':>8} {'ratio':>7} │ {'plancher':>8} {'xlae':>6} {'ratio':>6} │ CA identique")
        for rows in sizes:
            path = work / f"livre-{rows}.xlsx"
            path.write_bytes(ledger_fill.workbook(rows))
            floor = best(FLOOR, str(path))
            ours = best(OURS, str(path), str(work / f"out-{rows}"))
            note = f"  ({ours['errors'][0]})" if ours["errors"] else ""
            print(f"{rows:>9} │ {floor['wall']:>9.2f} {ours['wall']:>8.2f} {ours['wall'] / floor['wall']:>6.2f}× │ "
                  f"{floor['cpu']:>9.2f} {ours['cpu']:>8.2f} {ours['cpu'] / floor['cpu']:>6.2f}× │ "
                  f"{floor['seconds']:>9.2f} {ours['seconds']:>8.2f} {ours['seconds'] / floor['seconds']:>6.2f}× │ "
                  f"{floor['rss_mb']:>8.0f} {ours['rss_mb']:>6.0f} {ours['rss_mb'] / floor['rss_mb']:>5.2f}× │ "
                  f"{_same_ca(ours, floor)}{note}")
            path.unlink()
        small = work / "lot"
        small.mkdir()
        data = ledger_fill.workbook(50)
        for i in range(batch_size):
            (small / f"client-{i:03d}.xlsx").write_bytes(data)
        result = measure(OURS, str(small), str(work / "out-lot"), jobs=2)
        print(f"\n{batch_size} petits classeurs (50 lignes), --jobs 2 : {result['seconds']:.2f} s "
              f"(processus complet : {result['wall']:.2f} s mur, {result['cpu']:.2f} s CPU), échecs : {result['failed']} "
              "(10 000 classeurs : bench/bench_lot.py)")


if __name__ == "__main__":
    main()
