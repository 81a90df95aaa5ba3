"""Batch recalculation of filled workbooks (``xlae recalculer``, ``xlae demo``).

reader (calamine, file checks) → summary (the template's description of the
summary sheet) → writer/xlsx (cached values into a raw copy of the zip) →
report (rapport.xlsx/.csv, terminal table); runner and batch orchestrate.
"""
