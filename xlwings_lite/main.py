"""xlwings Lite entry point: the AE_* functions of xlae in Excel for macOS, Windows and the web.

Paste this file into the ``main.py`` tab of xlwings Lite and the lines of
``requirements.txt`` into its ``requirements.txt`` tab. xlwings Lite registers
every decorated function it finds in this module; the functions themselves
(and their French help) live in ``xlae.udfs``.
"""

from xlae.udfs import (  # noqa: F401 — re-exported for xlwings Lite
    ae_abattement,
    ae_cfp,
    ae_cotisations,
    ae_depassement,
    ae_echeance,
    ae_plafond,
    ae_prorata,
    ae_revenu,
    ae_source,
    ae_taux,
    ae_tfc,
    ae_tva,
    ae_tva_seuil,
    ae_vl,
)
