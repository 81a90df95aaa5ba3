"""The AE_* Excel functions, called with Python values and the way xlwings hands
values over (floats for dates and numbers, None for empty cells, 2-D lists for
ranges, "oui"/"non", 1/0, TRUE/FALSE). Bad input returns the "Erreur : …" text."""

from __future__ import annotations

import datetime as dt

import pytest

from xlae import udfs
from xlae.udfs import (ae_abattement, ae_cfp, ae_cotisations, ae_depassement, ae_echeance, ae_plafond,
                       ae_prorata, ae_revenu, ae_source, ae_taux, ae_tfc, ae_tva, ae_tva_seuil, ae_vl)

# Excel serial numbers (1899-12-30 + n days): 45292 = 2024-01-01, 45474 = 2024-07-01,
# 45722 = 2025-03-06, 46023 = 2026-01-01, 46082 = 2026-03-01.
S_2024_07_01, S_2025_03_06, S_2026_01_01, S_2026_03_01 = 45474.0, 45722.0, 46023.0, 46082.0
COL = lambda *cells: [[c] for c in cells]  # noqa: E731 - a vertical range as xlwings passes it


def test_every_exported_function_is_covered_here():
    tested = {name for name in globals() if name.startswith("ae_")}
    assert set(udfs.__all__) == tested


@pytest.mark.parametrize("name", udfs.__all__)
def test_functions_have_french_help(name):
    doc = getattr(udfs, name).__doc__
    assert doc and len(doc) > 30
    assert any(word in doc for word in (" de ", " du ", " en ", " la "))


# --- AE_PLAFOND / AE_PRORATA ---------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("service_bic", 2026), 83600.0),
    (("vente", 2025.0), 203100.0),              # xlwings floats; CA 2025 judged with the 2026 ceiling
    (("vente", 2024.0), 188700.0),              # CA 2024 judged with the 2025 ceiling
    (("BNC", "2026", None), 83600.0),            # empty cell → None
    (("Libéral", 2026.0, ""), 83600.0),
    (("bnc", 2026.0, S_2026_03_01), 70086.58),  # 83 600 × 306 / 365 = 70 086.575…
    (("bnc", 2026, "01/07/2026"), 42143.56),    # 83 600 × 184 / 365 = 42 143.561…
    (("vente", 2024.0, S_2024_07_01), 95125.48),  # 188 700 × 184 / 365 (leap year, ÷ 365)
    (("vente", 2024, dt.datetime(2024, 1, 1)), 188700.0),  # 366 days capped: full ceiling
    (("service_bic", 2026, "2026-12-31"), 229.04),  # 83 600 / 365 = 229.041…
    (("bnc", 2031), 83600.0),                   # after the newest rates: newest values
    ((COL("vente", "bnc"), 2026), 203100.0),    # mixed range: the global (sales) ceiling
])
def test_ae_plafond(args, expected):
    assert ae_plafond(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((S_2026_03_01, 2026.0), 306 / 365),
    (("2024-01-01", 2024), 1.0),
    (("2024-07-01", 2024), 184 / 365),
    (("31/12/2024", 2024.0), 1 / 365),
    (("2026-01-01", 2026), 1.0),
    (("2026-07-01", 2026), 184 / 365),
    (("2026-12-31", 2026), 1 / 365),
    (("2025-05-01", 2026), 1.0),
    (("2027-01-01", 2026), 0.0),
])
def test_ae_prorata(args, expected):
    assert ae_prorata(*args) == pytest.approx(expected, abs=1e-15)


# --- AE_ABATTEMENT / AE_REVENU -----------------------------------------------------

