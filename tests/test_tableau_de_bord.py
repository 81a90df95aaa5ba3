"""The Synthèse dashboard (E3:H15): next declaration relative to today, shares, alert, rates version.

``synthese.evaluate(…, today=…)`` is the twin of the TODAY()-based formulas (LibreOffice agrees with
it on the real day: tests/test_libreoffice.py, tests/test_synthese_scenarios.py); here the day moves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlae import udfs
from xlae.rates import get_rates
from xlae.books.xl import books_of_workbook
from xlae.template import build, exemple, layout as L, natif as N, synthese as S

K = S.KEY_CELLS
EXAMPLE_FILE = Path(__file__).resolve().parents[1] / "workbooks" / "exemple-auto-entrepreneur.xlsx"
EXAMPLE = books_of_workbook(exemple.example_workbook()).inputs()  # monthly BNC, created 16/06/2025, books to October


def _at(today: dt.date, inputs=EXAMPLE) -> dict:
    return S.evaluate(inputs, today=today)


@pytest.mark.parametrize("today, period, due", [
    # Books to October: on 15/11 the October declaration is next, due 30/11/2026.
    (dt.date(2026, 11, 15), "octobre 2026", dt.date(2026, 11, 30)),
    (dt.date(2026, 11, 30), "octobre 2026", dt.date(2026, 11, 30)),
    # In December a monthly declarant sees November (due 31/12), not December (due 31/01).
    (dt.date(2026, 12, 2), "novembre 2026", dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 31), "novembre 2026", dt.date(2026, 12, 31)),
    # Early January: December of the displayed year, due 31/01 of the next one.
    (dt.date(2027, 1, 5), "décembre 2026", dt.date(2027, 1, 31)),
    # A month still running is said to be so (its amount is provisional).
    (dt.date(2026, 3, 10), "février 2026", dt.date(2026, 3, 31)),
])
def test_next_declaration_of_a_monthly_declarant(today, period, due) -> None:
    values = _at(today)
    assert values[K["prochaine_periode"]] == period
    assert values[K["prochaine_echeance"]] == due
    month = S.MONTH_FIRST + (due.month - 2) % 12
    assert values[K["prochain_montant"]] == values[f"N{month}"]


def test_current_month_is_marked_running() -> None:
    values = _at(dt.date(2026, 2, 20))  # January due 28/02: January is over, so not « en cours »
    assert values[K["prochaine_periode"]] == "janvier 2026"
    wb = build.build_workbook({"activite": "bnc", "annee": 2026, "periodicite": "trimestrielle"})
    values = _at(dt.date(2026, 12, 2), books_of_workbook(wb).inputs())
    # Quarterly: T3 was due 31/10; T4 (October–December) is due 31/01/2027 and still running.
    assert values[K["prochaine_periode"]] == "4e trimestre 2026 (en cours)"
    assert values[K["prochaine_echeance"]] == dt.date(2027, 1, 31)
    assert values[K["prochain_montant"]] == 0.0


def test_a_year_already_over_says_so() -> None:
    values = _at(dt.date(2027, 2, 1))  # December 2026 was due 31/01/2027
    assert values[K["prochaine_periode"]] == ("Année 2026 terminée : tout est échu (passez à 2027 dans "
                                              "Paramètres).")
    assert values[K["prochaine_echeance"]] == "" and values[K["prochain_montant"]] == ""


def test_first_declaration_spans_from_the_creation_day() -> None:
    creation = dt.date(2026, 3, 15)
    wb = build.build_workbook({"activite": "service_bic", "annee": 2026, "date_creation": creation})
    values = _at(dt.date(2026, 4, 2), books_of_workbook(wb).inputs())
    first_due = udfs.ae_echeance(creation, "mensuelle", creation)
    assert values[K["prochaine_echeance"]] == first_due
    end = dt.date(first_due.year, first_due.month, 1) - dt.timedelta(days=1)
    assert values[K["prochaine_periode"]] == f"du 15/03/2026 au {end:%d/%m/%Y} (en cours)"


def test_alert_sentence_and_rates_version() -> None:
    values = _at(exemple.TODAY)
    # 34 560 € of BNC against the VAT threshold of 37 500 €: 92,2 % ≥ 80 %.
    assert values[K["alerte"]] == "Attention : 92,2 % du seuil de franchise de TVA utilisé."
    version = N.rates_version(get_rates())
    assert values[K["version_bareme"]] == (f"Barème xlae du {version:%d/%m/%Y} (feuille Barèmes ; « xlae baremes » "
                                           "le met à jour)")
    empty = books_of_workbook(build.build_workbook({"annee": 2026})).inputs()
    assert _at(dt.date(2026, 5, 1), empty)[K["alerte"]] == "Erreur : activite : aucune activité renseignée dans la plage."
    quiet = books_of_workbook(build.build_workbook({"activite": "vente", "annee": 2026})).inputs()
    assert _at(dt.date(2026, 5, 1), quiet)[K["alerte"]] == ("Rien à signaler : 0,0 % du plafond et 0,0 % du seuil "
                                                            "de TVA utilisés.")


def test_shares_are_really_orange_then_red() -> None:
    ws = load_workbook(EXAMPLE_FILE)[L.SHEET_SYNTHESE]
    dashboard = f"{S.DASH_VALUE}{S.DASH_PLAFOND}:{S.DASH_VALUE}{S.DASH_TVA}"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if str(cf.sqref) == dashboard]
    colours = {r.formula[0]: r.dxf.fill.bgColor.rgb[-6:] for r in rules}
    assert colours == {str(S.ALERT_RED): "FF0000", str(S.ALERT_AMBER): "FFA500"}


def test_the_alert_is_green_when_calm_orange_for_a_warning() -> None:
    """The alert cell's rules test how its sentence begins: LEFT(E10,n) with n the length of that beginning.

    Was LEFT(E10,14)="Rien à signaler" (15 characters): never true, so a calm year showed in red.
    """
    ws = load_workbook(EXAMPLE_FILE)[L.SHEET_SYNTHESE]
    alert = S.KEY_CELLS["alerte"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if str(cf.sqref) == alert]
    fills = {}
    for rule in rules:
        head = rule.formula[0]
        if head.startswith("LEFT("):
            n, text = head.removeprefix(f"LEFT({alert},").split(')="')
            assert int(n) == len(text.rstrip('"')), head
            fills[text.rstrip('"')] = rule.dxf.fill.bgColor.rgb[-6:]
    assert fills == {S.ALERT_CALM: "E2EFDA", S.ALERT_WARNING: "FFA500"}
    quiet = books_of_workbook(build.build_workbook({"activite": "vente", "annee": 2026})).inputs()
    assert _at(dt.date(2026, 5, 1), quiet)[K["alerte"]].startswith(S.ALERT_CALM + " :")
    assert _at(exemple.TODAY)[K["alerte"]].startswith(S.ALERT_WARNING + " :")
