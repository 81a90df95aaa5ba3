"""Benchmark of ``xlae recalculer`` against the floor (calamine read + pandas sums), same run.

Run: ``python bench/bench_recalculer.py [--quick]``. Each measurement runs in a fresh
subprocess (peak memory = its max RSS, imports included for both sides, so the
ratio compares like with like). Targets (issue 6): default path ≤ 3× the floor at
10 000 and 100 000 rows, < 500 MB at 100 000 rows, 200 small workbooks < 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

FLOOR = """
import json, resource, sys, time
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
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "total": round(float(sums.sum()), 2)}))
"""

OURS = """
import json, resource, sys, time
from xlae.batch import batch
import pandas, python_calamine, xlae.template.synthese
t = time.perf_counter()
result = batch.recalculate(sys.argv[1:-1], sys.argv[-1], int(__import__("os").environ.get("JOBS", "1")),
                           progress=False)
seconds = time.perf_counter() - t
errors = [o.error for o in result.outcomes if o.error]
ca = result.outcomes[0].row.ca if result.outcomes and result.outcomes[0].row else None
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "errors": errors[:1], "failed": len(errors), "ca": ca}))
"""


def measure(code: str, *args: str, jobs: int = 1) -> dict:
    env = {"PYTHONPATH": str(ROOT), "JOBS": str(jobs), "PATH": "/usr/bin:/bin"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def _same_ca(ours: dict, floor: dict) -> str:
    """Every generated row is valid and dated in the year: the summary's CA must be the floor's total."""
    if ours.get("ca") is None:
        return "non (pas de CA)"
    return "oui" if abs(ours["ca"] - floor["total"]) < 0.005 else f"NON ({ours['ca']} ≠ {floor['total']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 000 and 10 000 rows, 50 small workbooks")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    import ledger_fill

    sizes = (1_000, 10_000) if options.quick else (1_000, 10_000, 100_000)
    batch_size = 50 if options.quick else 200
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"{'lignes':>8} │ {'plancher (s)':>12} │ {'xlae (s)':>9} │ {'ratio':>6} │ {'mém. plancher':>13} │ "
              f"{'mém. xlae':>10} │ CA identique au plancher")
        for rows in sizes:
            path = work / f"livre-{rows}.xlsx"
            path.write_bytes(ledger_fill.workbook(rows))
            floor = min((measure(FLOOR, str(path)) for _ in range(2)), key=lambda r: r["seconds"])
            ours = min((measure(OURS, str(path), str(work / f"out-{rows}")) for _ in range(2)),
                       key=lambda r: r["seconds"])
            note = f"  ({ours['errors'][0]})" if ours["errors"] else ""
            print(f"{rows:>8} │ {floor['seconds']:>12.2f} │ {ours['seconds']:>9.2f} │ "
                  f"{ours['seconds'] / floor['seconds']:>5.1f}× │ {floor['rss_mb']:>10.0f} Mo │ "
                  f"{ours['rss_mb']:>7.0f} Mo │ {_same_ca(ours, floor)}{note}")
        small = work / "lot"
        small.mkdir()
        data = ledger_fill.workbook(50)
        for i in range(batch_size):
            (small / f"client-{i:03d}.xlsx").write_bytes(data)
        result = measure(OURS, str(small), str(work / "out-lot"), jobs=2)
        print(f"\n{batch_size} petits classeurs (50 lignes), --jobs 2 : {result['seconds']:.2f} s "
              f"(processus complet : {result['wall']:.2f} s), échecs : {result['failed']}")


if __name__ == "__main__":
    main()