@pytest.mark.parametrize("args,abattement,revenu", [
    ((1000.0, "vente", 2026.0), 710.0, 290.0),
    ((100, "vente", 2026), 100.0, 0.0),           # never above the CA
    ((897, "bnc", 2026), 305.0, 592.0),           # 897 × 34 % = 304.98 < 305
    ((42000.0, "bnc", 2026), 14280.0, 27720.0),
    ((None, "bnc", 2026), 0.0, 0.0),              # empty cell
    (("1 234,56", "vente", "2026"), 876.54, 358.02),
    ((COL(1000.0, 100.0), COL("vente", "service_bic"), 2026.0), 810.0, 290.0),  # fact sheet example
    ((COL(1000.0, None), COL("vente", None), 2026.0), 710.0, 290.0),
])
def test_ae_abattement_and_revenu(args, abattement, revenu):
    assert ae_abattement(*args) == abattement
    assert ae_revenu(*args) == revenu


# --- AE_TAUX / AE_COTISATIONS --------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("vente", S_2026_03_01), 0.123),
    (("bnc", "2024-06-30"), 0.211), (("bnc", "2024-07-01"), 0.231),
    (("bnc", "31/12/2024"), 0.231), (("bnc", "01/01/2025"), 0.246),
    (("bnc", "2025-12-31"), 0.246), (("bnc", S_2026_01_01), 0.256),
    (("bnc_cipav", "2024-06-30"), 0.212), (("Cipav", "2024-07-01"), 0.232),
    (("bnc", "2031-06-01"), 0.256),
    (("vente", "2026-05-01", "oui", "2026-03-01"), 0.062),         # 12.3 × 50 % = 6.15 → 6.2 %
    (("vente", S_2026_03_01, True, S_2026_03_01), 0.062),
    (("vente", "2026-12-31", 1.0, "2026-03-01"), 0.062),            # last day of ACRE
    (("vente", "2027-01-01", "OUI", "2026-03-01"), 0.123),          # ACRE over
    (("vente", "2026-09-01", "oui", "15/08/2026"), 0.092),          # 75 %: 9.225 → 9.2 %
    (("vente", "2027-06-30", "oui", "15/08/2026"), 0.092),
    (("vente", "2027-07-01", "oui", "15/08/2026"), 0.123),
    (("bnc", "2026-06-30", "oui", "2026-06-30"), 0.128),            # 25.6 × 50 %
    (("bnc", "2026-07-01", "oui", "2026-07-01"), 0.192),            # 25.6 × 75 %
    (("bnc_cipav", "2026-05-01", "oui", "2026-03-01"), 0.134),      # Cipav fixed ACRE rate
    (("vente", "2026-05-01", "non", "2026-03-01"), 0.123),
    (("vente", "2026-05-01", 0.0, None), 0.123),
    (("vente", "2026-05-01", False, None), 0.123),
    (("service_bic", "2026-05-01", None, "2026-03-01", "DROM"), 0.036),
    (("service_bic", "2026-05-01", "oui", "2026-03-01", "drom"), 0.036),  # no ACRE on DROM rates
    (("vente", "2028-01-01", None, "2026-03-01", "Mayotte"), 0.062),      # Q1 2026 + 8 → P2
])
def test_ae_taux(args, expected):
    assert ae_taux(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((30000.0, "service_bic", "2026-01-01"), 6360.0),        # 30 000 × 21.2 %
    ((15, "vente", S_2026_01_01), 1.85),                     # 1.845 rounded half up
    ((42000, "bnc", "2024-06-30"), 8862.0),                  # 42 000 × 21.1 %
    ((42000, "bnc", "2024-07-01"), 9702.0),                  # 42 000 × 23.1 %
    ((10000, "bnc", "2026-07-01", "oui", "2026-07-01"), 1920.0),   # × 19.2 %
    ((10000, "vente", "2026-09-01", 1, "2026-08-15"), 920.0),      # × 9.2 %
    ((COL(10000.0, 10000.0), COL("vente", "bnc"), "2026-01-01"), 3790.0),  # 1 230 + 2 560
    # mixed with ACRE: 1 000 × 6.2 % + 1 000 × 10.6 % = 62 + 106
    ((COL(1000.0, 1000.0), COL("vente", "service_bic"), "2026-05-01", True, "2026-03-01"), 168.0),
    ((None, "bnc", "2026-01-01"), 0.0),
])
def test_ae_cotisations(args, expected):
    assert ae_cotisations(*args) == expected


