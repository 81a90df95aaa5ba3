"""``xlae simuler`` end to end through ``xlae.cli.main``: printed figures, hand-computed."""

from __future__ import annotations

import pytest

from xlae.cli import main


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["simuler", *args])
    out, err = capsys.readouterr()
    # euros() separates thousands with a narrow no-break space: compare with plain spaces.
    return code, out.replace("\u202f", " ").splitlines(), err


def test_bnc_creation_year_with_acre_and_vl(capsys):
    code, lines, err = run(capsys, "--activite", "bnc", "--ca", "42000", "--annee", "2026", "--acre",
                           "--date-creation", "2026-03-01", "--vl")
    assert (code, err) == (0, "")
    assert lines[0] == ("Simulation xlae — profession libérale non réglementée (BNC, SSI), année 2026 "
                        "(barème intégré)")
    expected = [
        "Création le 01/03/2026 : prorata 306/365 = 83,84 %",          # Mar→Dec inclusive = 306 days
        "Plafond applicable au CA 2026 (plafond 2027, qui décide du régime 2027) proratisé : 70 086,58 €",  # 83 600 × 306 / 365
        # 42 000 / 70 086.58 = 59.9 % ; 70 086.58 − 42 000 = 28 086.58
        "CA encaissé : 42 000,00 € — 59,9 % du plafond ; marge restante : 28 086,58 €",
        "Situation : Sous le plafond : 59,9 % utilisé ; régime micro maintenu en 2027.",
        "Abattement forfaitaire : 14 280,00 €",                          # 42 000 × 34 %
        "Revenu imposable (CA − abattement) : 27 720,00 €",
        # 10 months of 4 200 × 12.80 % (25.6 % × 50 %) = 537.60 × 10 = 5 376
        "  03/2026 → 12/2026 : 12,80 % (ACRE : 50 % du taux normal, arrondi à 2 décimale(s), "
        "jusqu'au 31/12/2026) = 5 376,00 €",
        "  Total cotisations sociales : 5 376,00 €",
        "CFP (0,200 %) : 84,00 €",                                       # 42 000 × 0.2 %
        "Versement libératoire (2,2 %) : 924,00 €",                      # 42 000 × 2.2 %
        "Total à payer sur l'année : 6 384,00 €",                        # 5 376 + 84 + 924
        "Reste après prélèvements : 35 616,00 €",                        # 42 000 − 6 384
        "TVA : TVA due à compter du jour du dépassement : CA de services 2026 de 42 000 € > "
        "seuil majoré de 41 250 €.",
        "Sources :",
        "Les valeurs marquées « incertain » sont discutées dans le README (points contestés).",
    ]
    for line in expected:
        assert line in lines
    assert not any(line.startswith("TFC") for line in lines)  # liberal profession: no TFC line
    sources = "\n".join(lines[lines.index("Sources :"):])
    assert "taux_cotisations [bnc/metropole] = 0.256 taux depuis le 01/01/2026 (vérifié)" in sources
    assert "acre_part [toutes/toutes] = 0.50 taux depuis le 01/01/2020 (vérifié)" in sources
    assert "plafond_ca [bnc/toutes] = 83600 EUR" in sources
    assert "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000052218738" in sources


def test_bnc_2024_rate_change_on_1_july(capsys):
    code, lines, _ = run(capsys, "--activite", "BNC", "--ca", "42000", "--annee", "2024")
    assert code == 0
    assert "Plafond applicable au CA 2024 (plafond 2025, qui décide du régime 2025) : 77 700,00 €" in lines
    # 6 months × 3 500 × 21.1 % = 4 431 ; 6 months × 3 500 × 23.1 % = 4 851
    assert "  01/2024 → 06/2024 : 21,10 % (taux normal bnc) = 4 431,00 €" in lines
    assert "  07/2024 → 12/2024 : 23,10 % (taux normal bnc) = 4 851,00 €" in lines
    assert "  Total cotisations sociales : 9 282,00 €" in lines
    assert "Total à payer sur l'année : 9 366,00 €" in lines      # 9 282 + CFP 84
    assert "TVA : TVA due à compter du 1er jour du mois du dépassement : CA de services 2024 de 42 000 € > " \
           "seuil majoré de 39 100 €." in lines


