"""The helper block (columns AF:AG, not printed): parameters as the formulas read them, rates, dates.

Why: every native formula then reads one cell instead of re-deriving a parameter,
and the Python twin of each is one line of the rules. The readings only this block
needs (the first parameter error, the prorata, the end of the ACRE and of the
first declaration) live here beside their formulas.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .. import natif as N
from ..natif import literal as _lit
from .geometry import CODE_LABELS, CODES, COUNT, DATE, GENERAL, HELPER_FIRST, HELPER_LABEL_COL, MONEY, ROW_CA_CAT
from .values import _blank, _is_number, _serial, _text_eq

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def helpers(b: _Builder) -> None:
    """Parameters normalised once, the rates the summary needs, creation-dependent dates.

    Why: every native formula then reads one cell instead of re-deriving a
    parameter, and the Python twin of each is one line of the rules.
    """
    H = b.H
    b.text(f"{HELPER_LABEL_COL}{HELPER_FIRST - 1}", "Calculs intermédiaires (paramètres lus, barème en vigueur)")
    jan1, next1, prev1 = "DATE(annee,1,1)", "DATE(annee+1,1,1)", "DATE(annee-1,1,1)"
    b.helper("acre", "ACRE (oui / non)", '=IF(acre="oui","oui","non")', GENERAL, "text",
             lambda c: "oui" if _text_eq(c.p("acre"), "oui") else "non")
    b.helper("creation", "Date de création lue", '=IF(ISNUMBER(date_creation),INT(date_creation),"")', DATE,
             "date", lambda c: c.creation or "")
    # Receipts dated before the creation count nowhere (as xlae declaration, bilan and verifier):
    # every CA sum starts at this day (0 without a creation date).
    b.helper("debut_comptage", "Recettes comptées à partir du jour (numéro de série de la création, 0 sans date)",
             "=IF(ISNUMBER(date_creation),INT(date_creation),0)", GENERAL, "count",
             lambda c: _serial(c.creation) if c.creation else 0.0)
    b.helper("zone", "Zone lue", '=IF(OR(zone="drom",zone="mayotte"),LOWER(zone),"metropole")', GENERAL,
             "text", lambda c: c.zone)
    b.helper("periodicite", "Périodicité lue", '=IF(periodicite="trimestrielle","trimestrielle","mensuelle")',
             GENERAL, "text", lambda c: c.periodicite)
    b.helper("tfc_zone", "Zone de la TFC (département)",
             '=IF(OR(departement=57,departement="57"),"moselle",IF(OR(departement=67,departement=68,'
             'departement="67",departement="68"),"alsace","toutes"))', GENERAL, "text", lambda c: c.tfc_zone)
    used = [f"$C${ROW_CA_CAT + i}" for i in range(4)]
    any_code = "OR(" + ",".join(f'{u}<>""' for u in used) + ")"
    for i, code in enumerate(CODES):
        default = "liberale" if code.startswith("bnc") else "commerciale"
        b.helper(f"nature_{code}", f"Nature retenue ({code})", f'=IF(nature="","{default}",LOWER(nature))',
                 GENERAL, "text", lambda c, code=code: c.nature(code))
    for i, code in enumerate(CODES):
        kind = "vente" if code == "vente" else "service"
        nat = H[f"nature_{code}"]
        b.helper(f"cfp_{code}", f"Clé CFP du barème ({code})",
                 f'=IF({nat}="artisanale","artisanale",IF({nat}="liberale","liberale","commerciale_{kind}"))',
                 GENERAL, "text", lambda c, code=code: c.cfp_key(code))
        b.helper(f"tfc_{code}", f"Clé TFC du barème ({code})",
                 f'=IF({nat}="liberale","liberale",{nat}&"_{kind}")', GENERAL, "text",
                 lambda c, code=code: c.tfc_key(code))
    # Parameter errors: the first one, as a French sentence ("" when none).
    checks = [(f"NOT({any_code})", '"Erreur : activite : aucune activité renseignée dans la plage."'),
              ('AND(acre<>"",acre<>"oui",acre<>"non")',
               '"Erreur : acre : valeur « "&acre&" » refusée. Valeurs acceptées : oui, non."'),
              ('AND(NOT(ISNUMBER(date_creation)),date_creation<>"")',
               '"Erreur : date_creation : valeur « "&date_creation&" » refusée. Valeurs acceptées : une date '
               '(JJ/MM/AAAA)."'),
              ('AND(zone<>"",zone<>"metropole",zone<>"drom",zone<>"mayotte")',
               '"Erreur : zone : valeur « "&zone&" » refusée. Valeurs acceptées : metropole, drom, mayotte."'),
              ('AND(periodicite<>"",periodicite<>"mensuelle",periodicite<>"trimestrielle")',
               '"Erreur : periodicite : valeur « "&periodicite&" » refusée. Valeurs acceptées : mensuelle, '
               'trimestrielle."'),
              ('AND(nature<>"",nature<>"commerciale",nature<>"artisanale",nature<>"liberale")',
               '"Erreur : nature : valeur « "&nature&" » refusée. Valeurs acceptées : commerciale, artisanale, '
               'liberale."'),
              (f'AND(nature="liberale",OR({used[0]}<>"",{used[1]}<>""))',
               '"Erreur : nature : « liberale » ne convient qu\'au BNC ; laissez la nature vide en activité '
               'mixte BIC + BNC."'),
              (f'AND(OR(nature="commerciale",nature="artisanale"),OR({used[2]}<>"",{used[3]}<>""))',
               '"Erreur : nature : « "&nature&" » ne convient pas au BNC (liberale) ; laissez la nature vide '
               'en activité mixte BIC + BNC."')]
    formula = '""'
    for test, message in reversed(checks):
        formula = f"IF({test},{message},{formula})"
    b.helper("erreur", "Paramètre refusé (vide : aucun)", "=" + formula, GENERAL, "text",
             lambda c: _parameter_error(c))
    creation = H["creation"]
    b.helper("acre_fin", "Fin de l'ACRE",
             f'=IF(AND({H["acre"]}="oui",ISNUMBER({creation})),'
             f'{N.quarter_end(N.quarter_index(creation) + "+" + N.lookup("acre_trimestres_suivants", _lit("toutes"), _lit("toutes"), creation))},"")',
             DATE, "date", lambda c: _acre_end(c) or "")
    b.helper("acre_part", "Part du taux normal sous ACRE",
             f'=IF(ISNUMBER({creation}),{N.lookup("acre_part", _lit("toutes"), _lit("toutes"), creation)},"")',
             "0%", "share", lambda c: c.rate_by_creation("acre_part") if c.creation else "")
    months = N.lookup("declaration_premiere_mois_suivants", _lit("toutes"), _lit("toutes"), creation)
    quarters = N.lookup("declaration_premiere_trimestres_suivants", _lit("toutes"), _lit("toutes"), creation)
    b.helper("premiere_fin", "Fin de la première déclaration",
             f'=IF(ISNUMBER({creation}),IF({H["periodicite"]}="trimestrielle",'
             f'{N.quarter_end(N.quarter_index(creation) + "+" + quarters)},EOMONTH({creation},{months})),"")',
             DATE, "date", lambda c: _first_end(c) or "")
    for key, year in (("", "annee"), ("_prec", "annee-1")):
        on = f"DATE({year},1,1)"
        div = b.helper(f"jours_annee{key}", f"Jours de l'année du prorata ({year})",
                       "=" + N.lookup("prorata_jours_annee", _lit("toutes"), _lit("toutes"), on), COUNT, "count",
                       lambda c, key=key: float(_prorata(c, key)[1]))
        b.helper(f"jours{key}", f"Jours d'activité du prorata ({year})",
                 f'=IF(NOT(ISNUMBER({creation})),{div},IF(YEAR({creation})<{year},{div},IF(YEAR({creation})>{year},0,'
                 f'MIN(DATE({year},12,31)-{creation}+{N.lookup("prorata_jour_creation_compte", _lit("toutes"), _lit("toutes"), on)},{div}))))',
                 COUNT, "count", lambda c, key=key: float(_prorata(c, key)[0]))
    for code in ("vente", "service_bic"):
        b.helper(f"plafond_{code}", f"Plafond {CODE_LABELS[code]} de l'année suivante (non proratisé)",
                 "=" + N.lookup("plafond_ca", _lit(code), _lit("toutes"), next1), MONEY, "money",
                 lambda c, code=code: c.rate("plafond_ca", code, "toutes", dt.date(c.annee + 1, 1, 1)))
    for param in ("tva_tolerance_annee_n2", "tva_perte_jour_depassement"):
        b.helper(param, f"{param} ({'annee'})", "=" + N.lookup(param, _lit("toutes"), _lit("toutes"), jan1),
                 COUNT, "count", lambda c, param=param: c.rate(param, "toutes", "toutes", dt.date(c.annee, 1, 1)))
    b.helper("tva_tolerance_suivante", "tva_tolerance_annee_n2 (annee+1)",
             "=" + N.lookup("tva_tolerance_annee_n2", _lit("toutes"), _lit("toutes"), next1), COUNT, "count",
             lambda c: c.rate("tva_tolerance_annee_n2", "toutes", "toutes", dt.date(c.annee + 1, 1, 1)))
    for param, code in (("tva_seuil", "vente"), ("tva_seuil_majore", "vente"), ("tva_seuil", "service_bic"),
                        ("tva_seuil_majore", "service_bic")):
        b.helper(f"{param}_{code}_suivant", f"{param} {code} (annee+1)",
                 "=" + N.lookup(param, _lit(code), _lit("toutes"), next1), MONEY, "money",
                 lambda c, param=param, code=code: c.rate(param, code, "toutes", dt.date(c.annee + 1, 1, 1)))
    b.helper("abattement_par_fraction", "Plancher d'abattement par fraction (1) ou global (0)",
             "=" + N.lookup("abattement_minimum_par_fraction", _lit("toutes"), _lit("toutes"), jan1), COUNT,
             "count", lambda c: c.rate("abattement_minimum_par_fraction", "toutes", "toutes", dt.date(c.annee, 1, 1)))
    for code in ("vente", "service_bic", "bnc"):
        for param in ("abattement_taux", "abattement_minimum"):
            b.helper(f"{param}_{code}", f"{param} {code}", "=" + N.lookup(param, _lit(code), _lit("toutes"), jan1),
                     GENERAL, "share", lambda c, param=param, code=code: c.rate(param, code, "toutes",
                                                                              dt.date(c.annee, 1, 1)))
    del prev1


def _parameter_error(c: _Context) -> str:
    used = [c[f"C{ROW_CA_CAT + i}"] != "" for i in range(4)]
    p = c.p

    def shown(name: str) -> str:
        value = p(name)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def other(name: str, *allowed: str) -> bool:
        return not _blank(p(name)) and not any(_text_eq(p(name), a) for a in allowed)

    nature = p("nature")
    if not any(used):
        return "Erreur : activite : aucune activité renseignée dans la plage."
    if other("acre", "oui", "non"):
        return f"Erreur : acre : valeur « {shown('acre')} » refusée. Valeurs acceptées : oui, non."
    if not _blank(p("date_creation")) and not _is_number(p("date_creation")):
        return (f"Erreur : date_creation : valeur « {shown('date_creation')} » refusée. Valeurs acceptées : "
                "une date (JJ/MM/AAAA).")
    if other("zone", "metropole", "drom", "mayotte"):
        return f"Erreur : zone : valeur « {shown('zone')} » refusée. Valeurs acceptées : metropole, drom, mayotte."
    if other("periodicite", "mensuelle", "trimestrielle"):
        return (f"Erreur : periodicite : valeur « {shown('periodicite')} » refusée. Valeurs acceptées : "
                "mensuelle, trimestrielle.")
    if other("nature", "commerciale", "artisanale", "liberale"):
        return (f"Erreur : nature : valeur « {shown('nature')} » refusée. Valeurs acceptées : commerciale, "
                "artisanale, liberale.")
    if _text_eq(nature, "liberale") and (used[0] or used[1]):
        return ("Erreur : nature : « liberale » ne convient qu'au BNC ; laissez la nature vide en activité "
                "mixte BIC + BNC.")
    if (_text_eq(nature, "commerciale") or _text_eq(nature, "artisanale")) and (used[2] or used[3]):
        return (f"Erreur : nature : « {shown('nature')} » ne convient pas au BNC (liberale) ; laissez la nature "
                "vide en activité mixte BIC + BNC.")
    return ""


def _acre_end(c: _Context) -> dt.date | None:
    if c.creation is None or not _text_eq(c.p("acre"), "oui"):
        return None
    from ...rules.periods import quarter_end, quarter_index
    return quarter_end(quarter_index(c.creation) + int(c.rate_by_creation("acre_trimestres_suivants")))


def _first_end(c: _Context) -> dt.date | None:
    if c.creation is None:
        return None
    from ...rules.periods import month_end, quarter_end, quarter_index
    if c.periodicite == "trimestrielle":
        return quarter_end(quarter_index(c.creation)
                           + int(c.rate_by_creation("declaration_premiere_trimestres_suivants")))
    months = int(c.rate_by_creation("declaration_premiere_mois_suivants"))
    index = c.creation.month - 1 + months
    return month_end(c.creation.year + index // 12, index % 12 + 1)


def _prorata(c: _Context, key: str) -> tuple[int, int]:
    """(days, divisor) of the prorata for the displayed year ("") or the year before ("_prec")."""
    year = c.annee - (1 if key else 0)
    on = dt.date(year, 1, 1)
    divisor = int(c.rate("prorata_jours_annee", "toutes", "toutes", on))
    start = c.creation
    if start is None or start.year < year:
        return divisor, divisor
    if start.year > year:
        return 0, divisor
    include = int(c.rate("prorata_jour_creation_compte", "toutes", "toutes", on))
    return min((dt.date(year, 12, 31) - start).days + include, divisor), divisor