# --- AE_CFP / AE_TFC / AE_VL -----------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    ((10000.0, "vente", "2026-01-01"), 10.0),                 # 0.1 %
    ((10000.0, "service_bic", "2026-01-01"), 20.0),           # 0.2 % (contested, statute)
    ((10000.0, "service_bic", "2026-01-01", "artisanale"), 30.0),
    ((10000.0, "bnc", "2026-01-01", None), 20.0),
    ((COL(10000.0, 10000.0), COL("vente", "service_bic"), "2026-01-01"), 30.0),  # 10 + 20
])
def test_ae_cfp(args, expected):
    assert ae_cfp(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((10000.0, "service_bic", "2026-01-01"), 4.4),                            # CCI 0.044 %
    ((10000.0, "vente", "2026-01-01", None, None), 1.5),                      # CCI 0.015 %
    ((10000.0, "service_bic", "2026-01-01", "artisanale", 57.0), 83.0),       # Moselle 0.83 %
    ((10000.0, "service_bic", "2026-01-01", "artisanale", "Bas-Rhin"), 65.0),
    ((10000.0, "vente", "2026-01-01", "artisanale", "68"), 29.0),
    ((10000.0, "service_bic", "2026-01-01", "artisanale", 75.0), 48.0),
    ((10000.0, "bnc", "2026-01-01"), 0.0),                                    # liberal: none
])
def test_ae_tfc(args, expected):
    assert ae_tfc(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((10000.0, "vente", "2026-01-01"), 100.0),
    ((10000.0, "service_bic", S_2026_01_01), 170.0),
    ((10000.0, "bnc", "2023-01-01"), 220.0),
    ((COL(10000.0, 10000.0), COL("vente", "service_bic"), "2026-01-01"), 270.0),  # 100 + 170
])
def test_ae_vl(args, expected):
    assert ae_vl(*args) == expected


# --- AE_TVA_SEUIL / AE_TVA ----------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("vente", 2024), 91900.0), (("vente", 2025.0), 85000.0),
    (("vente", 2024, True), 101000.0), (("vente", 2025, "oui"), 93500.0),
    (("bnc", 2024.0, 1.0), 39100.0), (("bnc", 2025, "non"), 37500.0), (("bnc", 2025, None), 37500.0),
    (("service_bic", "2026", "VRAI"), 41250.0),
    ((COL("vente", "bnc"), 2026), 85000.0),
])
def test_ae_tva_seuil(args, expected):
    assert ae_tva_seuil(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((30000.0, 20000.0, "bnc", 2026.0), "Franchise en base de TVA en 2026, maintenue en 2027 (CA de services 2026 de 30 000 € ≤ 37 500 €)."),
    ((None, None, "bnc", 2026), "Franchise en base de TVA en 2026, maintenue en 2027 (CA de services 2026 de 0 € ≤ 37 500 €)."),
    ((41251.0, 10000.0, "bnc", 2026),
     "TVA due à compter du jour du dépassement : CA de services 2026 de 41 251 € > seuil majoré de 41 250 €."),
    ((1000.0, 37501.0, "bnc", 2026),
     "TVA due depuis le 1er janvier 2026 : CA de services 2025 de 37 501 € > seuil de 37 500 €."),
    ((39101.0, 1000.0, "service_bic", 2024),
     "TVA due à compter du 1er jour du mois du dépassement : CA de services 2024 de 39 101 € > "
     "seuil majoré de 39 100 €."),
    ((COL(60000.0, 30000.0), COL(50000.0, 20000.0), COL("vente", "service_bic"), 2026),
     "Franchise en 2026, perdue au 1er janvier 2027 : CA global 2026 de 90 000 € > seuil de 85 000 € ; "
     "ne pas dépasser 93 500 € cette année."),
])
def test_ae_tva(args, expected):
    assert ae_tva(*args) == expected


# --- AE_DEPASSEMENT ------------------------------------------------------------------------------

def test_ae_depassement_under():
    assert ae_depassement(41800.0, "bnc", 2026.0) == (
        "Sous le plafond : 50,0 % utilisé ; régime micro maintenu en 2027.")  # 41 800 / 83 600