def test_artisan_in_moselle(capsys):
    code, lines, _ = run(capsys, "--activite", "service_bic", "--ca", "30000", "--annee", "2026",
                         "--nature", "artisanale", "--departement", "57")
    assert code == 0
    expected = [
        "CA encaissé : 30 000,00 € — 35,9 % du plafond ; marge restante : 53 600,00 €",  # 30 000 / 83 600
        "Abattement forfaitaire : 15 000,00 €",                    # 30 000 × 50 %
        "  01/2026 → 12/2026 : 21,20 % (taux normal service_bic) = 6 360,00 €",  # 12 × 2 500 × 21.2 %
        "CFP (0,300 %) : 90,00 €",                                 # 30 000 × 0.3 %
        "TFC (0,830 %) : 249,00 €",                                # 30 000 × 0.83 % (Moselle)
        "Total à payer sur l'année : 6 699,00 €",                  # 6 360 + 90 + 249
        "Reste après prélèvements : 23 301,00 €",
        "TVA : Franchise en base de TVA en 2026, maintenue en 2027 (CA de services 2026 de 30 000 € ≤ 37 500 €).",
    ]
    for line in expected:
        assert line in lines


def test_acre_ending_during_the_year(capsys):
    # Created 01/05/2025 (Q2): ACRE until 31/03/2026. 12 000 / 12 = 1 000 a month.
    code, lines, _ = run(capsys, "--activite", "vente", "--ca", "12000", "--annee", "2026", "--acre",
                         "--date-creation", "01/05/2025")
    assert code == 0
    # 3 × 1 000 × 6.2 % = 186 ; 9 × 1 000 × 12.3 % = 1 107
    assert ("  01/2026 → 03/2026 : 6,20 % (ACRE : 50 % du taux normal, arrondi à 1 décimale(s), "
            "jusqu'au 31/03/2026) = 186,00 €") in lines
    assert "  04/2026 → 12/2026 : 12,30 % (taux normal (ACRE terminée le 31/03/2026)) = 1 107,00 €" in lines
    assert "  Total cotisations sociales : 1 293,00 €" in lines
    assert "CFP (0,100 %) : 12,00 €" in lines                     # 12 000 × 0.1 %
    assert "TFC (0,015 %) : 1,80 €" in lines                      # 12 000 × 0.015 %
    assert "Total à payer sur l'année : 1 306,80 €" in lines      # 1 293 + 12 + 1.80
    assert "Abattement forfaitaire : 8 520,00 €" in lines         # 12 000 × 71 %


def test_second_year_over_and_vat_from_january(capsys):
    code, lines, _ = run(capsys, "--activite", "bnc", "--ca", "90000", "--annee", "2025",
                         "--ca-precedent", "84000")
    assert code == 0
    situation = next(line for line in lines if line.startswith("Situation : "))
    assert situation.endswith("sortie du régime micro au 1er janvier 2026.")
    assert ("TVA : TVA due depuis le 1er janvier 2025 : CA de services 2024 de 84 000 € > "
            "seuil de 41 250 €.") in lines
    # judged with the 2026 ceiling: 90 000 / 83 600 = 107.66 % ; 90 000 − 83 600 = 6 400 over
    assert "CA encaissé : 90 000,00 € — 107,7 % du plafond ; dépassement de 6 400,00 €" in lines


def test_after_the_newest_rates_warns(capsys):
    code, lines, _ = run(capsys, "--activite", "service_bic", "--ca", "30000", "--annee", "2031")
    assert code == 0
    assert lines[1] == ("Attention : 2031 est au-delà des valeurs connues du barème (dernières valeurs : "
                        "2029) ; les dernières valeurs connues sont utilisées.")
    assert "Plafond applicable au CA 2031 (plafond 2032, qui décide du régime 2032) : 83 600,00 €" in lines
    assert "  Total cotisations sociales : 6 360,00 €" in lines   # 30 000 × 21.2 %


def test_no_warning_inside_the_rates(capsys):
    _, lines, _ = run(capsys, "--activite", "vente", "--ca", "1000", "--annee", "2026")
    assert not any(line.startswith("Attention") for line in lines)


@pytest.mark.parametrize("args,message", [
    (["--activite", "bnc", "--ca", "1000", "--annee", "2026", "--acre"],
     "Erreur : --acre : indiquez aussi --date-creation (l'ACRE dépend de la date de création).\n"),
    (["--activite", "bnc", "--ca=-5", "--annee", "2026"],
     "Erreur : --ca : montant négatif « -5 » refusé ; le chiffre d'affaires encaissé est positif ou nul.\n"),
    (["--activite", "bnc", "--ca", "beaucoup", "--annee", "2026"],
     "Erreur : --ca : valeur « beaucoup » refusée. Valeurs acceptées : un montant en euros, positif ou nul "
     "(ex. 1234,56).\n"),
    (["--activite", "boulanger", "--ca", "1000", "--annee", "2026"],
     "Erreur : activite : valeur « boulanger » refusée. Valeurs acceptées : vente, service_bic, bnc, "
     "bnc_cipav, ou un libellé courant (« BNC », « Libéral », « prestations de services BIC »…).\n"),
    (["--activite", "bnc", "--ca", "1000", "--annee", "2026", "--date-creation", "31/02/2026"],
     "Erreur : --date-creation : la date « 31/02/2026 » n'existe pas. Valeurs acceptées : un jour qui existe "
     "au calendrier (une date Excel, un numéro de série Excel, « AAAA-MM-JJ » ou « JJ/MM/AAAA »).\n"),
    (["--activite", "bnc", "--ca", "1000", "--annee", "2026", "--date-creation", "2027-01-01"],
     "Erreur : --date-creation : le 01/01/2027 est postérieur à l'année 2026.\n"),
    (["--activite", "bnc", "--ca", "1000", "--annee", "2022"],
     "Erreur : --annee : 2022 est antérieure à la couverture du barème (à partir du 01/01/2023).\n"),
    (["--activite", "bnc", "--ca", "1000", "--annee", "deux mille"],
     "Erreur : --annee : valeur « deux mille » refusée. Valeurs acceptées : une année sur quatre chiffres "
     "(ex. 2026).\n"),
])
def test_bad_input_french_error_exit_2(capsys, args, message):
    code = main(["simuler", *args])
    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", message)


