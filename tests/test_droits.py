"""Retirement quarters, sick pay (IJ) and maternity/paternity, against hand computations
from /work/shared/droits-impot.md (§1.3, §2.2, §3.3), as plain Python calls of the AE_* functions."""

from __future__ import annotations

import pytest

from xlae.udfs_droits import ae_ca_trimestres, ae_ij, ae_maternite, ae_trimestres

ERR = "Erreur : "

# --- quarters: CA for 1 and 4 quarters, per year and category (fact sheet §3.3) ----
# SSI: k × 150 × SMIC(1 Jan) / (1 − a), rounded up. 2026 BNC: 150 × 12.02 = 1 803 ; 1 803 / 0.66 = 2 731.8 → 2 732.
# Cipav: k × Cipav amount (2026: 4 × 2 860 = 11 440).
CA_MIN = {  # year: {activite: (1 quarter, 4 quarters)}
    2023: {"vente": (5830, 23318), "service_bic": (3381, 13524), "bnc": (2562, 10246), "bnc_cipav": (2571, 10284)},
    2024: {"vente": (6026, 24104), "service_bic": (3495, 13980), "bnc": (2648, 10591), "bnc_cipav": (2660, 10640)},
    2025: {"vente": (6145, 24580), "service_bic": (3564, 14256), "bnc": (2700, 10800), "bnc_cipav": (2694, 10776)},
    2026: {"vente": (6218, 24869), "service_bic": (3606, 14424), "bnc": (2732, 10928), "bnc_cipav": (2860, 11440)},
    # 2027: SMIC of 1 January 2027 UNCERTAIN, 12.31 kept (lower bounds of the fact sheet): 1 846.50 / 0.29 → 6 368
    2027: {"vente": (6368, 25469), "service_bic": (3693, 14772), "bnc": (2798, 11191), "bnc_cipav": (2860, 11440)},
}
CASES = [(y, a, k, ca) for y, by in CA_MIN.items() for a, (one, four) in by.items() for k, ca in ((1, one), (4, four))]


@pytest.mark.parametrize("annee,activite,nb,ca", CASES)
def test_ca_needed_for_quarters(annee, activite, nb, ca):
    assert ae_ca_trimestres(nb, activite, annee) == ca


@pytest.mark.parametrize("annee,activite,nb,ca", CASES)
def test_quarters_at_the_threshold_and_one_euro_under(annee, activite, nb, ca):
    assert ae_trimestres(ca, activite, annee) == nb
    assert ae_trimestres(ca - 1, activite, annee) == nb - 1


def test_quarters_examples():
    # BNC 2026, 30 000 €: 30 000 × 66 % = 19 800 ≥ 4 × 1 803 → 4 (capped at 4)
    assert ae_trimestres(30000, "bnc", 2026) == 4
    # Vente 2025, 15 000 €: 15 000 × 29 % = 4 350 ; 4 350 / 1 782 = 2.44 → 2
    assert ae_trimestres(15000, "vente", 2025) == 2
    # No 305 € floor: vente 1 000 € → 290 € of revenu (not 695), 0 quarter; 0 € → 0
    assert ae_trimestres(1000, "vente", 2026) == 0 and ae_trimestres(0, "bnc", 2026) == 0
    # Cipav 2026: 8 580 / 2 860 = 3 ; 8 579 → 2
    assert (ae_trimestres(8580, "cipav", 2026), ae_trimestres(8579, "cipav", 2026)) == (3, 2)
    # Mixed vente + services 2026: 4 000 × 29 % + 2 000 × 50 % = 1 160 + 1 000 = 2 160 ≥ 1 803 → 1
    assert ae_trimestres([[4000, 2000]], [["vente", "service_bic"]], 2026) == 1
    # ae_ca_trimestres(2) 2026 BIC services: 2 × 1 803 / 0.5 = 7 212 ; 0 quarter → 0 €
    assert ae_ca_trimestres(2, "service_bic", 2026) == 7212 and ae_ca_trimestres(0, "bnc", 2026) == 0


def test_only_the_smic_of_1_january_counts():
    # 2024: SMIC 11.65 on 1 Jan (11.88 from 1 Nov does not count): BNC 1 q = 1 747.50 / 0.66 = 2 647.7 → 2 648
    # 2025: SMIC 11.88 → 1 782 / 0.66 = 2 700 ; a 2 699 € CA validated one quarter in 2024, none in 2025
    assert ae_trimestres(2699, "bnc", 2024) == 1 and ae_trimestres(2699, "bnc", 2025) == 0


