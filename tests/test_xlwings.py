"""The AE_* functions through xlwings' own code: classic (VBA + COM server) and Office.js (xlwings Lite).

Each runtime runs in a fresh process (``tests/xlwings_runtime.py``): xlwings picks its
decorators when it is imported, exactly as in Excel. Classic: xlwings believes it is on
Windows (pywin32 stubbed), ``generate_vba_wrapper`` writes the VBA module and ``call_udf``
converts arguments and results. Office.js: ``XLWINGS_ON_SERVER=true``, ``custom_functions_meta``
describes the functions, ``custom_functions_call`` runs the JSON payload Excel sends.
Arguments are given as each runtime hands them over: classic floats, pywin32 dates, 1-D
tuples for one row or column, 2-D tuples for a block, the VBA « missing » marker for an
omitted optional argument; Office.js matrices, serial numbers for dates, null when omitted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import xlwings

from xlae import udfs

ROOT = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).with_name("xlwings_runtime.py")
LITE_MAIN = ROOT / "xlwings_lite" / "main.py"
EXCEL_EPOCH = dt.date(1899, 12, 30)
NAMES = sorted(name.upper() for name in udfs.__all__)

# VBA keywords and the VBA functions an argument name must not shadow (a parameter named after
# one of them breaks the whole generated module, like xlwings issue 563 with « currency »).
VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "cbool", "cbyte", "ccur", "cdate",
    "cdbl", "cdec", "cint", "clng", "clnglng", "clngptr", "const", "csng", "cstr", "currency", "cvar",
    "date", "decimal", "declare", "defbool", "dim", "do", "double", "each", "else", "elseif", "empty",
    "end", "endif", "enum", "eqv", "erase", "error", "event", "exit", "false", "for", "friend", "function",
    "get", "global", "gosub", "goto", "if", "imp", "implements", "in", "integer", "is", "let", "lib", "like",
    "long", "longlong", "longptr", "loop", "lset", "me", "mod", "new", "next", "not", "nothing", "null",
    "object", "on", "option", "optional", "or", "paramarray", "preserve", "private", "property", "public",
    "raiseevent", "redim", "rem", "resume", "return", "rset", "select", "set", "single", "static", "step",
    "stop", "string", "sub", "then", "to", "true", "type", "typeof", "until", "variant", "wend", "while",
    "with", "withevents", "xor",
    # VBA functions and objects
    "abs", "array", "asc", "chr", "day", "debug", "dir", "format", "hour", "int", "left", "len", "mid",
    "minute", "month", "now", "right", "round", "second", "space", "str", "time", "timer", "trim", "val",
    "weekday", "year", "application", "range", "cells", "sheets", "worksheet", "workbook", "name", "value",
}


class Omitted:
    """An optional argument left out of the formula."""


OMIT = Omitted()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def serial(value: dt.date) -> float:
    return float((value - EXCEL_EPOCH).days)


def classic_arg(value):
    if value is OMIT:
        return {"missing": True}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list):
        return [classic_arg(v) for v in value]
    return value


def officejs_arg(value):
    if value is OMIT:
        return None
    if isinstance(value, dt.date):
        return serial(value)
    if isinstance(value, list):  # Office.js hands a range as a matrix
        rows = value if value and isinstance(value[0], list) else [value]  # 1-D: one row
        return [[officejs_arg(v) for v in row] for row in rows]
    return value


def pad(name: str, args: list) -> list:
    """Every argument of the function, the missing trailing ones omitted (as Excel passes them)."""
    count = len(getattr(udfs, name.lower()).argument_help)
    return list(args) + [OMIT] * (count - len(args))


@lru_cache(maxsize=None)
def run(mode: str, module: str, calls_json: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_ON_SERVER",)}
    done = subprocess.run([sys.executable, str(HARNESS), mode], input=json.dumps(
        {"module": module, "calls": json.loads(calls_json)}), capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def call_all(mode: str, cases, module: str = "xlae.udfs") -> list[dict]:
    convert = classic_arg if mode == "classic" else officejs_arg
    calls = [[name, [convert(a) for a in pad(name, args)]] for name, args, *_ in cases]
    return run(mode, module, json.dumps(calls))["results"]


def plain(mode: str, result: dict):
    """The value a cell shows: the 1×1 matrix unwrapped, dates back to dates."""
    if "raised" in result or ("error" in result and "value" not in result):
        return result
    value = result["value"]

    def back(cell):
        if isinstance(cell, dict) and "datetime" in cell:
            return dt.datetime.fromisoformat(cell["datetime"]).date()
        if isinstance(cell, dict) and cell.get("type") == "FormattedNumber":
            return EXCEL_EPOCH + dt.timedelta(days=int(cell["basicValue"]))
        return cell

    rows = [[back(c) for c in row] for row in value]
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows


# (Excel name, arguments as the user gives them, expected value). Hand computations:
VALID = [
    ("AE_PLAFOND", ["bnc", 2026.0], 83600.0),                        # CA 2026 judged with the 2027 ceiling
    ("AE_PLAFOND", ["service_bic", 2025.0], 83600.0),                # CA 2025 judged with the 2026 ceiling
    ("AE_PLAFOND", ["bnc", 2026.0, day("2026-07-01")], 42143.56),    # 83 600 × 184 / 365 = 42 143,56
    ("AE_PLAFOND", [["vente", "bnc"], 2026.0], 203100.0),            # a row of activities: global ceiling
    ("AE_PLAFOND", ["Libéral", 2026.0, ""], 83600.0),                # empty cell
    ("AE_PRORATA", [day("2026-07-01"), 2026.0], 184 / 365),
    ("AE_ABATTEMENT", [30000.0, "bnc", 2026.0], 10200.0),            # 30 000 × 34 % = 10 200
    ("AE_ABATTEMENT", [400.0, "vente", 2026.0], 305.0),              # 400 × 71 % = 284 € < 305 € floor
    ("AE_REVENU", [30000.0, "bnc", 2026.0], 19800.0),                # 30 000 − 10 200 = 19 800
    ("AE_REVENU", [[[10000.0], [20000.0]], [["vente"], ["bnc"]], 2026.0], 16100.0),  # 2 900 + 13 200
    ("AE_REVENU", [[10000.0, 20000.0], ["vente", "bnc"], 2026.0], 16100.0),  # same, one row (1-D)
    ("AE_TAUX", ["vente", day("2026-03-01")], 0.123),
    ("AE_TAUX", ["bnc", day("2024-06-30")], 0.211),                  # BNC before 1 July 2024
    ("AE_TAUX", ["bnc", day("2024-07-01")], 0.231),
    ("AE_COTISATIONS", [30000.0, "bnc", day("2026-03-01")], 7680.0),  # 30 000 × 25,6 % = 7 680
    ("AE_COTISATIONS", [4000.0, "service_bic", day("2026-03-01")], 848.0),  # 4 000 × 21,2 % = 848
    ("AE_COTISATIONS", [1000.0, "bnc", day("2026-05-01"), True, day("2026-03-01")], 128.0),  # ACRE: 25,6 % / 2
    ("AE_COTISATIONS", [[[1000.0], [2000.0]], "bnc", [[day("2026-01-01")], [day("2026-02-01")]]],
     [[256.0], [512.0]]),                                            # one value per date (spilled)
    ("AE_CFP", [10000.0, "bnc", day("2026-03-01")], 20.0),           # 10 000 × 0,2 % = 20
    ("AE_TFC", [10000.0, "vente", day("2026-03-01")], 1.5),          # 10 000 × 0,015 % = 1,50
    ("AE_VL", [10000.0, "bnc", day("2026-03-01")], 220.0),           # 10 000 × 2,2 % = 220
    ("AE_TVA_SEUIL", ["bnc", 2026.0], 37500.0),
    ("AE_TVA_SEUIL", ["vente", 2026.0, True], 93500.0),
    ("AE_ECHEANCE", [day("2026-03-15")], day("2026-04-30")),
    ("AE_ECHEANCE", [day("2026-02-10"), "trimestrielle"], day("2026-04-30")),
    ("AE_ECHEANCE", [[[day("2026-01-10")], [day("2026-02-10")]]], [[day("2026-02-28")], [day("2026-03-31")]]),
    ("AE_ECHEANCE", [[[day("2026-01-10"), day("2026-02-10")]]], [[day("2026-02-28"), day("2026-03-31")]]),
]
TEXT = [  # functions answering a sentence: (name, args, fragment of the text)
    ("AE_TVA", [30000.0, 25000.0, "bnc", 2026.0], "ranchise en base"),
    ("AE_DEPASSEMENT", [30000.0, "bnc", 2026.0], "Sous le plafond : 35,9 %"),  # 30 000 / 83 600
    ("AE_SOURCE", ["plafond_ca", "bnc", day("2026-03-01")], "83600"),
]
INVALID = [  # (name, args, fragments of the French message)
    ("AE_PLAFOND", ["boulanger", 2026.0], ["activite : valeur « boulanger » refusée", "vente, service_bic"]),
    ("AE_PLAFOND", ["bnc", "²"], ["annee : valeur « ² » refusée"]),
    ("AE_PLAFOND", ["bnc", 9999.0], ["annee : 9999 refusée"]),
    ("AE_PRORATA", [OMIT], ["date_creation : obligatoire"]),
    ("AE_ABATTEMENT", [-5.0, "bnc", 2026.0], ["ca : montant négatif"]),
    ("AE_REVENU", ["douze", "bnc"], ["ca : valeur « douze » refusée"]),
    ("AE_TAUX", ["bnc", "31/02/2026"], ["date_periode : la date « 31/02/2026 » n'existe pas"]),
    ("AE_COTISATIONS", [1e30, "bnc"], ["ca : montant", "trop grand"]),
    ("AE_COTISATIONS", [1000.0, "bnc", day("2022-06-01")], ["date_periode : le 01/06/2022 est antérieur"]),
    ("AE_COTISATIONS", [1000.0, "bnc", OMIT, "peut-être"], ["acre : valeur « peut-être » refusée"]),
    ("AE_COTISATIONS", [[[1.0], [2.0], [3.0]], "bnc", [[day("2026-01-01")], [day("2026-02-01")]]],
     ["ca et date_periode", "même forme"]),
    ("AE_CFP", [1000.0, "vente", day("2026-01-01"), "libérale"], ["nature : valeur « libérale » refusée"]),
    ("AE_TFC", [1000.0, "vente", day("2026-01-01"), OMIT, "999"], ["departement : valeur « 999 » refusée"]),
    ("AE_VL", [1000.0, "inconnue"], ["activite : valeur « inconnue » refusée"]),
    ("AE_TVA_SEUIL", ["vente", 2026.0, "peut-être"], ["majore : valeur « peut-être » refusée"]),
    ("AE_TVA", [1000.0, OMIT, "martien"], ["activite"]),
    ("AE_DEPASSEMENT", [1000.0, "bnc", 2025.0, day("2026-03-01")], ["date_creation : le 01/03/2026"]),
    ("AE_ECHEANCE", [day("2026-05-01"), "annuelle"], ["periodicite : valeur « annuelle » refusée"]),
    ("AE_ECHEANCE", [[[day("2026-01-10")], ["x"]]], ["date_periode (ligne 2 de la plage)"]),
    ("AE_SOURCE", ["taux_magique"], ["parametre : « taux_magique » inconnu"]),
]
ERROR_CELL = {"classic": -2146826246, "officejs": "#N/A"}  # how each runtime hands a #N/A cell over


def test_every_function_has_valid_and_invalid_cases():
    assert {c[0] for c in VALID + TEXT} == set(NAMES)
    assert {c[0] for c in INVALID} == set(NAMES)


# --- classic xlwings (Windows) -----------------------------------------------------------------

@pytest.fixture(scope="module")
def classic():
    return run("classic", "xlae.udfs", json.dumps([]))


def test_classic_registers_each_function_once_under_its_upper_case_name(classic):
    assert sorted(classic["registered"]) == NAMES
    procedures = re.findall(r"^Function (\w+)\((.*)\)$", classic["vba"], flags=re.M)
    assert sorted(name for name, _ in procedures) == NAMES  # one VBA procedure per function


def test_classic_vba_signature_has_no_reserved_word_and_optional_arguments(classic):
    for name, signature in re.findall(r"^Function (\w+)\((.*)\)$", classic["vba"], flags=re.M):
        info = classic["registered"][name]
        expected = ", ".join(("Optional " if a["optional"] else "") + a["name"] for a in info["args"])
        assert signature == expected
        for argument in info["args"]:
            assert argument["name"].lower() not in VBA_RESERVED, (name, argument["name"])
            assert re.fullmatch(r"[a-z][a-z0-9_]*", argument["name"]), argument["name"]
        assert f'XLPy.CallUDF("xlae.udfs", "{name}", ' in classic["vba"]


def test_classic_help_fits_excel_and_is_french(classic):
    for name, info in classic["registered"].items():
        assert 30 < len(info["help"]) <= 255, (name, len(info["help"]))
        assert info["category"] == "xlae (micro-entrepreneur)"
        for argument in info["args"]:
            assert 10 < len(argument["doc"]) <= 255, (name, argument["name"])
            assert not argument["doc"].startswith("Positional argument"), (name, argument["name"])


def test_classic_no_return_converter_and_every_argument_read_as_value(classic):
    for name, info in classic["registered"].items():
        assert "convert" not in info["return_options"], name
        for argument in info["args"]:
            assert argument["options"].get("ndim") == "2" and argument["options"].get("err_to_str") == "True"


@pytest.mark.parametrize("mode", ["classic", "officejs"])
def test_valid_calls_return_the_value(mode):
    results = call_all(mode, VALID)
    for (name, args, expected), result in zip(VALID, results):
        value = plain(mode, result)
        if isinstance(expected, float):
            assert value == pytest.approx(expected, abs=1e-9), (name, args, result)
        else:
            assert value == expected, (name, args, result)


@pytest.mark.parametrize("mode", ["classic", "officejs"])
def test_text_functions_return_their_sentence(mode):
    results = call_all(mode, TEXT)
    for (name, args, fragment), result in zip(TEXT, results):
        value = plain(mode, result)
        assert isinstance(value, str) and fragment in value and not value.startswith("Erreur"), (name, result)


def test_classic_invalid_calls_show_the_french_message_in_the_cell():
    """Classic VBA cannot return #VALUE! with a message: the cell shows « Erreur : … »."""
    for (name, args, fragments), result in zip(INVALID, call_all("classic", INVALID)):
        value = plain("classic", result)
        assert isinstance(value, str) and value.startswith("Erreur : "), (name, args, result)
        for fragment in fragments:
            assert fragment in value, (name, fragment, value)
        assert "Traceback" not in value


