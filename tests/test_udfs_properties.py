"""Property-based: whatever a cell holds, every AE_* function answers a value or a French error.

Never a traceback (in Excel it would be an English Python traceback in the cell),
never NaN or an infinite number presented as a figure.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlae import udfs, udfs_droits

WORDS = ["vente", "service_bic", "bnc", "bnc_cipav", "BNC", "Libéral", "oui", "non", "VRAI", "mensuelle",
         "trimestrielle", "drom", "mayotte", "metropole", "commerciale", "artisanale", "liberale", "57",
         "plafond_ca", "taux_cotisations", "2026", "01/03/2026", "2026-03-01", "31/02/2026", "1 234,56",
         "#N/A", "²", "", " ", "9999", "99999999999999999999999999999"]
CELL = st.one_of(
    st.none(), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=3e6),  # amounts and Excel serials
    st.integers(min_value=-10**30, max_value=10**30),
    st.sampled_from(WORDS), st.text(max_size=12),
    st.dates(), st.datetimes(),
)
RANGE = st.lists(st.lists(CELL, min_size=1, max_size=3), min_size=1, max_size=3)
ROW = st.lists(CELL, min_size=1, max_size=3)
VALUE = st.one_of(CELL, CELL, CELL, RANGE, ROW)


def acceptable(result) -> bool:
    if isinstance(result, str):
        return not result.startswith("Erreur") or (result.startswith("Erreur : ") and " : " in result[9:])
    if isinstance(result, float):
        return math.isfinite(result)
    if isinstance(result, dt.date):
        return True
    if isinstance(result, list):
        return all(isinstance(row, list) and all(acceptable(c) for c in row) for row in result)
    return False


def _check(module, name: str, data) -> None:
    function = getattr(module, name)
    count = len(inspect.signature(function).parameters)
    args = [data.draw(VALUE, label=f"arg{i}") for i in range(count)]
    result = function(*args)
    assert acceptable(result), (name, args, result)


def _make(module, name: str):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test(data):
        _check(module, name, data)

    test.__name__ = f"test_{name}_never_raises"
    return test


for _module in (udfs, udfs_droits):
    for _name in _module.__all__:
        globals()[f"test_{_name}_never_raises"] = _make(_module, _name)
