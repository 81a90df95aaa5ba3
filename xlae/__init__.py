"""xlae — les règles des micro-entrepreneurs français dans Excel.

Layout: ``xlae.rates`` (the bundled rates sheet, data) → ``xlae.rules`` (pure
functions) → adapters (``xlae.udfs`` for Excel, ``xlae.cli`` for the terminal).
"""

__version__ = "0.1.0"