def test_officejs_invalid_calls_raise_so_the_cell_shows_value_error():
    """Office.js: the exception becomes #VALUE! with the message on hover (xlwings' JS client)."""
    for (name, args, fragments), result in zip(INVALID, call_all("officejs", INVALID)):
        assert result.get("raised") == "XlaeError", (name, args, result)
        for fragment in fragments:
            assert fragment in result["error"], (name, fragment, result["error"])
        assert not result["error"].startswith("Erreur")


@pytest.mark.parametrize("mode", ["classic", "officejs"])
def test_an_error_cell_as_argument_is_refused_not_taken_as_empty(mode):
    cases = [("AE_COTISATIONS", [ERROR_CELL[mode], "bnc", day("2026-03-01")], None),
             ("AE_REVENU", [30000.0, ERROR_CELL[mode]], None)]
    for result in call_all(mode, cases):
        text = plain(mode, result)["error"] if mode == "officejs" else plain(mode, result)
        assert "« #N/A » refusée" in text


# --- Office.js (xlwings Lite, xlwings Server) ---------------------------------------------------

@pytest.fixture(scope="module")
def meta():
    return run("officejs", "xlae.udfs", json.dumps([]))["meta"]


def test_officejs_meta_describes_every_function(meta):
    functions = {f["id"]: f for f in meta["functions"]}
    assert sorted(functions) == NAMES
    for name, function in functions.items():
        assert function["name"] == name
        assert 30 < len(function["description"]) <= 255
        python = getattr(udfs, name.lower())
        assert [p["name"] for p in function["parameters"]] == list(python.argument_help)
        for parameter in function["parameters"]:
            assert 10 < len(parameter["description"]) <= 255
            assert parameter["dimensionality"] == "matrix"
        required = [p["name"] for p in function["parameters"] if not p.get("optional")]
        assert required == [n for n, p in __import__("inspect").signature(python).parameters.items()
                            if p.default is p.empty]


