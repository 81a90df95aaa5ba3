"""Ledger tools: bank-statement import, legal checks, URSSAF declaration, period closing.

Adapters over the template workbook (``xlae.template.layout``): they read and
write the livre des recettes and the registre des achats with openpyxl and
compute every figure with ``xlae.rules``.
"""
