"""Pure rules of the micro-entrepreneur regime: no Excel, no file I/O.

Each rule reads its figures from the rates sheet (``xlae.rates``) by date and
raises ``xlae.errors.XlaeError`` with a French message on bad input.
"""
