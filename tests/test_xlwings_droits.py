"""The AE_* functions of xlae.udfs_droits through xlwings' own classic and Office.js code
(same harness as tests/test_xlwings.py): names, VBA signatures, help, values and errors."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from test_xlwings import OMIT, VBA_RESERVED, classic_arg, officejs_arg, plain, run
from xlae import udfs_droits

MODULE = "xlae.udfs_droits"
NAMES = sorted(name.upper() for name in udfs_droits.__all__)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def call_all(mode: str, cases) -> list[dict]:
    convert = classic_arg if mode == "classic" else officejs_arg
    calls = []
    for name, args, *_ in cases:
        count = len(getattr(udfs_droits, name.lower()).argument_help)
        calls.append([name, [convert(a) for a in list(args) + [OMIT] * (count - len(args))]])
    return run(mode, MODULE, json.dumps(calls))["results"]


VALID = [  # hand computations in tests/test_droits.py, test_impot.py, test_prevision.py
    ("AE_TRIMESTRES", [30000.0, "bnc", 2026.0], 4),                 # 19 800 ≥ 4 × 1 803
    ("AE_TRIMESTRES", [2731.0, "bnc", 2026.0], 0),                  # 1 802.46 < 1 803
    ("AE_CA_TRIMESTRES", [4.0, "cipav", 2026.0], 11440.0),          # 4 × 2 860
    ("AE_IJ", [30000.0, 30000.0, 30000.0, "bnc", day("2026-03-01")], 27.12),  # 19 800 / 730
    ("AE_MATERNITE", [40000.0, 40000.0, 40000.0, "bnc", day("2026-01-01")], 11379.08),  # 4 005 + 112 × 65.84
    ("AE_IMPOT", [30000.0, "bnc", 2025.0], 413.15),                 # 902 − 488.85
    ("AE_CASE_2042", ["bnc", True], "5TE"),
    ("AE_DATE_DEPASSEMENT", [20000.0, "service_bic", day("2026-04-30"), "tva"], day("2026-08-14")),
    ("AE_TVA_DEPASSEMENT", [[[day("2026-03-01")], [day("2026-06-01")]], [[40000.0], [1251.0]], [["bnc"], ["bnc"]],
                            2026.0], day("2026-06-01")),
]
TEXT = [
    ("AE_IMPOT_VL", [30000.0, "bnc", 2025.0], "le barème est moins cher de 246,85 €"),
    ("AE_IJ", [30000.0, 30000.0, 30000.0, "bnc", day("2026-03-01"), True], "RAAM 2023-2025 de 19 800 €"),
]
INVALID = [
    ("AE_TRIMESTRES", [-1.0, "bnc", 2026.0], ["ca : montant négatif"]),
    ("AE_CA_TRIMESTRES", [5.0, "bnc", 2026.0], ["nb : valeur « 5 » refusée"]),
    ("AE_IJ", [0.0, 0.0, 0.0, "bnc", day("2022-12-31")], ["date_arret : le 31/12/2022 est antérieur"]),
    ("AE_MATERNITE", [0.0, 0.0, 0.0, "bnc", day("2026-01-01"), "adoption"], ["conge : valeur « adoption » refusée"]),
    ("AE_IMPOT", [1000.0, "bnc", 2025.0, 0.0], ["parts : valeur « 0 » refusée"]),
    ("AE_IMPOT_VL", [1000.0, "bnc", 2022.0], ["annee : 2022 est antérieure"]),
    ("AE_CASE_2042", ["astrologue"], ["activite : valeur « astrologue » refusée"]),
    ("AE_DATE_DEPASSEMENT", [1000.0, "bnc", day("2026-01-31"), "tva_super"], ["seuil : valeur « tva_super » refusée"]),
    ("AE_TVA_DEPASSEMENT", [[[day("2026-01-01")]], [[-5.0]], [["bnc"]], 2026.0], ["montant négatif"]),
]


def test_every_function_has_valid_and_invalid_cases():
    assert {c[0] for c in VALID + TEXT} == set(NAMES) == {c[0] for c in INVALID}


@pytest.fixture(scope="module")
def classic():
    return run("classic", MODULE, json.dumps([]))


def test_classic_vba_names_signatures_and_help(classic):
    assert sorted(classic["registered"]) == NAMES
    procedures = re.findall(r"^Function (\w+)\((.*)\)$", classic["vba"], flags=re.M)
    assert sorted(name for name, _ in procedures) == NAMES
    for name, info in classic["registered"].items():
        assert 30 < len(info["help"]) <= 255, (name, len(info["help"]))
        assert "convert" not in info["return_options"], name
        for argument in info["args"]:
            assert argument["name"].lower() not in VBA_RESERVED, (name, argument["name"])
            assert re.fullmatch(r"[a-z][a-z0-9_]*", argument["name"]), argument["name"]
            assert 10 < len(argument["doc"]) <= 255, (name, argument["name"])


@pytest.mark.parametrize("mode", ["classic", "officejs"])
def test_values_texts_and_errors(mode):
    for (name, args, expected), result in zip(VALID, call_all(mode, VALID)):
        value = plain(mode, result)
        if isinstance(expected, float):
            assert value == pytest.approx(expected, abs=1e-9), (name, args, result)
        else:
            assert value == expected, (name, args, result)
    for (name, args, fragment), result in zip(TEXT, call_all(mode, TEXT)):
        value = plain(mode, result)
        assert isinstance(value, str) and fragment in value, (name, result)
    for (name, args, fragments), result in zip(INVALID, call_all(mode, INVALID)):
        text = plain(mode, result)
        text = text["error"] if mode == "officejs" else text
        if mode == "officejs":
            assert result.get("raised") == "XlaeError", (name, result)
        else:
            assert text.startswith("Erreur : "), (name, result)
        for fragment in fragments:
            assert fragment in text, (name, fragment, text)


def test_officejs_meta(tmp_path):
    meta = run("officejs", MODULE, json.dumps([]))["meta"]
    functions = {f["id"]: f for f in meta["functions"]}
    assert sorted(functions) == NAMES
    for name, function in functions.items():
        assert 30 < len(function["description"]) <= 255
        assert [p["name"] for p in function["parameters"]] == list(getattr(udfs_droits, name.lower()).argument_help)