def test_ae_depassement_first_year_over_tolerated():
    assert ae_depassement(90000.0, "bnc", 2025.0, None, 50000.0).startswith(
        "Premier dépassement (CA 2025 de 90 000 € > plafond 2026 de 83 600 €) : toléré")


def test_ae_depassement_second_year_over_exits():
    assert ae_depassement(90000.0, "bnc", 2025, "", 84000.0).endswith(
        "sortie du régime micro au 1er janvier 2026.")


def test_ae_depassement_previous_year_unknown():
    assert ae_depassement(83601.0, "bnc", 2025).startswith(
        "Dépassement en 2025 (CA 2025 de 83 601 € > plafond 2026 de 83 600 €). CA 2024 non renseigné")


def test_ae_depassement_creation_year_prorated():
    # created 20/10/2025: 83 600 × 73 / 365 = 16 720
    assert ae_depassement(16720.0, "bnc", 2025, "20/10/2025").startswith("Sous le plafond : 100,0 % utilisé")
    assert ae_depassement(16721.0, "bnc", 2025, "20/10/2025").startswith(
        "Premier dépassement (CA 2025 de 16 721 € > plafond 2026 de 16 720 € (proratisé))")


def test_ae_depassement_mixed_range():
    message = ae_depassement(COL(150000.0, 90000.0), COL("vente", "service_bic"), 2025)
    assert "CA global 2025 de 240 000 € > plafond 2026 de 203 100 €" in message
    assert "CA de prestations de services 2025 de 90 000 € > plafond 2026 de 83 600 €" in message


# --- AE_ECHEANCE / AE_SOURCE -------------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("2025-03-06", "mensuelle", "2025-03-06"), dt.date(2025, 7, 31)),   # first declaration
    ((S_2025_03_06, None, S_2025_03_06), dt.date(2025, 7, 31)),
    (("15/09/2025", "M", "15/09/2025"), dt.date(2026, 1, 31)),
    (("2025-01-10", "trimestrielle", "2025-01-10"), dt.date(2025, 7, 31)),
    (("2026-11-05", "Trimestriel"), dt.date(2027, 1, 31)),                # Q4 → 31 January N+1
    (("2026-05-15", None, None), dt.date(2026, 6, 30)),
    (("2026-05-15", "", "2020-01-01"), dt.date(2026, 6, 30)),             # created before 2023
])
def test_ae_echeance(args, expected):
    assert ae_echeance(*args) == expected


def test_ae_source():
    assert ae_source("taux_cotisations", "bnc", "2026-01-01").startswith(
        "taux_cotisations [bnc/metropole] = 0.256 taux depuis le 01/01/2026 (vérifié) — Décret 2025-943")
    assert ae_source("plafond_ca", "BNC", "2026-01-01").startswith("plafond_ca [bnc/toutes] = 83600 EUR")
    assert "(incertain)" in ae_source("cfp_taux", "commerciale_service", "2026-01-01")
    assert ae_source("tfc_taux", "artisanale_service", "2026-01-01", "Alsace").startswith(
        "tfc_taux [artisanale_service/alsace] = 0.0065")
    assert ae_source("inconnu").startswith(
        "Erreur : parametre : « inconnu » inconnu. Paramètres du barème : abattement_minimum,")


# --- bad input: the cell shows the French message ------------------------------------------------------

