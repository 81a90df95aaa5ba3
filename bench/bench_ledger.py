"""Benchmark of the ledger tools against ``xlae recalculer`` on the same workbook, same run (issue 15).

Run: ``python bench/bench_ledger.py [--lignes 10000,100000]``. Every command runs as a user
runs it — a fresh ``python -m xlae`` process, imports included, wall-clock time — on a
generated livre of N chronological receipts (``ledger_fill``). Printed per size:
``recalculer`` against the calamine + pandas floor (the FLOOR of ``bench_recalculer``),
wall and CPU time (user + system: the steadier figure on shared cores),
then ``verifier``, ``declaration``, ``importer`` (preview and ``--appliquer`` of a
5-credit statement) and ``cloturer`` against ``recalculer``, with the file's growth for
the two that write. Targets: ratios ≤ 1.5× ``recalculer`` at 100 000 rows; a write adds
only what it adds (a few KB), every other part of the zip copied byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from process import environment  # noqa: E402
REPEAT = 3


def run(*args: str, check: bool = True) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one fresh process (as ``/usr/bin/time`` would show them)."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.STDOUT,
                                   env=environment())
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if check and code not in (0, 1):
            out.seek(0)
            raise SystemExit(f"{' '.join(args)} : code {code}\n{out.read()[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def median(*args: str, prepare=None) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``REPEAT`` runs."""
    walls, cpus = [], []
    for _ in range(REPEAT):
        if prepare:
            prepare()
        wall, cpu = run(*args)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def statement(path: Path) -> None:
    lines = ["Date;Libellé;Débit;Crédit"]
    lines += [f"{day:02d}/11/2026;VIR SEPA CLIENT {day} FACTURE Z{day:03d};;{100 + day},50" for day in range(1, 6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lignes", default="10000,100000", help="tailles des livres, séparées par des virgules")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    import ledger_fill
    from bench_recalculer import FLOOR
    from process import warm_up

    warm_up()
    print(f"Médiane de {REPEAT} processus complets (python -m xlae …), secondes mur / CPU ; ratio à recalculer ; "
          f"{os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f}.")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        releve = work / "releve.csv"
        statement(releve)
        for rows in (int(n) for n in options.lignes.split(",")):
            source = work / f"livre-{rows}.xlsx"
            source.write_bytes(ledger_fill.workbook(rows, year=2025, chronological=True, room=100))
            copy = work / f"copie-{rows}.xlsx"

            def fresh() -> None:
                for old in work.glob(f"copie-{rows}*"):
                    old.chmod(0o644)
                    old.unlink()
                shutil.copyfile(source, copy)

            out = work / f"sortie-{rows}"

            def clean_out() -> None:
                shutil.rmtree(out, ignore_errors=True)

            floor = median("-c", FLOOR, str(source))
            recalculer = median("-m", "xlae", "recalculer", str(source), "--sortie", str(out),
                                "--sans-progression", prepare=clean_out)
            figures = {
                "verifier": median("-m", "xlae", "verifier", str(source)),
                "declaration": median("-m", "xlae", "declaration", str(source), "--periode", "2025-03"),
                "importer (aperçu)": median("-m", "xlae", "importer", str(releve), "--classeur", str(source)),
                "importer --appliquer": median("-m", "xlae", "importer", str(releve), "--classeur", str(copy),
                                               "--appliquer", prepare=fresh),
                "cloturer": median("-m", "xlae", "cloturer", str(copy), "--periode", "2025-03", prepare=fresh),
            }
            size = source.stat().st_size
            fresh()
            run("-m", "xlae", "importer", str(releve), "--classeur", str(copy), "--appliquer")
            imported = copy.stat().st_size - size
            fresh()
            run("-m", "xlae", "cloturer", str(copy), "--periode", "2025-03")
            closed = copy.stat().st_size - size
            print(f"\n{rows} lignes ({size / 1024:,.0f} Ko), charge {os.getloadavg()[0]:.1f}".replace(",", "\u202f"))
            print(f"  plancher calamine + pandas : {floor[0]:6.2f} s mur, {floor[1]:6.2f} s CPU")
            print(f"  xlae recalculer            : {recalculer[0]:6.2f} s mur, {recalculer[1]:6.2f} s CPU  "
                  f"({recalculer[0] / floor[0]:.2f}× / {recalculer[1] / floor[1]:.2f}× le plancher)")
            for name, (wall, cpu) in figures.items():
                print(f"  xlae {name:<22}: {wall:6.2f} s mur, {cpu:6.2f} s CPU  "
                      f"({wall / recalculer[0]:.2f}× / {cpu / recalculer[1]:.2f}× recalculer)")
            print(f"  croissance du fichier : importer +{imported / 1024:.1f} Ko (5 recettes), "
                  f"cloturer +{closed / 1024:.1f} Ko")


if __name__ == "__main__":
    main()
