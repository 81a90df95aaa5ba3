"""The per-call memo of the AE_* functions (``xlae.excel``): a hit is one dictionary lookup,
and it never returns the result of other arguments, of another rates sheet or of another day.

Why: a workbook recalculation asks the same cells thousands of times (≤ 3 µs per call,
bench/bench_udfs.py); a memo keyed on values alone would answer AE_COTISATIONS(VRAI; …)
with the result of AE_COTISATIONS(1; …) (VRAI = 1 in Python), a silent wrong number.
"""

from __future__ import annotations

import datetime as dt

import pytest

from xlae import excel, udfs
from xlae.rates import bundled_text, get_rates, set_rates_path

MARCH = dt.date(2026, 3, 1)


def test_true_is_not_one_for_the_memo() -> None:
    udfs.ae_cotisations.cache_clear()
    assert udfs.ae_cotisations(1, "bnc", MARCH) == 0.26  # 1 × 25,6 % = 0,256 → 0,26
    assert udfs.ae_cotisations(True, "bnc", MARCH).startswith("Erreur : ca : valeur « True » refusée")
    assert udfs.ae_cotisations(1.0, "bnc", MARCH) == 0.26
    assert udfs.ae_cotisations(True, "bnc", MARCH).startswith("Erreur : ca :")  # errors are never kept


def test_ranges_bypass_the_memo_and_spill() -> None:
    # 1 000 × 25,6 % + 2 000 × 12,3 % (vente, 2026) = 256 + 246 = 502
    assert udfs.ae_cotisations([[1000], [2000]], [["bnc"], ["vente"]], MARCH) == 502.0
    assert udfs.ae_cotisations((1000,), ("bnc",), MARCH) == 256.0  # a 1×1 range is its cell


def test_another_rates_sheet_is_never_answered_from_the_memo(bareme_file) -> None:
    before = udfs.ae_cotisations(30000, "bnc", MARCH)
    assert before == 7680.0  # 30 000 × 25,6 %
    header, *rows = bundled_text().splitlines()
    changed = [r.replace(",0.256,", ",0.3,", 1) if r.startswith("taux_cotisations,bnc,metropole,2026-01-01")
               else r for r in rows]
    assert changed != rows
    set_rates_path(bareme_file("\n".join([header, *changed]) + "\n"))
    assert udfs.ae_cotisations(30000, "bnc", MARCH) == 9000.0  # 30 000 × 30 %
    set_rates_path(None)
    assert udfs.ae_cotisations(30000, "bnc", MARCH) == before


def test_a_new_day_starts_the_memo_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty date means today: after midnight the cell is computed again."""
    get_rates()
    calls = []
    real = udfs.ae_echeance.__wrapped__

    def counting(date_periode=None, periodicite=None, date_creation=None):
        calls.append(date_periode)
        return real(date_periode, periodicite, date_creation)

    probe = excel.excel_function(date_periode="x", periodicite="y", date_creation="z")(counting)
    probe(MARCH)
    probe(MARCH)
    assert len(calls) == 1
    monkeypatch.setattr(excel._MEMO, "midnight", 0.0)  # as if midnight had just passed
    probe(MARCH)
    assert len(calls) == 2
    probe(MARCH)
    assert len(calls) == 2
