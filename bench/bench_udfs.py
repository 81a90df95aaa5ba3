"""Per-call cost of the Excel functions, and the rates-sheet load time.

Run:  python bench/bench_udfs.py
Prints the best of several repeats (µs per call) and the ratio to a baseline
measured in the same run: a bare Python function ``round(ca * 0.212, 2)``.
Target (issue 3): ae_cotisations and ae_plafond under 5 µs per call with
Python values and cached rates. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlae.rates import bundled_text, get_rates, load_rates, parse_rates  # noqa: E402
from xlae.udfs import ae_cotisations, ae_plafond, ae_taux  # noqa: E402

TARGET_US = 5.0
REPEATS = 7


def per_call_us(function, args, number: int = 20000) -> float:
    """Best of REPEATS runs of ``number`` calls, in µs per call."""
    best = min(timeit.repeat(lambda: function(*args), number=number, repeat=REPEATS))
    return best / number * 1e6


def baseline(ca, rate=0.212):
    return round(ca * rate, 2)


def main() -> int:
    get_rates()  # load and cache the bundled sheet first
    base = per_call_us(baseline, (30000.0,), number=200000)
    print(f"Python {sys.version.split()[0]} — meilleur de {REPEATS} répétitions")
    print(f"{'mesure':58} {'µs/appel':>9} {'× base':>8}")
    print(f"{'référence : round(ca * 0.212, 2)':58} {base:9.3f} {1:8.1f}")
    cases = [
        ("ae_cotisations(30000, 'service_bic', date)", ae_cotisations,
         (30000, "service_bic", dt.date(2026, 3, 1)), True),
        ("ae_cotisations ACRE (…, 'oui', date_creation)", ae_cotisations,
         (30000, "bnc", dt.date(2026, 5, 1), True, dt.date(2026, 3, 1)), False),
        ("ae_cotisations façon xlwings (30000.0, …, 46082.0)", ae_cotisations,
         (30000.0, "service_bic", 46082.0, None, None, None), False),
        ("ae_plafond('bnc', 2026, date)", ae_plafond, ("bnc", 2026, dt.date(2026, 3, 1)), True),
        ("ae_plafond façon xlwings ('bnc', 2026.0, 46082.0)", ae_plafond, ("bnc", 2026.0, 46082.0), False),
        ("ae_taux('vente', date)", ae_taux, ("vente", dt.date(2026, 3, 1)), False),
    ]
    missed = []
    for label, function, args, targeted in cases:
        assert not isinstance(function(*args), str), function(*args)  # a figure, not an error
        cost = per_call_us(function, args)
        flag = ("  (cible < 5 µs : OK)" if cost < TARGET_US else "  (cible < 5 µs : MANQUÉE)") if targeted else ""
        if targeted and cost >= TARGET_US:
            missed.append(label)
        print(f"{label:58} {cost:9.3f} {cost / base:8.1f}{flag}")
    text = bundled_text()
    load_ms = min(timeit.repeat(load_rates, number=20, repeat=REPEATS)) / 20 * 1e3
    parse_ms = min(timeit.repeat(lambda: parse_rates(text, "intégré"), number=20, repeat=REPEATS)) / 20 * 1e3
    print(f"{'load_rates() sans cache (lecture + analyse du CSV)':58} {load_ms * 1000:9.1f} "
          f"{load_ms * 1000 / base:8.0f}   = {load_ms:.2f} ms")
    print(f"{'parse_rates(texte) seul':58} {parse_ms * 1000:9.1f} {parse_ms * 1000 / base:8.0f}   = {parse_ms:.2f} ms")
    if missed:
        print("Cible manquée : " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