def test_lite_main_is_up_to_date_and_self_contained(tmp_path):
    """xlwings_lite/main.py is what `xlae lite` writes today, and runs with no xlae installed."""
    from xlae.lite import main_py

    assert LITE_MAIN.read_text(encoding="utf-8") == main_py(), "run: xlae lite --sortie xlwings_lite/main.py --force"
    copy = tmp_path / "main.py"
    copy.write_text(LITE_MAIN.read_text(encoding="utf-8"), encoding="utf-8")
    cases = VALID[:3] + INVALID[:1]
    calls = [[name, [officejs_arg(a) for a in pad(name, args)]] for name, args, *_ in cases]
    out = run("officejs", str(copy), json.dumps(calls))
    assert "xlae-lite-" in out["xlae_file"]  # the bundled copy, not the installed package
    from xlae import udfs_droits

    assert sorted(f["id"] for f in out["meta"]["functions"]) == sorted(
        NAMES + [n.upper() for n in udfs_droits.__all__])
    assert [plain("officejs", r) for r in out["results"][:3]] == pytest.approx([c[2] for c in VALID[:3]])
    assert out["results"][3]["raised"] == "XlaeError"


def test_tested_xlwings_version_is_the_pinned_range():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    low, high = re.search(r'"xlwings>=([\d.]+),<([\d.]+)"', pyproject).groups()
    version = tuple(int(p) for p in xlwings.__version__.split(".")[:3])
    assert tuple(int(p) for p in low.split(".")) <= version < tuple(int(p) for p in high.split("."))


# --- Python callers ---------------------------------------------------------------------------

def test_python_keyword_calls_give_the_same_results():
    assert udfs.ae_cotisations(1000, "bnc", date_periode="2026-05-01", acre=True,
                               date_creation="2026-03-01") == 128.0
    assert udfs.ae_cotisations(ca=30000, activite="bnc", date_periode="2026-03-01") == 7680.0
    assert udfs.ae_echeance(date_periode="2026-03-15") == dt.date(2026, 4, 30)
    assert udfs.ae_cotisations(ca=[[1000], [2000]], activite="bnc",
                               date_periode=[["2026-01-01"], ["2026-02-01"]]) == [[256.0], [512.0]]
    assert udfs.AE_PLAFOND is udfs.ae_plafond  # the Excel name, served without a second attribute
    assert udfs.ae_plafond.__name__ == "AE_PLAFOND"
    assert "AE_PLAFOND" not in dir(udfs)
