"""Per-call cost of the Excel functions: bare, through xlwings' own conversion code, and whole process.

Run:  python bench/bench_udfs.py
Prints the best of several repeats (µs per call) and the ratio to a baseline
measured in the same run:
- bare calls (Python values, and values shaped as xlwings hands them over) against
  the plain function ``round(ca * 0.212, 2)``; « mémo » calls repeat the same cell
  (a recalculation), « sans mémo » calls all differ (first calculation);
- calls through xlwings classic (``call_udf``: VBA arguments read by
  ``conversion.read``, the result written by ``conversion.write``) and Office.js
  (``custom_functions_call``, xlwings Lite), each in a fresh process as in Excel, against
  the same reference function registered with xlwings (``bench/udf_reference.py``);
- whole process, as a user measures it: a fresh interpreter that imports the functions
  and computes a sheet of 2 000 cells (1 000 different CA, then a recalculation), wall
  time and peak RSS, against the same process calling the reference function.
Targets (issue 15): every AE_* (``xlae.udfs`` and ``xlae.udfs_droits``) ≤ 3 µs per call with
Python values and ≤ 4 µs with xlwings-style values (a recalculation: memo hits). Exit code 1
when one is missed. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlae import udfs, udfs_droits  # noqa: E402
from xlae.rates import bundled_text, get_rates, load_rates, parse_rates  # noqa: E402

TARGET_PYTHON_US = 3.0
TARGET_XLWINGS_US = 4.0
REPEATS = 7
S_2026_03_01 = 46082.0  # Excel serial of 01/03/2026
HARNESS = ROOT / "tests" / "xlwings_runtime.py"
REFERENCE = ROOT / "bench" / "udf_reference.py"

# (label, function, Python-style arguments, xlwings-style arguments)
CASES = [
    ("ae_cotisations", udfs.ae_cotisations, (30000, "service_bic", dt.date(2026, 3, 1)),
     (30000.0, "service_bic", S_2026_03_01, None, None, None)),
    ("ae_cotisations ACRE", udfs.ae_cotisations, (30000, "bnc", dt.date(2026, 5, 1), True, dt.date(2026, 3, 1)),
     (30000.0, "bnc", 46143.0, True, S_2026_03_01, None)),
    ("ae_plafond", udfs.ae_plafond, ("bnc", 2026, dt.date(2026, 3, 1)), ("bnc", 2026.0, S_2026_03_01)),
    ("ae_prorata", udfs.ae_prorata, (dt.date(2026, 3, 1), 2026), (S_2026_03_01, 2026.0)),
    ("ae_abattement", udfs.ae_abattement, (30000, "bnc", 2026), (30000.0, "bnc", 2026.0)),
    ("ae_revenu", udfs.ae_revenu, (30000, "bnc", 2026), (30000.0, "bnc", 2026.0)),
    ("ae_taux", udfs.ae_taux, ("vente", dt.date(2026, 3, 1)), ("vente", S_2026_03_01, None, None, None)),
    ("ae_cfp", udfs.ae_cfp, (30000, "bnc", dt.date(2026, 3, 1)), (30000.0, "bnc", S_2026_03_01, None)),
    ("ae_tfc", udfs.ae_tfc, (30000, "vente", dt.date(2026, 3, 1)), (30000.0, "vente", S_2026_03_01, None, None)),
    ("ae_vl", udfs.ae_vl, (30000, "bnc", dt.date(2026, 3, 1)), (30000.0, "bnc", S_2026_03_01)),
    ("ae_tva_seuil", udfs.ae_tva_seuil, ("bnc", 2026), ("bnc", 2026.0, None)),
    ("ae_tva", udfs.ae_tva, (30000, 25000, "bnc", 2026), (30000.0, 25000.0, "bnc", 2026.0)),
    ("ae_depassement", udfs.ae_depassement, (30000, "bnc", 2026), (30000.0, "bnc", 2026.0, None, None)),
    ("ae_echeance", udfs.ae_echeance, (dt.date(2026, 3, 15),), (46096.0, None, None)),
    ("ae_source", udfs.ae_source, ("plafond_ca", "bnc", dt.date(2026, 3, 1)),
     ("plafond_ca", "bnc", S_2026_03_01, None)),
    ("ae_trimestres", udfs_droits.ae_trimestres, (30000, "bnc", 2026), (30000.0, "bnc", 2026.0)),
    ("ae_ca_trimestres", udfs_droits.ae_ca_trimestres, (4, "bnc", 2026), (4.0, "bnc", 2026.0)),
    ("ae_ij", udfs_droits.ae_ij, (30000, 30000, 30000, "bnc", dt.date(2026, 3, 1)),
     (30000.0, 30000.0, 30000.0, "bnc", S_2026_03_01, None)),
    ("ae_maternite", udfs_droits.ae_maternite, (30000, 30000, 30000, "bnc", dt.date(2026, 3, 1)),
     (30000.0, 30000.0, 30000.0, "bnc", S_2026_03_01, None, None)),
    ("ae_impot", udfs_droits.ae_impot, (30000, "bnc", 2025), (30000.0, "bnc", 2025.0, None, None, None)),
    ("ae_impot_vl", udfs_droits.ae_impot_vl, (30000, "bnc", 2025),
     (30000.0, "bnc", 2025.0, None, None, None, None)),
    ("ae_case_2042", udfs_droits.ae_case_2042, ("bnc",), ("bnc", None)),
    ("ae_date_depassement", udfs_droits.ae_date_depassement, (30000, "bnc", dt.date(2026, 6, 30)),
     (30000.0, "bnc", 46203.0, None, None)),
]


def per_call_us(call, number: int = 20000) -> float:
    """Best of REPEATS runs of ``number`` calls, in µs per call."""
    return min(timeit.repeat(call, number=number, repeat=REPEATS)) / number * 1e6


def baseline(ca, rate=0.212):
    return round(ca * rate, 2)


def through_xlwings(mode: str) -> tuple[float, dict[str, float]]:
    """µs per call of the reference and of each AE_* through xlwings' ``mode`` code, in one process."""
    def request(module: str, calls) -> list[dict]:
        done = subprocess.run([sys.executable, str(HARNESS), mode], capture_output=True, text=True, check=True,
                              input=json.dumps({"module": module, "calls": calls, "timing": 2000}), cwd=ROOT)
        return json.loads(done.stdout)["results"]

    def shaped(value):
        if mode == "classic":
            return {"missing": True} if value is None else value
        return None if value is None else [[value]]

    reference = request(str(REFERENCE), [["reference", [shaped(30000.0)]]])[0]["us"]
    costs = {}
    for module in (udfs.__name__, udfs_droits.__name__):
        cases = [case for case in CASES if case[1].__module__ == module]
        calls = [[label.split()[0].upper(), [shaped(v) for v in excel]] for label, _, _, excel in cases]
        for (label, *_), result in zip(cases, request(module, calls)):
            assert "us" in result, (label, result)
            costs[label] = result["us"]
    return reference, costs


