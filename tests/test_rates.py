"""The bundled rates sheet: provenance of every row, the fact sheet's figures,
rate-change dates, coverage, and the override sheet with its French errors."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import pytest

from conftest import day
from xlae import rates as rates_module
from xlae.errors import XlaeError
from xlae.rates import COLUMNS, STATUSES, bundled_text, get_rates, load_rates, set_rates_path
from xlae.udfs import ae_cotisations, ae_plafond, ae_taux

RAW_ROWS = list(csv.DictReader(bundled_text().splitlines()))
HEADER = ",".join(COLUMNS)
# A user's updated sheet: the bundled one with the 2026 sales ceiling changed to 210 000.
UPDATED = bundled_text().replace(
    "plafond_ca,vente,toutes,2026-01-01,203100,", "plafond_ca,vente,toutes,2026-01-01,210000,")
GOOD_ROW = ("plafond_ca,vente,toutes,2023-01-01,100000,EUR,VERIFIED,Essai,"
            "https://example.org/essai,2026-11-23,")


# --- provenance of every row -------------------------------------------------

@pytest.mark.parametrize("number,row", list(enumerate(RAW_ROWS, start=2)))
def test_every_row_has_source_url_status_and_check_date(number, row):
    assert row["source_titre"].strip(), f"ligne {number} : source_titre vide"
    assert re.fullmatch(r"https://\S+\.\S+", row["source_url"].strip()), row["source_url"]
    assert row["statut"] in STATUSES
    checked = dt.date.fromisoformat(row["verifie_le"])
    assert dt.date(2023, 1, 1) <= checked <= dt.date(2030, 12, 31)
    Decimal(row["valeur"])  # a number
    dt.date.fromisoformat(row["date_effet"])


def test_bundled_sheet_coverage_and_newest_date():
    rates = get_rates()
    assert rates.origin == "intégré"
    # Latest first date over every series: plafond_ca starts 2023-01-01.
    assert rates.coverage_start == dt.date(2023, 1, 1)
    # plafond_ca 2029-01-01 (UNCERTAIN: 2026-2028 value carried over until the triennial décret) is the newest row.
    assert rates.newest_date == dt.date(2029, 1, 1)
    assert get_rates() is rates  # cached


# --- the fact sheet's summary table (section 0), 2023-2026 (and 2027 where known) ---
# Transcribed from reglementation.md §0; each value must be the one the sheet gives
# on that date. (param, categorie, zone, date, expected)
SUMMARY = [
    # Ceiling vente: 188 700 (2023-2025) → 203 100 (2026, 2027)
    *[("plafond_ca", "vente", "toutes", f"{y}-01-01", "188700") for y in (2023, 2024, 2025)],
    *[("plafond_ca", "vente", "toutes", f"{y}-01-01", "203100") for y in (2026, 2027)],
    # Ceiling services BIC / BNC: 77 700 → 83 600
    *[("plafond_ca", c, "toutes", f"{y}-01-01", "77700")
      for y in (2023, 2024, 2025) for c in ("service_bic", "bnc", "bnc_cipav")],
    *[("plafond_ca", c, "toutes", f"{y}-01-01", "83600")
      for y in (2026, 2027) for c in ("service_bic", "bnc", "bnc_cipav")],
    # Abattement 71 / 50 / 34 %, minimum 305 € (every year)
    *[("abattement_taux", c, "toutes", f"{y}-01-01", v) for y in (2023, 2024, 2025, 2026)
      for c, v in (("vente", "0.71"), ("service_bic", "0.50"), ("bnc", "0.34"), ("bnc_cipav", "0.34"))],
    *[("abattement_minimum", c, "toutes", f"{y}-01-01", "305") for y in (2023, 2026)
      for c in ("vente", "service_bic", "bnc", "bnc_cipav")],
    # Social rates: vente 12.3 %, services BIC 21.2 %, every year
    *[("taux_cotisations", "vente", "metropole", f"{y}-06-15", "0.123") for y in (2023, 2024, 2025, 2026)],
    *[("taux_cotisations", "service_bic", "metropole", f"{y}-06-15", "0.212") for y in (2023, 2024, 2025, 2026)],
    # BNC SSI: 21.1 % → 23.1 % on 2024-07-01 → 24.6 % (2025) → 25.6 % (2026)
    ("taux_cotisations", "bnc", "metropole", "2023-01-01", "0.211"),
    ("taux_cotisations", "bnc", "metropole", "2024-06-30", "0.211"),
    ("taux_cotisations", "bnc", "metropole", "2024-07-01", "0.231"),
    ("taux_cotisations", "bnc", "metropole", "2024-12-31", "0.231"),
    ("taux_cotisations", "bnc", "metropole", "2025-01-01", "0.246"),
    ("taux_cotisations", "bnc", "metropole", "2025-12-31", "0.246"),
    ("taux_cotisations", "bnc", "metropole", "2026-01-01", "0.256"),
    # Cipav: 21.2 % → 23.2 % on 2024-07-01, unchanged after
    ("taux_cotisations", "bnc_cipav", "metropole", "2023-01-01", "0.212"),
    ("taux_cotisations", "bnc_cipav", "metropole", "2024-06-30", "0.212"),
    ("taux_cotisations", "bnc_cipav", "metropole", "2024-07-01", "0.232"),
    ("taux_cotisations", "bnc_cipav", "metropole", "2025-01-01", "0.232"),
    ("taux_cotisations", "bnc_cipav", "metropole", "2026-01-01", "0.232"),
    # ACRE share, by creation date: 50 % up to 2026-06-30, 75 % from 2026-07-01
    *[("acre_part", "toutes", "toutes", d, "0.50") for d in ("2023-01-01", "2024-01-01", "2025-01-01", "2026-06-30")],
    ("acre_part", "toutes", "toutes", "2026-07-01", "0.75"),
    ("acre_part", "toutes", "toutes", "2027-01-01", "0.75"),
    # CFP 0.1 / 0.2 / 0.3 %
    *[("cfp_taux", c, "toutes", f"{y}-01-01", v) for y in (2023, 2026)
      for c, v in (("commerciale_vente", "0.001"), ("commerciale_service", "0.002"),
                   ("liberale", "0.002"), ("artisanale", "0.003"))],
    # VL 1 / 1.7 / 2.2 %
    *[("vl_taux", c, "toutes", f"{y}-01-01", v) for y in (2023, 2026)
      for c, v in (("vente", "0.01"), ("service_bic", "0.017"), ("bnc", "0.022"), ("bnc_cipav", "0.022"))],
    # VL limit RFR(N-2) per part
    ("vl_plafond_rfr_part", "toutes", "toutes", "2023-01-01", "26070"),
    ("vl_plafond_rfr_part", "toutes", "toutes", "2024-01-01", "27478"),
    ("vl_plafond_rfr_part", "toutes", "toutes", "2025-01-01", "28797"),
    ("vl_plafond_rfr_part", "toutes", "toutes", "2026-01-01", "29315"),
    ("vl_plafond_rfr_part", "toutes", "toutes", "2027-01-01", "29579"),
    # VAT goods 91 900 / 101 000 (2023, 2024) → 85 000 / 93 500 (2025, 2026)
    *[("tva_seuil", "vente", "toutes", f"{y}-01-01", "91900") for y in (2023, 2024)],
    *[("tva_seuil_majore", "vente", "toutes", f"{y}-01-01", "101000") for y in (2023, 2024)],
    *[("tva_seuil", "vente", "toutes", f"{y}-01-01", "85000") for y in (2025, 2026)],
    *[("tva_seuil_majore", "vente", "toutes", f"{y}-01-01", "93500") for y in (2025, 2026)],
    # VAT services 36 800 / 39 100 → 37 500 / 41 250
    *[("tva_seuil", c, "toutes", f"{y}-01-01", "36800") for y in (2023, 2024) for c in ("service_bic", "bnc")],
    *[("tva_seuil_majore", c, "toutes", f"{y}-01-01", "39100") for y in (2023, 2024) for c in ("service_bic", "bnc")],
    *[("tva_seuil", c, "toutes", f"{y}-01-01", "37500") for y in (2025, 2026) for c in ("service_bic", "bnc")],
    *[("tva_seuil_majore", c, "toutes", f"{y}-01-01", "41250") for y in (2025, 2026) for c in ("service_bic", "bnc")],
    # PASS
    ("pass_annuel", "toutes", "toutes", "2023-01-01", "43992"),
    ("pass_annuel", "toutes", "toutes", "2024-01-01", "46368"),
    ("pass_annuel", "toutes", "toutes", "2025-01-01", "47100"),
    ("pass_annuel", "toutes", "toutes", "2026-01-01", "48060"),
]


@pytest.mark.parametrize("parametre,categorie,zone,on,expected", SUMMARY)
def test_fact_sheet_summary_matches_sheet(parametre, categorie, zone, on, expected):
    assert get_rates().value(parametre, categorie, zone, day(on)) == Decimal(expected)


# --- every other rate-change date: the day before and the day of ---------------
CHANGES = [
    # DROM BNC P1 3.6 → 3.9 (2024-07-01) → 4.1 (2025) → 4.4 % (2026)
    ("taux_cotisations_drom_p1", "bnc", "drom", "2024-06-30", "0.036"),
    ("taux_cotisations_drom_p1", "bnc", "drom", "2024-07-01", "0.039"),
    ("taux_cotisations_drom_p1", "bnc", "drom", "2024-12-31", "0.039"),
    ("taux_cotisations_drom_p1", "bnc", "drom", "2025-01-01", "0.041"),
    ("taux_cotisations_drom_p1", "bnc", "drom", "2025-12-31", "0.041"),
    ("taux_cotisations_drom_p1", "bnc", "mayotte", "2026-01-01", "0.044"),
    # ACRE rounding: 1 decimal of % until 2025, BNC 2 decimals from 2026
    ("acre_decimales", "bnc", "toutes", "2025-12-31", "1"),
    ("acre_decimales", "bnc", "toutes", "2026-01-01", "2"),
    ("acre_decimales", "vente", "toutes", "2026-01-01", "1"),
    # Cipav fixed ACRE rate 12.1 → 13.9 (2024-07-01) → 13.4 % (2026)
    ("taux_cotisations_acre", "bnc_cipav", "metropole", "2024-06-30", "0.121"),
    ("taux_cotisations_acre", "bnc_cipav", "metropole", "2024-07-01", "0.139"),
    ("taux_cotisations_acre", "bnc_cipav", "metropole", "2025-12-31", "0.139"),
    ("taux_cotisations_acre", "bnc_cipav", "metropole", "2026-01-01", "0.134"),
    # VAT rules 2024 → 2025: tolerance removed, loss on the very day
    ("tva_tolerance_annee_n2", "toutes", "toutes", "2024-12-31", "1"),
    ("tva_tolerance_annee_n2", "toutes", "toutes", "2025-01-01", "0"),
    ("tva_perte_jour_depassement", "toutes", "toutes", "2024-12-31", "0"),
    ("tva_perte_jour_depassement", "toutes", "toutes", "2025-01-01", "1"),
    # Ceilings: the last day of 2025 vs the first of 2026
    ("plafond_ca", "bnc", "toutes", "2025-12-31", "77700"),
    ("plafond_ca", "vente", "toutes", "2025-12-31", "188700"),
    # VL limits: the day before each change
    ("vl_plafond_rfr_part", "toutes", "toutes", "2023-12-31", "26070"),
    ("vl_plafond_rfr_part", "toutes", "toutes", "2026-12-31", "29315"),
    # TFC Alsace/Moselle
    ("tfc_taux", "artisanale_service", "alsace", "2026-01-01", "0.0065"),
    ("tfc_taux", "artisanale_vente", "moselle", "2026-01-01", "0.0037"),
    # Falls back to the "toutes" zone for commercial TFC in Alsace: 0.044 %
    ("tfc_taux", "commerciale_service", "alsace", "2026-01-01", "0.00044"),
]


@pytest.mark.parametrize("parametre,categorie,zone,on,expected", CHANGES)
def test_rate_change_dates(parametre, categorie, zone, on, expected):
    assert get_rates().value(parametre, categorie, zone, day(on)) == Decimal(expected)


def test_first_covered_day_and_the_day_before():
    # taux_cotisations starts 2022-10-01 but the ceilings only on 2023-01-01: coverage 2023-01-01.
    rates = get_rates()
    assert rates.value("taux_cotisations", "vente", "metropole", day("2023-01-01")) == Decimal("0.123")
    with pytest.raises(XlaeError) as error:
        rates.value("taux_cotisations", "vente", "metropole", day("2022-12-31"))
    assert "31/12/2022" in str(error.value) and "01/01/2023" in str(error.value)
    assert error.value.argument == "date"


@pytest.mark.parametrize("on,expected", [
    ("2031-06-01", "0.256"),  # newest BNC rate (2026-01-01) still used in 2031
    ("2099-12-31", "0.256"),
])
def test_dates_after_the_newest_rates_use_the_newest_values(on, expected):
    assert get_rates().value("taux_cotisations", "bnc", "metropole", day(on)) == Decimal(expected)


def test_unknown_parameter_and_category_are_named():
    rates = get_rates()
    with pytest.raises(XlaeError, match="« inexistant » est absent"):
        rates.value("inexistant", "toutes", "toutes", day("2026-01-01"))
    with pytest.raises(XlaeError, match="catégorie « meuble » et la zone « metropole »"):
        rates.value("taux_cotisations", "meuble", "metropole", day("2026-01-01"))


def test_cite_gives_value_status_and_source():
    row = get_rates().lookup("taux_cotisations", "bnc", "metropole", day("2026-03-01"))
    assert row.cite() == (
        "taux_cotisations [bnc/metropole] = 0.256 taux depuis le 01/01/2026 (vérifié) — "
        "Décret 2025-943 du 08/09/2025 ; CSS art. D613-4 (LEGIARTI000052218738) "
        "<https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000052218738>")


# --- override rates sheet ------------------------------------------------------

def test_override_by_path_then_back_to_default(bareme_file):
    assert UPDATED != bundled_text()
    path = bareme_file(UPDATED)
    rates = set_rates_path(path)
    assert rates is get_rates()
    assert rates.origin == repr(str(path))
    # The override's ceiling (210 000) is used by the Excel functions.
    assert ae_plafond("vente", 2026) == 210000.0
    assert ae_plafond("vente", 2025) == 210000.0  # CA 2025 is judged with the 2026 ceiling
    assert ae_plafond("vente", 2024) == 188700.0
    set_rates_path(None)
    assert ae_plafond("vente", 2026) == 203100.0


def test_override_by_environment_variable(bareme_file, monkeypatch):
    path = bareme_file(UPDATED)
    monkeypatch.setenv("XLAE_BAREME", str(path))
    assert load_rates().value("plafond_ca", "vente", "toutes", day("2026-01-01")) == Decimal(210000)
    set_rates_path(None)  # None → the environment variable
    assert ae_plafond("vente", 2026) == 210000.0


def test_semicolon_free_decimal_comma_and_category_lists(bareme_file):
    row = ('taux_cotisations,vente|service_bic,metropole,2023-01-01,"0,5",taux,DERIVED,Essai,'
           "https://example.org,2026-11-23,")
    rates = load_rates(bareme_file(f"{HEADER}\n{row}\n"))
    assert rates.value("taux_cotisations", "service_bic", "metropole", day("2024-01-01")) == Decimal("0.5")
    assert rates.value("taux_cotisations", "vente", "metropole", day("2024-01-01")) == Decimal("0.5")


BAD_SHEETS = [
    # missing column: no "statut"
    ("parametre,categorie,zone,date_effet,valeur,unite,source_titre,source_url,verifie_le,note\n"
     "plafond_ca,vente,toutes,2023-01-01,1,EUR,T,https://e.org,2026-01-01,\n",
     ["colonnes manquantes : statut", "Colonnes attendues : parametre, categorie"]),
    # non-numeric value
    (f"{HEADER}\nplafond_ca,vente,toutes,2023-01-01,beaucoup,EUR,VERIFIED,T,https://e.org,2026-01-01,\n",
     ["ligne 2, colonne valeur", "'beaucoup' n'est pas un nombre"]),
    # infinite value
    (f"{HEADER}\nplafond_ca,vente,toutes,2023-01-01,Infinity,EUR,VERIFIED,T,https://e.org,2026-01-01,\n",
     ["ligne 2, colonne valeur", "n'est pas un nombre"]),
    # bad effective date
    (f"{HEADER}\nplafond_ca,vente,toutes,2023-02-31,1,EUR,VERIFIED,T,https://e.org,2026-01-01,\n",
     ["ligne 2, colonne date_effet", "'2023-02-31' invalide", "AAAA-MM-JJ"]),
    # bad check date
    (f"{HEADER}\nplafond_ca,vente,toutes,2023-01-01,1,EUR,VERIFIED,T,https://e.org,hier,\n",
     ["ligne 2, colonne verifie_le", "'hier' invalide"]),
    # unknown status
    (f"{HEADER}\nplafond_ca,vente,toutes,2023-01-01,1,EUR,SUR,T,https://e.org,2026-01-01,\n",
     ["ligne 2, colonne statut", "'SUR' refusé", "VERIFIED, DERIVED, UNCERTAIN"]),
    # duplicate effective date for the same parameter/category/zone
    (f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n",
     ["deux lignes pour plafond_ca / vente / toutes à la même date d'effet"]),
    # a row with too few columns (line 3)
    (f"{HEADER}\n{GOOD_ROW}\nplafond_ca,bnc\n", ["ligne 3 : nombre de colonnes incorrect"]),
    # empty parameter name
    (f"{HEADER}\n,vente,toutes,2023-01-01,1,EUR,VERIFIED,T,https://e.org,2026-01-01,\n",
     ["ligne 2, colonne parametre : vide"]),
    # header only
    (f"{HEADER}\n", ["aucune ligne"]),
]


@pytest.mark.parametrize("text,fragments", BAD_SHEETS)
def test_malformed_override_sheet_gives_french_error(bareme_file, text, fragments):
    path = bareme_file(text)
    with pytest.raises(XlaeError) as error:
        load_rates(path)
    message = str(error.value)
    assert message.startswith("Barème ")
    assert str(path) in message  # the file is named
    for fragment in fragments:
        assert fragment in message
    # set_rates_path refuses it too and keeps the sheet in use.
    before = get_rates()
    with pytest.raises(XlaeError):
        set_rates_path(path)
    assert get_rates() is before


def test_missing_override_file(restore_rates, tmp_path, monkeypatch):
    missing = tmp_path / "absent.csv"
    with pytest.raises(XlaeError, match=r"Barème : fichier '.*absent\.csv' introuvable\."):
        load_rates(missing)
    monkeypatch.setenv("XLAE_BAREME", str(missing))
    with pytest.raises(XlaeError, match="introuvable"):
        set_rates_path(None)


def test_override_not_utf8(bareme_file, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\n".encode() + "plafond_ca,vente,toutes,2023-01-01,1,EUR,VERIFIED,Barème é"
                     .encode("latin-1") + b",https://e.org,2026-01-01,\n")
    with pytest.raises(XlaeError, match="impossible de lire"):
        load_rates(path)


def test_udfs_show_the_override_error_and_a_missing_parameter(bareme_file):
    # An override sheet without taux_cotisations: the cell shows the French message.
    set_rates_path(bareme_file(f"{HEADER}\n{GOOD_ROW}\n"))
    result = ae_cotisations(1000, "vente", "2026-01-01")
    assert result.startswith("Erreur : Barème ") and "« taux_cotisations » est absent" in result
    assert ae_taux("bnc", "2026-01-01").startswith("Erreur : Barème ")


def test_module_state_is_the_bundled_sheet_after_override_tests():
    assert rates_module.get_rates().origin == "intégré"


# --- status of each value, as the fact sheet gives it ---------------------------
# (param, categorie, zone, date, status in reglementation.md)
STATUS = [
    ("plafond_ca", "vente", "toutes", "2026-01-01", "VERIFIED"),                 # §a.1
    ("prorata_jour_creation_compte", "toutes", "toutes", "2026-01-01", "UNCERTAIN"),  # §a.3 day count
    ("prorata_jours_annee", "toutes", "toutes", "2026-01-01", "UNCERTAIN"),
    ("taux_cotisations", "bnc", "metropole", "2026-01-01", "VERIFIED"),          # §c
    ("taux_cotisations_drom_p1", "vente", "drom", "2026-01-01", "UNCERTAIN"),    # §c DROM, engine-only
    ("taux_cotisations_drom_apres", "bnc_cipav", "mayotte", "2026-01-01", "UNCERTAIN"),
    ("acre_part", "toutes", "toutes", "2026-07-01", "VERIFIED"),                 # §d
    ("acre_trimestres_suivants", "toutes", "toutes", "2026-01-01", "VERIFIED"),
    ("acre_decimales", "bnc", "toutes", "2026-01-01", "UNCERTAIN"),              # §d rounding UNCERTAIN
    ("taux_cotisations_acre", "bnc_cipav", "metropole", "2026-01-01", "UNCERTAIN"),  # §d Cipav MS-only
    ("cfp_taux", "commerciale_service", "toutes", "2026-01-01", "UNCERTAIN"),    # §e contradiction
    ("cfp_taux", "liberale", "toutes", "2026-01-01", "VERIFIED"),
    ("tfc_seuil_ca_annuel", "toutes", "toutes", "2026-01-01", "UNCERTAIN"),      # §f mechanics UNCERTAIN
    ("vl_plafond_rfr_part", "toutes", "toutes", "2026-01-01", "VERIFIED"),       # §g
    ("vl_plafond_rfr_part", "toutes", "toutes", "2027-01-01", "DERIVED"),
    ("tva_seuil", "vente", "toutes", "2025-01-01", "VERIFIED"),                  # §h.1
    ("tva_perte_jour_depassement", "toutes", "toutes", "2025-01-01", "VERIFIED"),  # §h.2
]


@pytest.mark.parametrize("param,categorie,zone,on,status", STATUS)
def test_status_is_the_fact_sheets(param, categorie, zone, on, status):
    assert get_rates().lookup(param, categorie, zone, day(on)).statut == status


@pytest.mark.parametrize("parametre,categorie,on,value", [
    ("plafond_ca", "bnc", dt.date(2029, 1, 1), "83600"),       # next triennial revision not published
    ("plafond_ca", "vente", dt.date(2029, 1, 1), "203100"),
    ("tva_seuil", "bnc", dt.date(2027, 1, 1), "37500"),         # no 2027 change voted or announced
    ("tva_seuil_majore", "vente", dt.date(2027, 1, 1), "93500"),
])
def test_unknown_future_values_are_carried_over_as_uncertain(parametre, categorie, on, value):
    row = get_rates().lookup(parametre, categorie, "toutes", on)
    assert (row.date_effet, str(row.valeur), row.statut) == (on, value, "UNCERTAIN")


# --- social rights and income tax (droits-impot.md) ------------------------------
# (param, categorie, date, value, status in droits-impot.md)
DROITS = [
    ("pass_annuel", "toutes", "2022-06-30", "41136", "VERIFIED"),        # §5 2020-2022 frozen
    ("pass_annuel", "toutes", "2026-12-31", "48060", "VERIFIED"),
    ("pass_annuel", "toutes", "2027-01-01", "48060", "UNCERTAIN"),       # §5 PASS 2027 not published
    ("pass_mensuel", "toutes", "2026-01-01", "4005", "VERIFIED"),
    ("pass_mensuel", "toutes", "2027-01-01", "4005", "UNCERTAIN"),
    ("smic_horaire", "toutes", "2023-01-01", "11.27", "VERIFIED"),      # §3.2
    ("smic_horaire", "toutes", "2023-05-01", "11.52", "VERIFIED"),
    ("smic_horaire", "toutes", "2024-10-31", "11.65", "VERIFIED"),
    ("smic_horaire", "toutes", "2025-01-01", "11.88", "VERIFIED"),      # 2024-11-01 value stays in 2025
    ("smic_horaire", "toutes", "2026-01-01", "12.02", "VERIFIED"),
    ("smic_horaire", "toutes", "2026-06-01", "12.31", "VERIFIED"),
    ("smic_horaire", "toutes", "2027-01-01", "12.31", "UNCERTAIN"),     # SMIC 2027 not published (≥ 12.31)
    ("cipav_ca_trimestre", "bnc_cipav", "2023-01-01", "2571", "VERIFIED"),
    ("cipav_ca_trimestre", "bnc_cipav", "2026-01-01", "2860", "VERIFIED"),
    ("cipav_ca_trimestre", "bnc_cipav", "2027-01-01", "2860", "UNCERTAIN"),
    ("ij_plafond_raam_pass", "bnc", "2026-01-01", "1", "VERIFIED"),
    ("ij_plafond_raam_pass", "bnc_cipav", "2026-01-01", "3", "VERIFIED"),
    ("ij_seuil_raam_pass_moyen", "vente", "2026-01-01", "0.10", "VERIFIED"),
    ("ij_seuil_raam_pass_moyen", "bnc_cipav", "2026-01-01", "0.10", "UNCERTAIN"),  # §1.4
    ("ij_duree_max_jours", "service_bic", "2026-01-01", "360", "UNCERTAIN"),
    ("ij_duree_max_jours", "bnc_cipav", "2026-01-01", "90", "VERIFIED"),
    ("conge_duree_jours", "maternite", "2026-01-01", "112", "VERIFIED"),
    ("conge_duree_jours", "paternite", "2026-01-01", "25", "VERIFIED"),
    ("ir_tranche_limite", "tranche_1", "2025-01-01", "11600", "VERIFIED"),   # §4.1, income year 2025
    ("ir_tranche_limite", "tranche_2", "2024-01-01", "29315", "VERIFIED"),
    ("ir_tranche_limite", "tranche_4", "2023-01-01", "177106", "VERIFIED"),
    ("ir_tranche_limite", "tranche_1", "2026-01-01", "11600", "UNCERTAIN"),  # barème for 2026 income
    ("ir_tranche_taux", "tranche_5", "2026-01-01", "0.45", "VERIFIED"),
    ("ir_decote_seuil", "celibataire", "2025-01-01", "897", "VERIFIED"),     # §4.2
    ("ir_decote_seuil", "couple", "2024-01-01", "1470", "VERIFIED"),
    ("ir_decote_seuil", "couple", "2026-01-01", "1483", "UNCERTAIN"),
    ("ir_plafond_demi_part", "toutes", "2023-01-01", "1759", "VERIFIED"),    # §4.3
    ("ir_plafond_demi_part", "toutes", "2026-01-01", "1807", "UNCERTAIN"),
    ("vl_plafond_rfr_part", "toutes", "2028-01-01", "29579", "UNCERTAIN"),   # tranche 2 of the 2026 barème
]


@pytest.mark.parametrize("param,categorie,on,value,status", DROITS)
def test_rights_and_tax_values_and_status(param, categorie, on, value, status):
    row = get_rates().history().lookup(param, categorie, "toutes", day(on))
    assert (str(row.valeur), row.statut) == (value, status)


def test_history_reaches_before_the_coverage_but_not_before_a_series():
    rates = get_rates()
    with pytest.raises(XlaeError, match="antérieur à la couverture"):
        rates.lookup("pass_annuel", "toutes", "toutes", dt.date(2022, 1, 1))
    assert rates.history().value("pass_annuel", "toutes", "toutes", dt.date(2020, 1, 1)) == 41136
    with pytest.raises(XlaeError, match="antérieur"):
        rates.history().lookup("pass_annuel", "toutes", "toutes", dt.date(2019, 12, 31))
    assert rates.history() is rates.history() and rates.coverage_start == dt.date(2023, 1, 1)
