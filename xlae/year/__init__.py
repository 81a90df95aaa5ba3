"""The year's computation: what a workbook's books give for one civil year.

Why: the Synthèse's cached values, ``xlae declaration``, ``xlae bilan``, the batch
report and ``xlae simuler`` must show the same declarations, so there is one
computation of them (``declarations``), fed with the CA of each month and category
and with the rates in force at the end of each month. The adapters decide which
receipts count (the Synthèse mirrors its formulas, the ledger commands refuse a row
they cannot read); they never round or cut a declaration themselves.
"""
