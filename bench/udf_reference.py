"""The same-run reference of bench_udfs.py through xlwings: the smallest useful Excel function.

Registered with xlwings like the AE_* functions, so that the cost of xlwings'
own conversion path (argument reading, result writing) is measured apart from
ours.
"""

import xlwings as xw


@xw.func
def reference(ca):
    """Référence de mesure : ca × 0,212 arrondi au centime."""
    return round(ca * 0.212, 2)
