"""The ``xlae`` dispatcher: help, version, French argparse messages, ``--bareme``,
and every user error as "Erreur : …" on stderr with exit code 2."""

from __future__ import annotations

import pytest

from xlae import __version__
from xlae.cli import build_parser, main
from xlae.rates import bundled_text, get_rates


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage : xlae")
    assert "simuler" in out and "Les règles des micro-entrepreneurs" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"xlae {__version__}"


def test_unknown_command_in_french(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["inventer"])
    assert stop.value.code == 2
    assert "xlae : erreur : argument COMMANDE : choix invalide : 'inventer'" in capsys.readouterr().err


def test_missing_required_argument_in_french(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["simuler", "--activite", "bnc"])
    assert stop.value.code == 2
    assert "arguments obligatoires manquants : --ca" in capsys.readouterr().err


def test_every_command_registers_a_run_function():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "commande")
    assert "simuler" in sub.choices
    for name, command in sub.choices.items():
        assert callable(command.get_default("run")), name


def test_bareme_option_uses_the_given_sheet(capsys, restore_rates, tmp_path):
    path = tmp_path / "mon-bareme.csv"
    # The user's sheet: 2026 services ceiling changed to 90 000.
    path.write_text(bundled_text().replace("plafond_ca,service_bic|bnc|bnc_cipav,toutes,2026-01-01,83600,",
                                           "plafond_ca,service_bic|bnc|bnc_cipav,toutes,2026-01-01,90000,"),
                    encoding="utf-8")
    assert main(["--bareme", str(path), "simuler", "--activite", "bnc", "--ca", "1000", "--annee", "2026"]) == 0
    out = capsys.readouterr().out.replace("\u202f", " ")
    assert f"(barème {str(path)!r})" in out.splitlines()[0]
    assert "Plafond applicable au CA 2026 (plafond 2027, qui décide du régime 2027) : 90 000,00 €" in out


def test_bareme_option_missing_file(capsys, restore_rates, tmp_path):
    missing = tmp_path / "absent.csv"
    code = main(["--bareme", str(missing), "simuler", "--activite", "bnc", "--ca", "1", "--annee", "2026"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"Erreur : Barème : fichier {str(missing)!r} introuvable.\n"
    assert get_rates().origin == "intégré"  # the sheet in use is unchanged


def test_bareme_option_malformed_file(capsys, restore_rates, tmp_path):
    path = tmp_path / "faux.csv"
    path.write_text("parametre,valeur\nplafond_ca,1\n", encoding="utf-8")
    code = main(["--bareme", str(path), "simuler", "--activite", "bnc", "--ca", "1", "--annee", "2026"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Erreur : Barème {str(path)!r} : colonnes manquantes : categorie, zone, date_effet")
