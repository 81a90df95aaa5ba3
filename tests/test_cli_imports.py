"""Instant commands: ``xlae --version``, ``xlae --help`` and ``xlae CMD --help`` load no heavy library.

Why: every command used to pay about 0.5 s of imports (openpyxl, pandas, numpy) because
``cli.build_parser`` imports each command module to register it. Each module must
import at its top only what its parser needs; its run function imports the rest.
Checked in a fresh interpreter (``sys.modules`` after the call), not timed.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

from xlae import commands

HEAVY = ("pandas", "numpy", "openpyxl", "python_calamine", "xlwings", "formulas", "lxml")
# xlae modules that a parser never needs: the readers, the batch, the rates sheet and the rules.
HEAVY_XLAE = ("xlae.ledger", "xlae.books", "xlae.batch", "xlae.rates", "xlae.rules", "xlae.coerce", "xlae.template.build",
              "xlae.template.synthese", "xlae.udfs", "xlae.excel", "xlae.lite")
COMMANDS = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))

PROBE = """
import contextlib, io, json, sys
import xlae.cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = xlae.cli.main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY_XLAE)]


def test_the_commands_are_found():
    assert {"recalculer", "verifier", "declaration", "importer", "cloturer", "simuler", "bilan", "modele",
            "lite", "demo"} <= set(COMMANDS)


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_load_nothing_heavy(argv):
    result = _probe(*argv)
    assert result["code"] == 0
    assert result["out"].startswith("xlae ") if argv == ("--version",) else "usage : xlae" in result["out"]
    assert _heavy(result["modules"]) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_is_full_french_and_loads_nothing_heavy(command):
    result = _probe(command, "--help")
    assert result["code"] == 0
    assert result["out"].startswith(f"usage : xlae {command}")
    assert "affiche cette aide et quitte" in result["out"]  # argparse's own text, in French
    assert _heavy(result["modules"]) == []


def test_a_command_still_loads_what_it_uses():
    """The probe can see imports: a real run of ``simuler`` loads the rules and the rates sheet."""
    result = _probe("simuler", "--activite", "bnc", "--ca", "30000", "--annee", "2026")
    assert result["code"] == 0 and "Plafond" in result["out"]
    assert "xlae.rates" in result["modules"] and "xlae.rules.cotisations" in result["modules"]
