"""``xlae simuler``: the whole year of a micro-entrepreneur in the terminal, in French.

Why: the quickest way to check a figure — and its legal source — without
opening Excel. The yearly CA is spread evenly over the months of activity so
that rate changes during the year (BNC 2024, end of ACRE) are applied month by
month, as the monthly declarations would.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal

from ..errors import XlaeError
from ..format import day, euros, percent


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("simuler", help="simule une année : plafond, revenu, cotisations, TVA",
                            description="Simule une année d'activité et affiche chaque montant avec sa source.")
    parser.add_argument("--activite", required=True, help="vente, service_bic, bnc ou bnc_cipav")
    parser.add_argument("--ca", required=True, help="chiffre d'affaires encaissé de l'année, en €")
    parser.add_argument("--annee", help="année (défaut : année en cours)")
    parser.add_argument("--date-creation", help="date de création (AAAA-MM-JJ ou JJ/MM/AAAA)")
    parser.add_argument("--acre", action="store_true", help="bénéficie de l'ACRE")
    parser.add_argument("--vl", action="store_true", help="a opté pour le versement libératoire")
    parser.add_argument("--nature", help="commerciale, artisanale ou liberale (défaut : selon l'activité)")
    parser.add_argument("--zone", help="metropole (défaut), drom ou mayotte")
    parser.add_argument("--departement", help="département (57, 67, 68 : TFC d'Alsace-Moselle)")
    parser.add_argument("--ca-precedent", help="CA de l'année précédente (tolérance, TVA, indemnités)")
    parser.add_argument("--parts", help="nombre de parts du foyer fiscal (défaut : 1)")
    parser.add_argument("--couple", action="store_true", help="couple soumis à imposition commune (défaut : dès 2 parts)")
    parser.add_argument("--autres-revenus", help="autres revenus nets imposables du foyer, en €")
    parser.add_argument("--rfr", help="revenu fiscal de référence de l'année N-2 (condition du versement libératoire)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for line in simulate(args):
        print(line)
    return 0


def simulate(args: argparse.Namespace) -> list[str]:
    """The report lines (kept separate from printing, for tests)."""
    from .. import coerce
    from ..rates import Rate, get_rates
    from ..rules import abattement, contributions, cotisations, plafond, tva
    from ..rules.money import ZERO, cents
    from ..rules.vocabulary import Nature, Periodicite, parse_activite, parse_nature, parse_zone
    from ..year import declarations
    from ..year.declarations import Terms

    rates = get_rates()
    activite = parse_activite(args.activite)
    ca = _amount(args.ca, "--ca")
    year = coerce.to_covered_year(args.annee, "--annee")
    if year >= dt.MAXYEAR:  # the CA of a year is judged with the next year's ceiling
        raise XlaeError(f"--annee : {year} refusée : le CA {year} se juge avec le plafond de {year + 1}, après "
                        f"le 31/12/{dt.MAXYEAR}, dernier jour que connaissent Excel et xlae ; au plus "
                        f"{dt.MAXYEAR - 1}.", "--annee")
    start = coerce.to_date(args.date_creation, "--date-creation", default_today=False)
    nature = parse_nature(args.nature, activite)
    zone = parse_zone(args.zone)
    dept = contributions.parse_departement(args.departement)
    previous = None if args.ca_precedent is None else _amount(args.ca_precedent, "--ca-precedent")
    if args.acre and start is None:
        raise XlaeError("--acre : indiquez aussi --date-creation (l'ACRE dépend de la date de création).",
                        "--date-creation")
    if start is not None and start.year > year:
        raise XlaeError(f"--date-creation : le {day(start)} est postérieur à l'année {year}.", "--date-creation")
    used: dict[tuple, Rate] = {}

    def cite(*rows: Rate) -> None:
        for row in rows:
            used[(row.parametre, row.categorie, row.zone, row.date_effet)] = row

    lines = [f"Simulation xlae — {activite.label}, année {year} (barème {rates.origin})"]
    if year > rates.newest_date.year:
        lines.append(f"Attention : {year} est au-delà des valeurs connues du barème (dernières valeurs : "
                     f"{rates.newest_date.year}) ; les dernières valeurs connues sont utilisées.")
    days, divisor = plafond.prorata_days(start, year)
    ceiling = plafond.plafond(activite, year, start)
    ceiling_row = plafond.plafond_ca_row(activite, year)
    cite(ceiling_row)
    cite(rates.lookup("prorata_jours_annee", "toutes", "toutes", dt.date(year, 1, 1)))
    lines.append("")
    if days < divisor:
        cite(rates.lookup("prorata_jour_creation_compte", "toutes", "toutes", dt.date(year, 1, 1)))
        lines.append(f"Création le {day(start)} : prorata {days}/{divisor} = {percent(Decimal(days) / divisor)}")
    lines.append(f"Plafond applicable au CA {year} (plafond {year + 1}, qui décide du régime {year + 1})"
                 f"{' proratisé' if days < divisor else ''} : {euros(cents(ceiling))}")
    left = ceiling - ca
    share = ca / ceiling if ceiling else Decimal(0)
    lines.append(f"CA encaissé : {euros(ca)} — {percent(share, 1)} du plafond ; "
                 + (f"marge restante : {euros(cents(left))}" if left >= 0 else f"dépassement de {euros(cents(-left))}"))
    status = plafond.depassement({activite: ca}, year, start,
                                 None if previous is None else {activite: previous})
    current = plafond.plafond_row(activite, year)
    if current.valeur != ceiling_row.valeur:
        cite(current)
        lines.append(f"Le plafond en vigueur en {year} ({euros(current.valeur)}) jugeait les CA {year - 1} "
                     f"et {year - 2} (régime {year}) ; le CA {year} est jugé avec celui de {year + 1}.")
    lines.append(f"Situation : {status.message}")
    on = dt.date(year, 1, 1)
    for name in ("abattement_taux", "abattement_minimum"):
        cite(rates.lookup(name, activite.value, "toutes", on))
    deduction = abattement.abattement({activite: ca}, year)
    lines += ["", f"Abattement forfaitaire : {euros(deduction)}",
              f"Revenu imposable (CA − abattement) : {euros(abattement.revenu({activite: ca}, year))}", ""]
    months = _months(year, start)
    # The CA spread evenly over the months of activity, cut and rounded by the one computation of the
    # declarations (xlae.year.declarations): one rounding per rate period, rates of each month's last day.
    terms = Terms(start, Periodicite.MENSUELLE, args.acre, zone, args.vl, dept, {activite: nature})
    spread = {(m.year, m.month): {activite: ca / len(months)} for m in months}
    [line] = declarations.lines(spread, months[0], dt.date(year, 12, 31), [activite], declarations.rules_rates(terms))
    for month in months:
        cite(*cotisations.taux_cotisations(activite, month, args.acre, start, zone).rows)
    lines.append("Cotisations sociales (CA réparti également sur les mois d’activité) :")
    for part in line.parts:
        first = dt.date(*min(part.months), 1)
        lines.append(f"  {first:%m/%Y} → {part.last:%m/%Y} : {percent(part.rates.taux)} ({part.rates.explication}) = "
                     f"{euros(part.cotisations)}")
    social = line.cotisations
    lines.append(f"  Total cotisations sociales : {euros(social)}")

    def rate_text(attribute: str, decimals: int) -> str:
        rates = sorted({getattr(p.rates, attribute) for p in line.parts})
        return " ; ".join(percent(r, decimals) for r in rates)

    for part in line.parts:
        last = part.last
        cite(contributions.cfp_row(activite, last, nature), contributions.tfc_row(activite, last, nature, dept))
    cfp, tfc = line.cfp, line.tfc
    lines.append(f"CFP ({rate_text('cfp', 3)}) : {euros(cfp)}")
    if nature is not Nature.LIBERALE:
        lines.append(f"TFC ({rate_text('tfc', 3)}) : {euros(tfc)}")
        threshold = contributions.tfc_threshold_row(on)
        if ca <= threshold.valeur:
            cite(threshold)
            lines.append(f"  Note : CA ≤ {euros(threshold.valeur, 0)} ; selon service-public la TFC n'est due qu'au-delà "
                         "(mécanisme non précisé, incertain) ; xlae la compte comme l'URSSAF, à chaque déclaration.")
    vl = line.vl
    if args.vl:
        for part in line.parts:
            cite(contributions.vl_row(activite, part.last))
        lines.append(f"Versement libératoire ({rate_text('vl', 1)}) : {euros(vl)}")
        limit = rates.lookup("vl_plafond_rfr_part", "toutes", "toutes", on)
        cite(limit)
        lines.append(f"  Condition : revenu fiscal de référence {year - 2} ≤ {euros(limit.valeur, 0)} par part "
                     "(+50 % par demi-part, +25 % par quart de part) et CA de l'année précédente sous les plafonds.")
    total = social + cfp + tfc + vl
    lines += ["", f"Total à payer sur l'année : {euros(total)}",
              f"Reste après prélèvements : {euros(ca - total)}", ""]
    vat = tva.statut_tva({activite: ca}, {activite: previous or ZERO}, year)
    for name in ("tva_seuil", "tva_seuil_majore"):
        cite(rates.lookup(name, activite.value, "toutes", on))
    lines.append(f"TVA : {vat.message}")
    lines += _rights_tax_forecasts(args, activite, ca, previous, year, start, cite)
    lines += ["", "Sources :"]
    for row in sorted(used.values(), key=lambda r: (r.parametre, r.categorie, r.date_effet)):
        lines.append(f"  - {row.cite()}")
    if any(r.statut == "UNCERTAIN" for r in used.values()):
        lines.append("Les valeurs marquées « incertain » sont discutées dans le README (points contestés).")
    return lines


def _amount(text: str, argument: str):
    """A CA from the command line, refused beyond what can be computed to the cent."""
    from .. import coerce
    from ..rules.money import EXACT_LIMIT, exceeds_exact_limit

    amount = coerce.to_amount(text, argument)
    if exceeds_exact_limit(amount):
        raise XlaeError(f"{argument} : {text} refusé : au-delà de {euros(EXACT_LIMIT, 0)}, un montant ne se "
                        "calcule plus au centime près (un tableur n'en garde pas les centimes).", argument)
    return amount


def _rights_tax_forecasts(args: argparse.Namespace, activite, ca: Decimal, previous: Decimal | None, year: int,
                          start: dt.date | None, cite) -> list[str]:
    """Quarters, IJ and maternity, barème vs VL, crossing dates: the same rules as ``xlae bilan``."""
    from .. import coerce
    from ..rules import droits, impot, prevision

    foyer = impot.household(coerce.to_number(args.parts, "--parts"), True if args.couple else None, "--parts")
    others = coerce.to_amount(args.autres_revenus, "--autres-revenus")
    rfr = None if args.rfr is None else coerce.to_amount(args.rfr, "--rfr")
    amounts = {activite: ca}
    lines = ["", "Retraite :"]
    quarters = droits.trimestres(amounts, year)
    cite(*quarters.rows)
    base = ("CA" if activite.value == "bnc_cipav"
            else "revenu (CA − abattement, sans le minimum de 305 €)")
    text = (f"  Trimestres validés en {year} : {quarters.trimestres} — {base} {euros(quarters.revenu)}, "
            f"{euros(quarters.seuil)} par trimestre")
    if quarters.trimestres < 4:
        needed = droits.ca_pour_trimestres(quarters.trimestres + 1, activite, year)
        text += f" ; {euros(needed)} de CA pour le trimestre suivant"
    lines.append(text)
    on = dt.date(year + 1, 1, 1)
    before = ca if previous is None else previous
    assumed = "" if previous is not None else f", comme {year} faute de --ca-precedent"
    years = [amounts, {activite: before}, {activite: before}]
    lines += ["", f"Droits pour un arrêt ou un congé commençant le {day(on)} (CA {year - 1} et {year - 2} : "
                  f"{euros(before)}{assumed}) :"]
    sick = droits.ij_maladie(years, on)
    cite(*sick.rows)
    lines.append(f"  Arrêt maladie : {sick.message}")
    for kind in ("maternite", "paternite"):
        leave = droits.conge(years, on, kind)
        cite(*leave.rows)
        lines.append(f"  {leave.message}")
    comparison = impot.comparaison_vl(amounts, year, foyer, others, rfr)
    cite(*comparison.rows)
    lines += ["", f"Impôt sur le revenu {year} ({foyer.label}, autres revenus {euros(others)}) :",
              f"  Au barème : {euros(comparison.bareme.net)} (impôt brut {euros(comparison.bareme.brut)}, "
              f"décote {euros(comparison.bareme.decote)})",
              f"  Avec versement libératoire : {euros(comparison.cout_vl)}",
              f"  {comparison.message}", "", "Prévisions (CA réparti également sur les jours d'activité) :"]
    for kind in prevision.SEUILS:
        lines.append(f"  {prevision.forecast(amounts, dt.date(year, 12, 31), kind, start).message}")
    return lines


def _months(year: int, start: dt.date | None) -> list[dt.date]:
    """First day of each month of activity in ``year`` (the creation day for its month)."""
    first_month = start.month if start and start.year == year else 1
    months = [dt.date(year, m, 1) for m in range(first_month, 13)]
    if start and start.year == year:
        months[0] = start
    return months