@pytest.mark.parametrize("call,fragments", [
    (lambda: ae_plafond("xx", 2026), ["activite : valeur « xx » refusée", "vente, service_bic, bnc, bnc_cipav"]),
    (lambda: ae_taux("boulangerie", "2026-01-01"), ["activite : valeur « boulangerie » refusée"]),
    (lambda: ae_cotisations(-1, "bnc", "2026-01-01"), ["ca : montant négatif « -1 » refusé"]),
    (lambda: ae_cotisations("beaucoup", "bnc", "2026-01-01"),
     ["ca : valeur « beaucoup » refusée", "un montant en euros"]),
    (lambda: ae_abattement(-5.0, "vente", 2026), ["ca : montant négatif « -5.0 » refusé"]),
    (lambda: ae_cotisations(1000, "bnc", "31/02/2026"), ["date_periode : la date « 31/02/2026 » n'existe pas."]),
    (lambda: ae_plafond("bnc", 2026, "31/02/2026"), ["date_creation : la date « 31/02/2026 » n'existe pas."]),
    (lambda: ae_cotisations(1000, "bnc", "2022-06-01"),
     ["date_periode : le 01/06/2022 est antérieur à la couverture du barème (à partir du 01/01/2023)."]),
    (lambda: ae_taux("bnc", 44743.0), ["date_periode : le 01/07/2022 est antérieur à la couverture"]),
    (lambda: ae_plafond("bnc", 2022), ["annee : 2022 est antérieure à la couverture du barème (à partir du 01/01/2023)."]),
    (lambda: ae_abattement(1000, "bnc", 2022.0), ["annee : 2022"]),
    (lambda: ae_tva_seuil("bnc", 2021), ["annee : 2021"]),
    (lambda: ae_depassement(1000, "bnc", 2022), ["annee : 2022"]),
    (lambda: ae_plafond("bnc", "l'an prochain"), ["annee : valeur « l'an prochain » refusée"]),
    (lambda: ae_taux("vente", "2026-05-01", "oui"), ["acre : l'ACRE demande la date de création"]),
    (lambda: ae_cotisations(1000, "vente", "2026-05-01", True, None), ["date_creation"]),
    (lambda: ae_taux("vente", "2026-05-01", "peut-être", "2026-03-01"),
     ["acre : valeur « peut-être » refusée", "VRAI/FAUX, 1/0, « oui »/« non »"]),
    (lambda: ae_taux("vente", "2026-05-01", None, None, "Corse"), ["zone : valeur « Corse » refusée"]),
    (lambda: ae_taux("vente", "2026-05-01", None, None, "DROM"), ["date_creation : les taux DROM"]),
    (lambda: ae_taux(COL("vente", "bnc"), "2026-05-01"), ["activite : une seule activité attendue"]),
    (lambda: ae_prorata(None, 2026), ["date_creation : obligatoire pour calculer le prorata."]),
    (lambda: ae_cfp(1000, "vente", "2026-01-01", "libérale"), ["nature : valeur « libérale » refusée"]),
    (lambda: ae_tfc(1000, "vente", "2026-01-01", None, "999"), ["departement : valeur « 999 » refusée"]),
    (lambda: ae_tva_seuil("vente", 2026, "peut-être"), ["majore : valeur « peut-être » refusée"]),
    (lambda: ae_depassement(1000.0, "bnc", 2025, "2026-03-01"),
     ["date_creation : le 01/03/2026 est postérieur à l'année 2025"]),
    (lambda: ae_echeance("2025-03-05", "mensuelle", "2025-03-06"), ["date_periode : le 05/03/2025 précède"]),
    (lambda: ae_echeance("2026-05-01", "annuelle"), ["periodicite : valeur « annuelle » refusée"]),
    (lambda: ae_abattement(COL(1.0, 2.0, 3.0), COL("vente", "bnc"), 2026), ["même forme (3×1 contre 2×1)"]),
    (lambda: ae_vl(COL(1.0, 2.0), COL("vente", "inconnue"), "2026-01-01"),
     ["activite (cellule 2) : valeur « inconnue » refusée"]),
])
def test_bad_input_returns_the_french_error_text(call, fragments):
    result = call()
    assert isinstance(result, str) and result.startswith("Erreur : ")
    for fragment in fragments:
        assert fragment in result


def test_impossible_date_names_argument_value_and_what_is_accepted():
    message = ae_cotisations(1000, "bnc", "2026-13-01")
    assert message == ("Erreur : date_periode : la date « 2026-13-01 » n'existe pas. Valeurs acceptées : un jour qui "
                       "existe au calendrier (une date Excel, un numéro de série Excel, « AAAA-MM-JJ » ou « JJ/MM/AAAA »).")
