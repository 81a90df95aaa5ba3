"""The books of a workbook, one model for every command.

archive (file checks, zip limits) → calamine (read-only back end) or xl (an
openpyxl workbook in memory) → model (``Books``: parameters, ledgers, closings,
the Synthèse's formulas, every value with its place) → cells and parameters
(the one definition of a valid cell, row and parameter) ; write (the commands
that change a workbook replace only the sheets they change).
"""
