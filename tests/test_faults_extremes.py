"""Extreme values at every door (issue 14, item 9 « Tracebacks » and the « Extremes » of the task):
huge or absurd amounts, the first and last years, December 9999, « ² » for a year.

Each one gives the result or a French error naming the argument (exit code 2), never a
traceback. Before: ``--periode 0000-01`` (declaration, cloturer) raised « ValueError: year 0
is out of range »; ``simuler --annee 9998`` an OverflowError in the forecast;
``--parts 1e30`` a decimal.InvalidOperation; ``AE_DATE_DEPASSEMENT`` on 31/12/9998 an
OverflowError; a date inside a message read « datetime.date(9999, 12, 15) ».
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from faults_kit import example
from xlae import udfs, udfs_droits
from xlae.cli import main

HUGE = "99999999999999999999999999999"  # 29 digits


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return example(tmp_path_factory.mktemp("extremes") / "livre.xlsx")


@pytest.mark.parametrize("args, expected", [
    (["--ca", HUGE], f"--ca : montant « {HUGE} » trop grand ; au plus 999 999 999 999,99 €."),
    (["--ca", "1e30"], "--ca : valeur « 1e30 » refusée."),
    (["--ca", "nan"], "--ca : valeur « nan » refusée."),
    (["--ca", "30000", "--annee", "9999"], "--annee : 9999 refusée ; xlae calcule les années 1900 à 9998."),
    (["--ca", "30000", "--annee", "²"], "--annee : valeur « ² » refusée."),
    (["--ca", "30000", "--rfr", HUGE], f"--rfr : montant « {HUGE} » trop grand"),
])
def test_simuler_refuses_extremes_naming_the_option(capsys, args, expected):
    assert main(["simuler", "--activite", "bnc", *args]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--annee", "9998"], ["--parts", "1e30"], ["--parts", HUGE]])
def test_simuler_computes_the_last_year_and_absurd_households(capsys, args):
    # Before: OverflowError (the ceiling forecast looked for a day after 31/12/9999) and
    # decimal.InvalidOperation (1e30 % 0,25 is beyond 28 digits).
    assert main(["simuler", "--activite", "bnc", "--ca", "30000", *args]) == 0
    out = capsys.readouterr().out
    assert "Impôt sur le revenu" in out


@pytest.mark.parametrize("command", ["declaration", "cloturer"])
@pytest.mark.parametrize("periode, year", [("0000-01", "0000"), ("0000-T1", "0000"), ("1899-12", "1899")])
def test_periode_before_1900_is_refused_naming_the_option(book, capsys, command, periode, year):
    before = book.read_bytes()
    assert main([command, str(book), "--periode", periode]) == 2
    err = capsys.readouterr().err
    assert f"--periode : « {periode} » refusée : année {year} avant 1900" in err
    assert book.read_bytes() == before


def test_declaration_of_december_9999_says_why(book, capsys):
    assert main(["declaration", str(book), "--periode", "9999-12"]) == 2
    assert "après le 31/12/9999, dernier jour que connaissent Excel et xlae" in capsys.readouterr().err


@pytest.mark.parametrize("annee, expected", [("9999", "ANNEE : 9999 refusée ; xlae calcule les années 1900 à 9998."),
                                             ("²", "ANNEE : valeur « ² » refusée.")])
def test_bilan_extreme_years(book, tmp_path, capsys, annee, expected):
    assert main(["bilan", annee, str(book), "--sortie", str(tmp_path / "b.xlsx")]) == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "b.xlsx").exists()


def test_bilan_absurd_household_parts(book, tmp_path, capsys):
    assert main(["bilan", "2026", str(book), "--parts", "1e30", "--sortie", str(tmp_path / "b.xlsx")]) == 0
    assert (tmp_path / "b.xlsx").is_file()


def test_a_date_in_a_message_is_written_as_the_user_types_it():
    result = udfs.ae_echeance(dt.date(9999, 12, 15), "mensuelle", dt.date(2020, 1, 1))
    assert result == ("Erreur : date_periode : valeur « 15/12/9999 » refusée : au-delà du 31/12/9998, dernier "
                      "jour dont xlae sait calculer l'échéance.")


EDGES = [9998, "9998", 9999, "9999", 0, "0000-01-01", dt.date(9998, 12, 31), dt.date(9999, 12, 31),
         dt.date(1, 1, 1), "31/12/9998", "31/12/9999", 2958465, 2958466, 1e30, -1e30, HUGE, "²", 10**29,
         [[1, 2], [3]]]  # a ragged range
PLAUSIBLE = {"ca": 30000, "activite": "bnc", "montant": 30000}


def _calls():
    for module in (udfs, udfs_droits):
        for name in module.__all__:
            params = list(inspect.signature(getattr(module, name)).parameters)
            for position, param in enumerate(params):
                yield pytest.param(module, name, params, position, id=f"{name}-{param}")


@pytest.mark.parametrize("module, name, params, position", list(_calls()))
def test_every_ae_argument_at_its_extremes(module, name, params, position):
    """Each argument of each AE_* function, alone at an extreme, the others plausible."""
    function = getattr(module, name)
    for value in EDGES:
        args = [PLAUSIBLE.get(p.split("_")[0]) for p in params]
        args[position] = value
        result = function(*args)  # before: ae_date_depassement(…, 31/12/9998) raised OverflowError
        if isinstance(result, str) and result.startswith("Erreur"):
            named = result.removeprefix("Erreur : ").split(" : ")[0].split(" (")[0]  # « activites (cellule 1) »
            assert named in params or named == "parametre", (name, value, result)  # the argument is named
            assert "plage irrégulière" not in result or named == params[position], (name, value, result)
