"""Realistic scenarios from the fact sheet, hand-computed, against the AE_* functions and ``xlae simuler``.

OpenFisca style: one row per case, the computation in the comment, the expected
figure typed by hand from reglementation.md (never from xlae itself).
"""

from __future__ import annotations

import datetime as dt

import pytest

from xlae.cli import main
from xlae.udfs import (ae_abattement, ae_cfp, ae_cotisations, ae_depassement, ae_echeance, ae_plafond, ae_revenu,
                       ae_taux, ae_tfc, ae_tva, ae_vl)

D = dt.date
COL = lambda *values: [[v] for v in values]  # noqa: E731 - an Excel column range as xlwings hands it

# (scenario, function, args, expected)
CASES = [
    # 1. Services BIC 2026, CA 30 000, commerçant.
    ("services 2026 cotisations", ae_cotisations, (30000, "service_bic", "2026-05-31"), 6360.0),  # 30 000 × 21.2 % = 6 360
    ("services 2026 CFP", ae_cfp, (30000, "service_bic", "2026-05-31"), 60.0),            # 30 000 × 0.2 % = 60 (statute)
    ("services 2026 TFC", ae_tfc, (30000, "service_bic", "2026-05-31"), 13.2),            # 30 000 × 0.044 % = 13.20
    ("services 2026 revenu", ae_revenu, (30000, "service_bic", 2026), 15000.0),           # 30 000 − 50 % = 15 000
    # 2. Vente 2026, CA 120 000, VL.
    ("vente 2026 cotisations", ae_cotisations, (120000, "vente", "2026-12-31"), 14760.0),  # 120 000 × 12.3 % = 14 760
    ("vente 2026 CFP", ae_cfp, (120000, "vente", "2026-12-31"), 120.0),                   # 120 000 × 0.1 % = 120
    ("vente 2026 TFC", ae_tfc, (120000, "vente", "2026-12-31"), 18.0),                    # 120 000 × 0.015 % = 18
    ("vente 2026 VL", ae_vl, (120000, "vente", "2026-12-31"), 1200.0),                    # 120 000 × 1 % = 1 200
    ("vente 2026 abattement", ae_abattement, (120000, "vente", 2026), 85200.0),           # 120 000 × 71 % = 85 200
    # 3. BNC 2025, CA 40 000.
    ("bnc 2025 cotisations", ae_cotisations, (40000, "bnc", "2025-03-15"), 9840.0),       # 40 000 × 24.6 % = 9 840
    ("bnc 2025 revenu", ae_revenu, (40000, "bnc", 2025), 26400.0),                        # 40 000 − 34 % (13 600) = 26 400
    ("bnc 2025 VL", ae_vl, (40000, "bnc", "2025-03-15"), 880.0),                          # 40 000 × 2.2 % = 880
    # 4. BNC 2024 split on 1 July: 12 000 each half.
    ("bnc 2024 H1", ae_cotisations, (12000, "bnc", "2024-06-30"), 2532.0),                # 12 000 × 21.1 % = 2 532
    ("bnc 2024 H2", ae_cotisations, (12000, "bnc", "2024-07-01"), 2772.0),                # 12 000 × 23.1 % = 2 772
    ("cipav 2024 H2", ae_taux, ("bnc_cipav", "2024-07-01"), 0.232),                       # Cipav 21.2 % → 23.2 %
    # 5. ACRE BNC, creation 2026-03-01 (50 %), ends 2026-12-31 (Q1 + 3 quarters).
    ("acre bnc 50 % in", ae_taux, ("bnc", "2026-12-31", True, "2026-03-01"), 0.128),      # 25.6 % × 50 % = 12.8 %
    ("acre bnc 50 % after", ae_taux, ("bnc", "2027-01-01", True, "2026-03-01"), 0.256),   # window over: 25.6 %
    # 6. ACRE vente, creation 2026-07-01 (75 %, décret 2026-69), ends 2027-06-30 (Q3 + 3 quarters).
    ("acre vente 75 %", ae_cotisations, (10000, "vente", "2026-09-01", "oui", "2026-07-01"), 920.0),  # 12.3 × 75 % = 9.225 → 9.2 % ; × 10 000 = 920
    ("acre vente last day", ae_taux, ("vente", "2027-06-30", 1, "2026-07-01"), 0.092),
    ("acre vente over", ae_taux, ("vente", "2027-07-01", 1, "2026-07-01"), 0.123),
    ("acre 30/06 still 50 %", ae_taux, ("service_bic", "2026-06-30", 1, "2026-06-30"), 0.106),  # 21.2 × 50 % = 10.6 %
    # 7. Creation on the last day of a quarter: 2026-03-31 → ACRE until 2026-12-31.
    ("acre 31/03 last day", ae_taux, ("service_bic", "2026-12-31", "VRAI", "2026-03-31"), 0.106),
    ("acre 31/03 over", ae_taux, ("service_bic", "2027-01-01", "VRAI", "2026-03-31"), 0.212),
    # 8. Cipav with ACRE, creation 2026-09-10 (75 % share): fixed MS rate 13.4 %, not 75 % × 23.2 %.
    ("acre cipav fixed", ae_cotisations, (5000, "bnc_cipav", "2026-10-01", 1, "2026-09-10"), 670.0),  # 5 000 × 13.4 % = 670
    # 9. Prorata: services created 2026-08-01, 153 days (1 Aug → 31 Dec inclusive), ÷ 365.
    ("prorata 01/08", ae_plafond, ("service_bic", 2026, "2026-08-01"), 35043.29),          # 83 600 × 153 / 365 = 35 043.287…
    ("prorata 2025 creation", ae_plafond, ("bnc", 2025, "2025-08-01"), 35043.29),          # CA 2025 judged with the 2026 ceiling 83 600 × 153 / 365
    ("prorata leap 01/01", ae_plafond, ("vente", 2024, "2024-01-01"), 188700.0),          # 366 days capped at 365: full 2025 ceiling
    # 10. Tolerance: one year over kept, two consecutive years over → exit.
    ("one year over", ae_depassement, (36000, "service_bic", 2026, "2026-08-01"),
     "Premier dépassement (CA 2026 de 36 000 € > plafond 2027 de 35 043,29 € (proratisé)) : toléré, le régime "
     "micro est conservé en 2027 ; un second dépassement en 2027 ferait sortir du régime au 1er janvier 2028."),
    ("two years over", ae_depassement, (90000, "bnc", 2025, None, 84000),                 # 90 000 and 84 000 > 83 600
     "Deuxième année consécutive au-dessus du plafond (CA 2025 de 90 000 € > plafond 2026 de 83 600 € ; "
     "CA 2024 de 84 000 € également au-dessus) : sortie du régime micro au 1er janvier 2026."),
    # 11. Mixed activity, 305 € floor per fraction: vente 1 000 + services 100.
    ("mixed abattement", ae_abattement, (COL(1000, 100), COL("vente", "service_bic"), 2026), 810.0),  # 710 + min(100, 305) = 810
    ("mixed revenu", ae_revenu, (COL(1000, 100), COL("vente", "service_bic"), 2026), 290.0),          # 1 100 − 810 = 290
    # 12. Single activity floor: BNC 600 → 34 % = 204 < 305.
    ("floor 305", ae_revenu, (600, "bnc", 2026), 295.0),                                  # 600 − 305 = 295
    # 13. VAT: 2024 → 2025 transition and the day of the crossing.
    ("vat 2025 transition", ae_tva, (20000, 38000, "service_bic", 2025),                  # CA 2024 38 000 > base 2025 37 500
     "TVA due depuis le 1er janvier 2025 : CA de services 2024 de 38 000 € > seuil de 37 500 €."),
    ("vat 2024 month", ae_tva, (40000, 30000, "service_bic", 2024),                       # 40 000 > majoré 2024 39 100
     "TVA due à compter du 1er jour du mois du dépassement : CA de services 2024 de 40 000 € > seuil majoré de 39 100 €."),
    ("vat 2025 day", ae_tva, (42000, 30000, "bnc", 2025),                                 # 42 000 > majoré 2025 41 250
     "TVA due à compter du jour du dépassement : CA de services 2025 de 42 000 € > seuil majoré de 41 250 €."),
    # 14. Artisans: CFP 0.3 %, TFC CMA by department.
    ("artisan CFP", ae_cfp, (50000, "service_bic", "2026-04-01", "artisanale"), 150.0),    # 50 000 × 0.3 % = 150
    ("artisan TFC Moselle", ae_tfc, (50000, "service_bic", "2026-04-01", "artisanale", 57), 415.0),  # 50 000 × 0.83 % = 415
    ("artisan TFC general", ae_tfc, (50000, "service_bic", "2026-04-01", "artisanale", "75"), 240.0),  # 50 000 × 0.48 % = 240
    ("artisan resale Alsace", ae_tfc, (20000, "vente", "2026-04-01", "artisanale", "Bas-Rhin"), 58.0),  # 20 000 × 0.29 % = 58
    ("liberal no TFC", ae_tfc, (50000, "bnc", "2026-04-01"), 0.0),
    # 15. DROM services, created 2025-02-01 (Q1 2025 = 1st quarter).
    ("drom P1", ae_cotisations, (10000, "service_bic", "2026-06-01", None, "2025-02-01", "drom"), 360.0),  # Q2 2026 = 6th quarter: 3.6 %
    ("drom P2", ae_taux, ("service_bic", "2027-01-15", None, "2025-02-01", "Réunion"), 0.106),  # 9th quarter, 3rd calendar year: 10.6 %
    ("drom after", ae_taux, ("service_bic", "2028-03-01", None, "2025-02-01", "drom"), 0.142),  # 4th calendar year: 14.2 %
    ("drom no acre", ae_taux, ("service_bic", "2026-06-01", True, "2025-02-01", "drom"), 0.036),  # ACRE not cumulable
    # 16. Due dates.
    ("first monthly", ae_echeance, ("2025-03-06", "mensuelle", "2025-03-06"), D(2025, 7, 31)),  # March + 3 months → 30/06, due 31/07
    ("first monthly SP", ae_echeance, ("2025-12-10", "mensuelle", "2025-09-15"), D(2026, 1, 31)),  # Sept → Dec, due January
    ("first quarterly", ae_echeance, ("2026-05-20", "trimestrielle", "2026-01-10"), D(2026, 7, 31)),  # Q1 + Q2, due 31/07
    ("Q4 → 31 January", ae_echeance, ("2026-11-15", "trimestrielle", "2024-02-01"), D(2027, 1, 31)),
    ("monthly May", ae_echeance, ("2026-05-15", "m"), D(2026, 6, 30)),
]