@pytest.mark.parametrize("args,fragment", [
    ((-1, "bnc", 2026), "ca : montant négatif"),
    ((1000, "bnc", 2022), "annee : 2022 est antérieure à la couverture"),
    ((1000, "astronaute", 2026), "activite : valeur « astronaute » refusée"),
    (([[1000, 1000]], [["bnc_cipav", "vente"]], 2026), "Cipav + autre catégorie"),
])
def test_quarters_bad_input(args, fragment):
    result = ae_trimestres(*args)
    assert isinstance(result, str) and result.startswith(ERR) and fragment in result


@pytest.mark.parametrize("nb", [5, -1, 1.5, "trois", None])
def test_ca_quarters_bad_count(nb):
    result = ae_ca_trimestres(nb, "bnc", 2026)
    assert result.startswith(ERR + "nb : valeur") and "nombre" in result


# --- IJ maladie (§1.3) -----------------------------------------------------------

def test_ij_example_of_the_issue():
    # 30 000 × 66 % = 19 800 each year ; RAAM 19 800 ; 19 800 / 730 = 27.12
    assert ae_ij(30000, 30000, 30000, "bnc", "2026-03-01") == 27.12


def test_ij_mean_of_three_different_years():
    # vente 2025 (N-1) 60 000 → 17 400 ; 2024 30 000 → 8 700 ; 2023 0 → 0 ; RAAM = 26 100 / 3 = 8 700
    # 8 700 / 730 = 11.917… → 11.92 (seuil 2026 4 582 : paid)
    assert ae_ij(60000, 30000, 0, "vente", "2026-01-15") == 11.92
    # the 305 € floor applies to the RAAM revenu: services 500 € → 500 − 305 = 195 ; with 20 000 and 20 000:
    # (10 000 + 10 000 + 195) / 3 = 6 731.67 ; / 730 = 9.221… → 9.22
    assert ae_ij(20000, 20000, 500, "service_bic", "2026-01-15") == 9.22


@pytest.mark.parametrize("date_arret,ssi,cipav", [
    # IJ max = PASS in force / 730 ; Cipav 3 PASS / 730
    ("2023-06-01", 60.26, 180.79),   # 43 992 / 730 = 60.263 ; 131 976 / 730 = 180.789
    ("2024-06-01", 63.52, 190.55),   # 46 368 / 730 = 63.518 ; 139 104 / 730 = 190.553
    ("2025-12-31", 64.52, 193.56),   # 47 100 / 730 = 64.520 ; 141 300 / 730 = 193.562
    ("2026-01-01", 65.84, 197.51),   # 48 060 / 730 = 65.836 ; 144 180 / 730 = 197.507
    ("2027-01-01", 65.84, 197.51),   # PASS 2027 UNCERTAIN: 48 060 kept
])
def test_ij_capped_at_the_pass_in_force(date_arret, ssi, cipav):
    assert ae_ij(500000, 500000, 500000, "bnc", date_arret) == ssi
    assert ae_ij(500000, 500000, 500000, "service_bic", date_arret) == ssi
    assert ae_ij(500000, 500000, 500000, "bnc_cipav", date_arret) == cipav


def test_ij_cipav_between_one_and_three_pass():
    # Cipav 2026, recettes 150 000 : 150 000 × 66 % = 99 000 ≤ 3 × 48 060 = 144 180 ; 99 000 / 730 = 135.62
    assert ae_ij(150000, 150000, 150000, "cipav", "2026-05-01") == 135.62
    # the same BNC SSI: capped at 48 060 → 65.84
    assert ae_ij(150000, 150000, 150000, "bnc", "2026-05-01") == 65.84


@pytest.mark.parametrize("annee,seuil,ca_vente", [
    # threshold = 10 % × mean PASS of the 3 reference years (CSS D622-8), equivalent vente CA = seuil / 0.29, up
    (2023, "4 113,60", 14185),   # (41 136 × 3) / 3 × 10 % = 4 113.60 ; 14 185 × 29 % = 4 113.65 ≥ 4 113.60
    (2024, "4 208,80", 14514),   # (41 136 + 41 136 + 43 992) / 3 × 10 % = 4 208.80 ; 14 514 × 29 % = 4 209.06
    (2025, "4 383,20", 15115),   # (41 136 + 43 992 + 46 368) / 3 × 10 % = 4 383.20 ; 15 115 × 29 % = 4 383.35
    (2026, "4 582", 15800),      # (43 992 + 46 368 + 47 100) / 3 × 10 % = 4 582 ; 15 800 × 29 % = 4 582
    (2027, "4 717,60", 16268),   # (46 368 + 47 100 + 48 060) / 3 × 10 % = 4 717.60 ; 16 268 × 29 % = 4 717.72
])
def test_ij_zero_threshold_at_and_one_euro_under(annee, seuil, ca_vente):
    on = f"{annee}-02-01"
    paid = ae_ij(ca_vente, ca_vente, ca_vente, "vente", on)
    assert paid == round(ca_vente * 0.29 / 730 + 1e-9, 2) and paid > 0
    assert ae_ij(ca_vente - 1, ca_vente - 1, ca_vente - 1, "vente", on) == 0
    text = ae_ij(ca_vente - 1, ca_vente - 1, ca_vente - 1, "vente", on, True)
    assert text.startswith("IJ nulle") and f"seuil de {seuil} €" in text and "D622-8" in text