SHEET = """
import json, resource, sys, time
t = time.perf_counter()
{imports}
for recalculation in range(2):  # the first calculation, then a recalculation of the same cells
    for ca in range(1000):
        {call}
print(json.dumps({{"seconds": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def whole_process(imports: str, call: str) -> dict:
    """A fresh interpreter computing 2 000 cells: wall time (start-up included) and peak RSS."""
    code = SHEET.format(imports=imports, call=call)
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}")
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        result = json.loads(done.stdout)
        result["wall"] = time.perf_counter() - started
        runs.append(result)
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]  # median


def main() -> int:
    get_rates()  # load and cache the bundled sheet first
    base = per_call_us(lambda: baseline(30000.0), number=200000)
    print(f"Python {sys.version.split()[0]} — meilleur de {REPEATS} répétitions, µs par appel "
          f"({os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f})")
    print(f"{'appel direct (Python)':24} {'valeurs Python':>15} {'façon xlwings':>14} {'sans mémo':>10}"
          f" {'× base':>7}")
    print(f"{'référence round(ca*0.212)':24} {base:15.3f} {'':>14} {'':>10} {1:7.1f}")
    missed = []
    for label, function, python, excel in CASES:
        for args in (python, excel):
            result = function(*args)
            assert not (isinstance(result, str) and result.startswith("Erreur")), (label, result)
        python_us = per_call_us(lambda: function(*python))
        excel_us = per_call_us(lambda: function(*excel))
        amounts = itertools.count(1000)  # every call a new CA: no memo hit
        fresh = ((next(amounts),) + python[1:]) if isinstance(python[0], int) else python
        fresh_us = per_call_us(lambda: function(*((next(amounts),) + python[1:])) if fresh is not python
                               else function(*python), number=5000)
        flag = ""
        if python_us > TARGET_PYTHON_US or excel_us > TARGET_XLWINGS_US:
            flag = f"  (cible ≤ {TARGET_PYTHON_US:g} / {TARGET_XLWINGS_US:g} µs MANQUÉE)"
            missed.append(label)
        print(f"{label:24} {python_us:15.3f} {excel_us:14.3f} {fresh_us:10.3f} {python_us / base:7.1f}{flag}")
    for mode, title in (("classic", "xlwings classique (call_udf)"), ("officejs", "Office.js / xlwings Lite")):
        reference, costs = through_xlwings(mode)
        print(f"\n{title} — chaque appel lu et écrit par xlwings, dans un nouveau processus")
        print(f"{'référence (même chemin)':24} {reference:15.3f} {1:14.1f}")
        for label, cost in costs.items():
            print(f"{label:24} {cost:15.3f} {cost / reference:14.2f}")
    print("\nProcessus complet (médiane de 5) : un interpréteur neuf importe les fonctions et calcule "
          "2 000 cellules (1 000 CA, puis un recalcul)")
    floor = whole_process("from udf_reference import reference", "reference(float(ca))")
    ours = whole_process("from xlae import udfs\nimport datetime as dt\nday = dt.date(2026, 3, 1)",
                         "udfs.ae_cotisations(float(ca), 'bnc', day)")
    print(f"{'':24} {'mur (s)':>10} {'dans le proc. (s)':>18} {'mém. (Mo)':>10}")
    for name, run in (("référence (xlwings)", floor), ("ae_cotisations", ours)):
        print(f"{name:24} {run['wall']:10.3f} {run['seconds']:18.3f} {run['rss_mb']:10.0f}")
    print(f"{'ratio':24} {ours['wall'] / floor['wall']:9.1f}× {ours['seconds'] / floor['seconds']:17.1f}× "
          f"{ours['rss_mb'] / floor['rss_mb']:9.1f}×")
    text = bundled_text()
    load_ms = min(timeit.repeat(load_rates, number=20, repeat=REPEATS)) / 20 * 1e3
    parse_ms = min(timeit.repeat(lambda: parse_rates(text, "intégré"), number=20, repeat=REPEATS)) / 20 * 1e3
    print(f"\nload_rates() sans cache (lecture + analyse du CSV) : {load_ms:.2f} ms ; parse_rates seul : "
          f"{parse_ms:.2f} ms")
    if missed:
        print("Cible manquée : " + ", ".join(missed))
        return 1
    print(f"Cible atteinte : chaque AE_* ≤ {TARGET_PYTHON_US:g} µs (valeurs Python) et ≤ {TARGET_XLWINGS_US:g} µs "
          "(façon xlwings) par appel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