@pytest.mark.parametrize("function,args,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scenario(function, args, expected):
    assert function(*args) == expected


# (arguments of xlae simuler, lines expected in its report)
SIMULATIONS = [
    # A. BNC 2024, CA 24 000 spread over 12 months: 12 000 × 21.1 % = 2 532 ; 12 000 × 23.1 % = 2 772 ; total 5 304.
    (["--activite", "bnc", "--ca", "24000", "--annee", "2024"],
     ["  Total cotisations sociales : 5 304,00 €",
      "CFP (0,200 %) : 48,00 €",                           # 24 000 × 0.2 %
      "Total à payer sur l'année : 5 352,00 €"]),          # 5 304 + 48
    # B. Services, created 2025-06-10 with ACRE (ends Q2 2025 + 3 = 2026-03-31); year 2026, CA 24 000:
    #    Jan-Mar 6 000 × 10.6 % = 636 ; Apr-Dec 18 000 × 21.2 % = 3 816 ; total 4 452 ;
    #    CFP 24 000 × 0.2 % = 48 ; TFC 24 000 × 0.044 % = 10.56 ; total 4 510.56.
    (["--activite", "service_bic", "--ca", "24000", "--annee", "2026", "--acre", "--date-creation", "2025-06-10"],
     ["  Total cotisations sociales : 4 452,00 €",
      "TFC (0,044 %) : 10,56 €",
      "Total à payer sur l'année : 4 510,56 €"]),
    # C. Vente created 2026-08-01, CA 50 000: ceiling 203 100 × 153 / 365 = 85 135.07 ; 50 000 / 85 135.07 = 58.7 %.
    (["--activite", "vente", "--ca", "50000", "--annee", "2026", "--date-creation", "2026-08-01"],
     ["Création le 01/08/2026 : prorata 153/365 = 41,92 %",
      "CA encaissé : 50 000,00 € — 58,7 % du plafond ; marge restante : 35 135,07 €"]),
    # D. BNC 2026 with VL, CA 30 000: 30 000 × 25.6 % = 7 680 ; CFP 60 ; VL 2.2 % = 660 ; total 8 400.
    (["--activite", "bnc", "--ca", "30000", "--annee", "2026", "--vl"],
     ["  Total cotisations sociales : 7 680,00 €",
      "Versement libératoire (2,2 %) : 660,00 €",
      "  Condition : revenu fiscal de référence 2024 ≤ 29 315 € par part (+50 % par demi-part, +25 % par quart "
      "de part) et CA de l'année précédente sous les plafonds.",
      "Total à payer sur l'année : 8 400,00 €"]),
]


@pytest.mark.parametrize("argv,expected", SIMULATIONS, ids=["bnc-2024", "acre-ending", "prorata", "vl"])
def test_simuler_scenario(argv, expected, capsys):
    assert main(["simuler", *argv]) == 0
    lines = capsys.readouterr().out.replace("\u202f", " ").replace("\u00a0", " ").splitlines()
    for line in expected:
        assert line in lines