def test_revision_year_names_the_ceiling_that_decides(capsys):
    # 2025 BNC: plafond 2025 = 77 700 but CA 2025 decides the 2026 regime, judged with 83 600.
    code, lines, err = run(capsys, "--activite", "bnc", "--ca", "80000", "--annee", "2025")
    assert (code, err) == (0, "")
    # Before the fix the report said « dépassement de 2 300 € » (vs 77 700) next to « sous le plafond ».
    assert "Plafond applicable au CA 2025 (plafond 2026, qui décide du régime 2026) : 83 600,00 €" in lines
    # 80 000 / 83 600 = 95.69 % ; 83 600 − 80 000 = 3 600 left
    assert "CA encaissé : 80 000,00 € — 95,7 % du plafond ; marge restante : 3 600,00 €" in lines
    assert ("Le plafond en vigueur en 2025 (77 700,00 €) jugeait les CA 2024 et 2023 (régime 2025) ; "
            "le CA 2025 est jugé avec celui de 2026.") in lines
    # 80 000 / 83 600 = 95.7 %
    assert "Situation : Sous le plafond : 95,7 % utilisé ; régime micro maintenu en 2026." in lines


def test_small_ca_recalls_the_uncertain_tfc_threshold(capsys):
    # commercial services, CA 4 000 ≤ 5 000: TFC still computed, 4 000 × 0.044 % = 1.76
    code, lines, err = run(capsys, "--activite", "service_bic", "--ca", "4000", "--annee", "2026")
    assert (code, err) == (0, "")
    assert "TFC (0,044 %) : 1,76 €" in lines
    assert ("  Note : CA ≤ 5 000 € ; selon service-public la TFC n'est due qu'au-delà (mécanisme non précisé, "
            "incertain) ; xlae la compte comme l'URSSAF, à chaque déclaration.") in lines
    # 5 001 €: no note
    code, lines, err = run(capsys, "--activite", "service_bic", "--ca", "5001", "--annee", "2026")
    assert not any(line.startswith("  Note : CA ≤") for line in lines)


def test_bnc_2024_split_at_the_july_rate_change(capsys):
    code, lines, err = run(capsys, "--activite", "bnc", "--ca", "40000", "--annee", "2024")
    assert (code, err) == (0, "")
    assert "  01/2024 → 06/2024 : 21,10 % (taux normal bnc) = 4 220,00 €" in lines   # 20 000 × 21.1 %
    assert "  07/2024 → 12/2024 : 23,10 % (taux normal bnc) = 4 620,00 €" in lines   # 20 000 × 23.1 %
    assert "  Total cotisations sociales : 8 840,00 €" in lines                      # 4 220 + 4 620


def test_one_rounding_per_rate_period_not_per_month(capsys):
    # 4 000 × 21.2 % = 848.00 (twelve monthly roundings of 70.666… would give 848.04)
    code, lines, err = run(capsys, "--activite", "service_bic", "--ca", "4000", "--annee", "2026")
    assert "  Total cotisations sociales : 848,00 €" in lines


def test_vl_states_its_income_condition(capsys):
    # VL 2026: RFR 2024 ≤ 29 315 € per part (rates sheet row vl_plafond_rfr_part, LF 2025 barème)
    code, lines, err = run(capsys, "--activite", "bnc", "--ca", "42000", "--annee", "2026", "--vl")
    assert "Versement libératoire (2,2 %) : 924,00 €" in lines          # 42 000 × 2.2 %
    assert ("  Condition : revenu fiscal de référence 2024 ≤ 29 315 € par part (+50 % par demi-part, "
            "+25 % par quart de part) et CA de l'année précédente sous les plafonds.") in lines