def test_ij_text_says_which_condition_decided():
    capped = ae_ij(100000, 100000, 100000, "service_bic", "2026-03-02", "oui")
    assert "65,84 € par jour" in capped and "plafonné à 1 PASS 2026 (48 060 €)" in capped
    assert "carence de 3 jours" in capped
    plain = ae_ij(30000, 30000, 30000, "bnc", "2026-03-01", True)
    assert "RAAM 2023-2025 de 19 800 €" in plain and "sous le plafond" in plain


@pytest.mark.parametrize("args,fragment", [
    ((-5, 0, 0, "bnc", "2026-01-01"), "ca_n1 : montant négatif"),
    ((0, 0, -5, "bnc", "2026-01-01"), "ca_n3 : montant négatif"),
    ((0, 0, 0, "bnc", "2022-12-31"), "date_arret : le 31/12/2022 est antérieur à la couverture"),
    ((0, 0, 0, "bnc", "31/02/2026"), "date_arret : la date « 31/02/2026 » n'existe pas"),
    ((0, 0, 0, "plombier", "2026-01-01"), "activite : valeur « plombier » refusée"),
])
def test_ij_bad_input(args, fragment):
    result = ae_ij(*args)
    assert result.startswith(ERR) and fragment in result


# --- maternity and paternity (§2.2) ------------------------------------------------

@pytest.mark.parametrize("on,full,reduced,paternite", [
    # full: PMSS + 112 × round(PASS / 730) ; reduced: 10 % of each ; paternity: 25 × IJ
    ("2023-09-01", 10415.12, 1041.96, 1506.50),   # 3 666 + 112 × 60.26 = 10 415.12 ; 366.60 + 112 × 6.03 = 1 041.96
    ("2024-09-01", 10978.24, 1097.60, 1588.00),   # 3 864 + 112 × 63.52 ; 386.40 + 112 × 6.35 = 1 097.60
    ("2025-12-31", 11151.24, 1114.90, 1613.00),   # 3 925 + 112 × 64.52 ; 392.50 + 112 × 6.45 = 1 114.90
    ("2026-01-01", 11379.08, 1137.46, 1646.00),   # 4 005 + 112 × 65.84 ; 400.50 + 112 × 6.58 = 1 137.46
])
def test_maternity_full_reduced_and_paternity(on, full, reduced, paternite):
    assert ae_maternite(40000, 40000, 40000, "service_bic", on) == full
    assert ae_maternite(40000, 40000, 40000, "service_bic", on, "paternite") == paternite
    # vente 10 000 × 29 % = 2 900 < any threshold (≥ 4 113.60) → 10 %
    assert ae_maternite(10000, 10000, 10000, "vente", on) == reduced


def test_maternity_lengths_and_text():
    # 2026 third child: 4 005 + 182 × 65.84 = 4 005 + 11 982.88 = 15 987.88 ; twins 238 × 65.84 = 15 669.92 + 4 005
    assert ae_maternite(40000, 40000, 40000, "bnc", "2026-04-01", "maternite_3e_enfant") == 15987.88
    assert ae_maternite(40000, 40000, 40000, "bnc", "2026-04-01", "jumeaux") == 19674.92
    # multiple births paternity: 32 × 65.84 = 2 106.88
    assert ae_maternite(40000, 40000, 40000, "bnc", "2026-04-01", "Paternité multiple") == 2106.88
    text = ae_maternite(10000, 10000, 10000, "vente", "2026-04-01", None, True)
    assert "réduits à 10 %" in text and "D623-3" in text and "400,50 €" in text


@pytest.mark.parametrize("args,fragment", [
    ((0, 0, 0, "bnc", "2026-01-01", "adoption"), "conge : valeur « adoption » refusée"),
    ((0, -1, 0, "bnc", "2026-01-01"), "ca_n2 : montant négatif"),
    ((0, 0, 0, "bnc", "2021-01-01"), "date_conge : le 01/01/2021 est antérieur"),
])
def test_maternity_bad_input(args, fragment):
    result = ae_maternite(*args)
    assert result.startswith(ERR) and fragment in result
