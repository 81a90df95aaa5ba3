"""What Excel, xlwings, the CLI or Python hand over → rule inputs, or a French
error naming the argument, the value and what is accepted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import D, day
from xlae import coerce
from xlae.errors import XlaeError
from xlae.rules.vocabulary import (Activite, Nature, Periodicite, Zone, parse_activite, parse_nature,
                                   parse_periodicite, parse_zone)

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV
TODAY = dt.date.today()


@pytest.mark.parametrize("value,expected", [
    (None, TODAY), ("", TODAY), ("   ", TODAY),
    (dt.datetime(2026, 3, 1, 10, 5), day("2026-03-01")),
    (dt.date(2026, 3, 1), day("2026-03-01")),
    (46082.0, day("2026-03-01")),      # Excel serial (xlwings hands floats)
    (46082, day("2026-03-01")),
    (46082.75, day("2026-03-01")),     # time of day ignored
    (45292.0, day("2024-01-01")),
    (45351.0, day("2024-02-29")),      # leap day
    (1, day("1900-01-01")),
    (59, day("1900-02-28")),
    (61, day("1900-03-01")),           # Excel's phantom 29/02/1900 (serial 60) skipped
    ("2026-03-01", day("2026-03-01")), ("2026-3-1", day("2026-03-01")),
    ("2026-03-01T00:00:00", day("2026-03-01")), ("2026-03-01 12:30", day("2026-03-01")),
    ("01/03/2026", day("2026-03-01")), ("1/3/2026", day("2026-03-01")),
    ("01.03.2026", day("2026-03-01")), ("01-03-2026", day("2026-03-01")),
    (" 29/02/2024 ", day("2024-02-29")),
])
def test_to_date(value, expected):
    assert coerce.to_date(value) == expected


def test_to_date_empty_without_default():
    assert coerce.to_date(None, "date_creation", default_today=False) is None
    assert coerce.to_date("", "date_creation", default_today=False) is None


@pytest.mark.parametrize("value,fragment", [
    ("31/02/2026", "date : la date « 31/02/2026 » n'existe pas."),
    ("2026-02-30", "date : la date « 2026-02-30 » n'existe pas."),
    ("29/02/2026", "n'existe pas"),   # 2026 is not a leap year
    ("mars 2026", "date : valeur « mars 2026 » refusée. Valeurs acceptées : une date Excel, un numéro "
                  "de série Excel, « AAAA-MM-JJ » ou « JJ/MM/AAAA »."),
    ("2026/03/01", "valeur « 2026/03/01 » refusée"),
    (0, "valeur « 0 » refusée"), (-1.0, "valeur « -1.0 » refusée"), (2958466, "refusée"),
    (float("nan"), "refusée"), (float("inf"), "refusée"),
    (True, "valeur « True » refusée"), ([46082.0], "refusée"),
    (60, "le numéro de série 60 désigne le 29/02/1900"),
])
def test_to_date_refuses(value, fragment):
    with pytest.raises(XlaeError) as error:
        coerce.to_date(value)
    assert fragment in str(error.value)
    assert error.value.argument == "date"


@pytest.mark.parametrize("value,expected", [
    (None, TODAY.year), ("", TODAY.year), (2026, 2026), (2026.0, 2026), ("2026", 2026), (" 2026 ", 2026),
    (dt.date(2024, 5, 1), 2024), (dt.datetime(2031, 1, 1), 2031),
])
def test_to_year(value, expected):
    assert coerce.to_year(value) == expected


@pytest.mark.parametrize("value", [2026.5, "26", 26, True, "deux mille", 10000, "2026-01"])
def test_to_year_refuses(value):
    with pytest.raises(XlaeError) as error:
        coerce.to_year(value)
    assert str(error.value).startswith("annee : valeur ")
    assert "une année sur quatre chiffres (ex. 2026)" in str(error.value)


@pytest.mark.parametrize("value,expected", [
    (None, False), (True, True), (False, False), (1, True), (0, False), (1.0, True), (0.0, False),
    ("oui", True), (" OUI ", True), ("non", False), ("Non", False), ("vrai", True), ("FAUX", False),
    ("TRUE", True), ("false", False), ("x", True), ("", False), ("1", True), ("0", False),
])
def test_to_bool(value, expected):
    assert coerce.to_bool(value, "acre") is expected


@pytest.mark.parametrize("value", [2, 0.5, "peut-être", "si", -1])
def test_to_bool_refuses(value):
    with pytest.raises(XlaeError) as error:
        coerce.to_bool(value, "acre")
    assert str(error.value).startswith("acre : valeur ")
    assert "VRAI/FAUX, 1/0, « oui »/« non »" in str(error.value)


@pytest.mark.parametrize("value,expected", [
    (None, "0"), (0, "0"), (1234, "1234"), (1234.56, "1234.56"), (0.1, "0.1"), (D("12.345"), "12.345"),
    ("1234,56", "1234.56"), ("1234.56", "1234.56"), ("1 234,56 €", "1234.56"),
    ("1\u00a0234,56", "1234.56"), ("1\u202f234\u202f567", "1234567"), ("", "0"), (" 42 € ", "42"),
])
def test_to_amount(value, expected):
    amount = coerce.to_amount(value)
    assert isinstance(amount, Decimal)
    assert amount == D(expected)


@pytest.mark.parametrize("value,fragment", [
    (-1, "ca : montant négatif « -1 » refusé"),
    (-0.01, "montant négatif"),
    ("-5", "montant négatif"),
    ("abc", "ca : valeur « abc » refusée. Valeurs acceptées : un montant en euros, positif ou nul (ex. 1234,56)."),
    ("1,234,56", "refusée"), ("12 34", "refusée"),
    (True, "ca : valeur « True » refusée"),
    (float("inf"), "refusée"), (float("nan"), "refusée"), ([1], "refusée"),
])
def test_to_amount_refuses(value, fragment):
    with pytest.raises(XlaeError) as error:
        coerce.to_amount(value)
    assert fragment in str(error.value)


@pytest.mark.parametrize("value,cells,shape", [
    (5, [5], (1, 1)),
    ([1, 2], [1, 2], (2, 1)),
    ([[1, 2], [3, 4]], [1, 2, 3, 4], (2, 2)),
    ([[1.0], [None]], [1.0, None], (2, 1)),
])
def test_flatten(value, cells, shape):
    assert coerce.flatten(value, "ca") == (cells, shape)


def test_flatten_irregular_range():
    with pytest.raises(XlaeError, match="ca : plage irrégulière"):
        coerce.flatten([[1], [2, 3]], "ca")


@pytest.mark.parametrize("ca,activite,expected", [
    (1000, "vente", {V: "1000"}),
    (None, "vente", {V: "0"}),                                   # empty cell = 0
    ([[1000.0], [100.0]], [["vente"], ["services"]], {V: "1000", S: "100"}),
    ([[1000.0, 100.0]], [["vente", "service_bic"]], {V: "1000", S: "100"}),
    ([[100.0], [200.0]], [["bnc"], ["BNC"]], {B: "300"}),          # same activity summed
    ([[1.0], [2.0]], [["vente", "bnc"]], {V: "1", B: "2"}),        # a column against a row: paired in order
    ([[100.0], [None], [50.0]], [["bnc"], [None], ["cipav"]], {B: "100", C: "50"}),  # empty row skipped
])
def test_amounts_by_activite(ca, activite, expected):
    assert coerce.amounts_by_activite(ca, activite) == {k: D(v) for k, v in expected.items()}


@pytest.mark.parametrize("ca,activite,fragment", [
    ([[1.0], [2.0], [3.0]], [["vente"], ["bnc"]],
     "ca et activite : les deux plages doivent avoir la même forme (3×1 contre 2×1)."),
    # same number of cells but 2×2 against 4×1: refused, the pairing would be a guess
    ([[1.0, 2.0], [3.0, 4.0]], [["vente"], ["bnc"], ["bnc"], ["bnc"]],
     "ca et activite : les deux plages doivent avoir la même forme (2×2 contre 4×1)."),
    ([[1.0], [5.0]], [["vente"], [None]], "activite (cellule 2) : vide alors que ca vaut « 5.0 »"),
    ([[None], [None]], [[None], [None]], "activite : aucune activité renseignée dans la plage."),
    ([[1.0], [2.0]], [["vente"], ["xx"]], "activite (cellule 2) : valeur « xx » refusée"),
    ([[-1.0], [2.0]], [["vente"], ["bnc"]], "ca (cellule 1) : montant négatif « -1.0 » refusé"),
    (1000, "inconnue", "activite : valeur « inconnue » refusée. Valeurs acceptées : vente, service_bic, "
                       "bnc, bnc_cipav"),
])
def test_amounts_by_activite_refuses(ca, activite, fragment):
    with pytest.raises(XlaeError) as error:
        coerce.amounts_by_activite(ca, activite)
    assert fragment in str(error.value)


def test_activites_of_and_single_activite():
    assert coerce.activites_of("vente") == {V}
    assert coerce.activites_of([["vente"], [None], ["bnc"]]) == {V, B}
    with pytest.raises(XlaeError, match="activite : valeur"):
        coerce.activites_of([[None]])
    assert coerce.single_activite([["bnc"]]) is B
    with pytest.raises(XlaeError, match="une seule activité attendue"):
        coerce.single_activite([["bnc"], ["vente"]])


@pytest.mark.parametrize("text,expected", [
    ("vente", V), ("BNC", B), ("Libéral", B), ("prestations de services BIC", S), ("Vente de marchandises", V),
    ("bnc_cipav", C), ("Cipav", C), ("  SERVICE-BIC ", S), ("Profession libérale réglementée", C),
    ("hébergement", V), ("Artisan", S), ("libéral non réglementé", B), (Activite.VENTE, V),
])
def test_parse_activite_aliases(text, expected):
    assert parse_activite(text) is expected


@pytest.mark.parametrize("value", ["xx", 5, None, [1], "bic"])
def test_parse_activite_refuses(value):
    with pytest.raises(XlaeError) as error:
        parse_activite(value)
    assert str(error.value).startswith("activite : valeur ")
    assert "vente, service_bic, bnc, bnc_cipav" in str(error.value)


def test_parse_nature_defaults_and_impossible_pairs():
    assert parse_nature(None, S) is Nature.COMMERCIALE
    assert parse_nature("", V) is Nature.COMMERCIALE
    assert parse_nature(None, B) is Nature.LIBERALE
    assert parse_nature("Artisanale", S) is Nature.ARTISANALE
    assert parse_nature("CMA", V) is Nature.ARTISANALE
    assert parse_nature("libérale", C) is Nature.LIBERALE
    with pytest.raises(XlaeError, match="pour l'activité service_bic : commerciale, artisanale"):
        parse_nature("libérale", S)
    with pytest.raises(XlaeError, match="pour l'activité bnc : liberale"):
        parse_nature("commerciale", B)
    with pytest.raises(XlaeError, match="nature : valeur « agricole » refusée"):
        parse_nature("agricole", S)


@pytest.mark.parametrize("value,expected", [
    (None, Zone.METROPOLE), ("", Zone.METROPOLE), ("Métropole", Zone.METROPOLE), ("DROM", Zone.DROM),
    ("La Réunion", Zone.DROM), ("Guadeloupe", Zone.DROM), ("Mayotte", Zone.MAYOTTE),
])
def test_parse_zone(value, expected):
    assert parse_zone(value) is expected


@pytest.mark.parametrize("value,expected", [
    (None, Periodicite.MENSUELLE), ("Mensuelle", Periodicite.MENSUELLE), ("Trimestriel", Periodicite.TRIMESTRIELLE),
    ("t", Periodicite.TRIMESTRIELLE), ("trimestre", Periodicite.TRIMESTRIELLE),
])
def test_parse_periodicite(value, expected):
    assert parse_periodicite(value) is expected


def test_zone_and_periodicite_refuse():
    with pytest.raises(XlaeError, match="zone : valeur « Corse » refusée. Valeurs acceptées : metropole"):
        parse_zone("Corse")
    with pytest.raises(XlaeError, match="periodicite : valeur « annuelle » refusée. Valeurs acceptées : "
                                        "mensuelle, trimestrielle"):
        parse_periodicite("annuelle")
