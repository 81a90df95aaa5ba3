"""The URSSAF declaration of one period, read from the livre des recettes.

Why: each month or quarter the user must type the CA encaissé of each category
in the right box and check what will be debited. This module decides which rows
count (it refuses a row of the period it cannot read with certainty, and says
which receipts predate the creation) and words the result; the period, its due
date and its amounts come from the one computation of the declarations,
``xlae.year.declarations``, which the Synthèse uses too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import XlaeError
from ..format import day, euros, percent
from ..rules import echeance
from ..rules.money import ZERO
from ..rules.periods import CALENDAR
from ..rules.vocabulary import Activite, Periodicite
from ..template import layout
from . import closing
from ..books.cells import cell_amount, cell_categorie, cell_date, lenient_date
from ..books.model import Books, LedgerRow
from ..books.parameters import Parameters, require_parameters
from ..year import declarations
from ..year.declarations import CategoryLine, Terms
from .periods import Period, parse_period

# Lines of the URSSAF micro-entrepreneur declaration, in the form's order.
FORM_LABELS = {
    Activite.VENTE: "Ventes de marchandises, denrées, hébergement (BIC)",
    Activite.SERVICE_BIC: "Prestations de services commerciales et artisanales (BIC)",
    Activite.BNC: "Autres prestations de services (BNC)",
    Activite.BNC_CIPAV: "Prestations de services libérales relevant de la Cipav (BNC)",
}
MAX_LISTED = 5


@dataclass
class Declaration:
    period: Period
    debut: dt.date
    fin: dt.date
    echeance: dt.date
    premiere: bool
    params: Parameters
    lines: list[CategoryLine]
    notes: list[str] = field(default_factory=list)

    @property
    def neant(self) -> bool:
        return not any(line.ca for line in self.lines)

    def total(self, attribute: str) -> Decimal:
        return sum((getattr(line, attribute) for line in self.lines), ZERO)


def compute(book: Books, periode: str) -> Declaration:
    """The declaration covering ``periode`` (« 2026-03 » or « 2026-T1 »)."""
    params = require_parameters(book)
    period = parse_period(periode)
    _check_periodicity(period, params.periodicite)
    creation = params.date_creation
    if creation is not None and period.fin < creation:
        raise XlaeError(f"--periode : {period.label} précède la date de création ({day(creation)}, "
                        "Paramètres) ; aucune déclaration n'est due.", "--periode")
    on = max(period.debut, creation) if creation else period.debut
    try:
        decl = echeance.declaration(on, params.periodicite, creation)
    except XlaeError as error:
        if error.argument != CALENDAR:
            raise
        raise XlaeError(f"--periode : {period.label} : sa date limite de déclaration tombe après le 31/12/9999, "
                        "dernier jour que connaissent Excel et xlae ; indiquez une période antérieure.",
                        "--periode") from None
    notes = []
    if decl.premiere and (decl.debut, decl.fin) != (period.debut, period.fin):
        notes.append(f"Première déclaration : elle couvre toute la période du {day(decl.debut)} (création) "
                     f"au {day(decl.fin)}, soit au moins 90 jours d'activité ; les montants ci-dessous portent "
                     f"sur toute cette période, dont {period.label}.")
    receipts, before_creation = _receipts(book, decl.debut, decl.fin, creation,
                                          min(period.debut, decl.debut.replace(day=1)))
    if before_creation:
        notes.append(f"{before_creation} recette(s) datée(s) avant la création ({day(creation)}) ne sont pas "
                     "comptées : corrigez leur date (xlae verifier).")
    notes += _closure_warnings(book, decl.debut, decl.fin)
    lines = _lines(receipts, decl.debut, decl.fin, params)
    if params.acre:
        notes += sorted({p.rates.explication for line in lines for p in line.shown_parts
                         if "ACRE" in p.rates.explication})
    return Declaration(period, decl.debut, decl.fin, decl.echeance, decl.premiere, params, lines, notes)


def _check_periodicity(period: Period, periodicite: Periodicite) -> None:
    year = period.debut.year
    if periodicite is Periodicite.MENSUELLE and period.kind != "mois":
        first = (period.debut.month)
        months = ", ".join(f"{year}-{m:02d}" for m in range(first, first + 3))
        raise XlaeError(f"--periode : vous déclarez chaque mois (périodicité mensuelle dans Paramètres) ; "
                        f"indiquez un mois, par exemple {months}. Si vous déclarez au trimestre, changez "
                        "la périodicité dans la feuille Paramètres.", "--periode")
    if periodicite is Periodicite.TRIMESTRIELLE and period.kind != "trimestre":
        quarter = (period.debut.month - 1) // 3 + 1
        raise XlaeError(f"--periode : vous déclarez chaque trimestre (périodicité trimestrielle dans "
                        f"Paramètres) ; {period.label} fait partie du trimestre {year}-T{quarter} : "
                        f"indiquez --periode {year}-T{quarter}. Si vous déclarez chaque mois, changez la "
                        "périodicité dans la feuille Paramètres.", "--periode")


def _closure_warnings(book: Books, debut: dt.date, fin: dt.date) -> list[str]:
    """A closed period overlapping the declaration whose rows changed since: say so before any figure."""
    closures, problems = closing.read_closures(book)
    notes = [f"Attention : registre des clôtures : {p} (xlae verifier)." for p in problems]
    for closure in closures:
        if closure.debut <= fin and debut <= closure.fin:
            changed = closing.compare(book, closure)
            if changed:
                notes.append(f"Attention : {len(changed)} ligne(s) de la période clôturée {closure.periode} ont "
                             "changé depuis la clôture (détail : xlae verifier) ; les montants ci-dessous portent "
                             "sur le livre tel qu'il est aujourd'hui.")
    return notes


def _receipts(book: Books, debut: dt.date, fin: dt.date, creation: dt.date | None,
              window: dt.date) -> tuple[list[tuple[dt.date, Activite, Decimal, LedgerRow]], int]:
    """Receipts of [debut, fin]; refuses rows that could belong to it but cannot be counted."""
    found = []
    problems: list[str] = []
    before = 0
    for row in book.rows(layout.SHEET_RECETTES):
        if row.empty:
            continue
        date, date_problem = cell_date(row.get("date"))
        readable = lenient_date(row.get("date"))
        if readable is None:
            problems.append(f"ligne {row.row} : {date_problem}")
            continue
        if creation and window <= readable < creation:
            before += 1
            continue
        if not debut <= readable <= fin:
            continue
        amount, amount_problem = cell_amount(row.get("montant"))
        categorie, categorie_problem = cell_categorie(row.get("categorie"))
        for problem in (date_problem, amount_problem, categorie_problem):
            if problem:
                problems.append(f"ligne {row.row} : {problem}")
        if not (date_problem or amount_problem or categorie_problem):
            found.append((date, Activite(categorie), amount, row))
    if problems:
        listed = " ; ".join(problems[:MAX_LISTED])
        more = f" (et {len(problems) - MAX_LISTED} autre(s))" if len(problems) > MAX_LISTED else ""
        raise XlaeError(f"feuille {layout.SHEET_RECETTES} de {book.name} : {len(problems)} ligne(s) "
                        f"ne peuvent pas être comptées avec certitude — {listed}{more}. Corrigez-les "
                        "(« xlae verifier » les liste toutes) puis relancez.", "classeur")
    return found, before


def year_receipts(book: Books, annee: int, creation: dt.date | None
                  ) -> tuple[list[tuple[dt.date, Activite, Decimal, LedgerRow]], int]:
    """Receipts of the civil year ``annee``, read as strictly as a declaration (``xlae bilan``)."""
    debut, fin = dt.date(annee, 1, 1), dt.date(annee, 12, 31)
    return _receipts(book, debut, fin, creation, debut)


def _lines(receipts: list[tuple[dt.date, Activite, Decimal, LedgerRow]], debut: dt.date, fin: dt.date,
           params: Parameters) -> list[CategoryLine]:
    """The declaration's lines, by the one computation of ``xlae.year.declarations``."""
    ca: dict[tuple[int, int], dict[Activite, Decimal]] = {}
    counts: dict[Activite, int] = {}
    for date, categorie, amount, _ in receipts:
        month = ca.setdefault((date.year, date.month), {})
        month[categorie] = month.get(categorie, ZERO) + amount
        counts[categorie] = counts.get(categorie, 0) + 1
    terms = Terms.of(params)
    lines = declarations.lines(ca, debut, fin, counts or {params.activite}, declarations.rules_rates(terms))
    for line in lines:
        line.recettes = counts.get(line.categorie, 0)
    return lines


def render_text(d: Declaration) -> list[str]:
    """The declaration in French, line by line as the URSSAF form asks it."""
    kind = "mensuelle" if d.params.periodicite is Periodicite.MENSUELLE else "trimestrielle"
    title = "Première déclaration URSSAF" if d.premiere else f"Déclaration URSSAF {d.period.of_label}"
    out = [f"{title} — du {day(d.debut)} au {day(d.fin)} (périodicité {kind})",
           f"À déclarer et payer au plus tard le {day(d.echeance)}."]
    out += [f"Note : {n}" for n in d.notes]
    out.append("")
    if d.neant:
        out += [f"NÉANT : aucune recette encaissée du {day(d.debut)} au {day(d.fin)}.",
                f"La déclaration reste obligatoire : déclarez un chiffre d'affaires de 0 € au plus tard le "
                f"{day(d.echeance)} (rien à payer ; une déclaration manquante est pénalisée)."]
        return out
    out.append("Chiffre d'affaires encaissé à déclarer :")
    for line in d.lines:
        out.append(f"  {FORM_LABELS[line.categorie]} : {euros(line.ca)} ({line.recettes} recette(s))")
    out += ["", "Montants que l'URSSAF calculera :"]
    for line in d.lines:
        if not line.ca:
            continue
        out.append(f"  {FORM_LABELS[line.categorie]}")
        out.append(f"    Cotisations sociales : {euros(line.cotisations)}{_rates(line, 'taux', 2, True)}")
        out.append(f"    Contribution à la formation professionnelle (CFP) : {euros(line.cfp)}"
                   f"{_rates(line, 'cfp', 3)}")
        if line.parts[0].rates.tfc:
            out.append(f"    Taxe pour frais de chambre consulaire (TFC) : {euros(line.tfc)}"
                       f"{_rates(line, 'tfc', 3)}")
        if d.params.versement_liberatoire:
            out.append(f"    Versement libératoire de l'impôt sur le revenu : {euros(line.vl)}"
                       f"{_rates(line, 'vl', 1)}")
    out += ["", f"Total du chiffre d'affaires : {euros(d.total('ca'))}",
            f"Total à payer : {euros(d.total('total'))} (cotisations {euros(d.total('cotisations'))}, "
            f"CFP {euros(d.total('cfp'))}, TFC {euros(d.total('tfc'))}"
            + (f", versement libératoire {euros(d.total('vl'))}" if d.params.versement_liberatoire else "")
            + ")"]
    return out


def _rates(line: CategoryLine, attribute: str, decimals: int, explain: bool = False) -> str:
    parts = line.shown_parts
    if len(parts) == 1:
        text = percent(getattr(parts[0].rates, attribute), decimals)
        return f" ({text}{', ' + parts[0].rates.explication if explain else ''})"
    return " (" + " ; ".join(f"{euros(p.ca)} à {percent(getattr(p.rates, attribute), decimals)}" for p in parts) + ")"


def _s(amount: Decimal) -> str:
    return f"{amount:.2f}"


def as_dict(d: Declaration) -> dict:
    """Machine-readable form (amounts as exact decimal strings)."""
    return {
        "periode": d.period.code, "debut": d.debut.isoformat(), "fin": d.fin.isoformat(),
        "echeance": d.echeance.isoformat(), "premiere_declaration": d.premiere,
        "periodicite": d.params.periodicite.value, "neant": d.neant,
        "categories": [{
            "categorie": line.categorie.value, "libelle": FORM_LABELS[line.categorie],
            "chiffre_affaires": _s(line.ca), "recettes": line.recettes,
            "cotisations": _s(line.cotisations), "cfp": _s(line.cfp), "tfc": _s(line.tfc),
            "versement_liberatoire": _s(line.vl),
            "taux": [{"chiffre_affaires": _s(p.ca), "cotisations": str(p.rates.taux),
                      "explication": p.rates.explication, "cfp": str(p.rates.cfp), "tfc": str(p.rates.tfc),
                      "versement_liberatoire": None if p.rates.vl is None else str(p.rates.vl)}
                     for p in line.shown_parts],
        } for line in d.lines],
        "totaux": {k: _s(d.total(a)) for k, a in (("chiffre_affaires", "ca"), ("cotisations", "cotisations"),
                                                   ("cfp", "cfp"), ("tfc", "tfc"),
                                                   ("versement_liberatoire", "vl"), ("total", "total"))},
        "notes": d.notes,
    }


def csv_rows(d: Declaration) -> list[list[str]]:
    """« rubrique;categorie;montant » rows, French decimal comma (opens as is in a French Excel)."""
    rows = [["periode", "debut", "fin", "echeance", "rubrique", "categorie", "montant"]]
    head = [d.period.code, d.debut.isoformat(), d.fin.isoformat(), d.echeance.isoformat()]

    def amount(value: Decimal) -> str:
        return f"{value:.2f}".replace(".", ",")

    for line in d.lines:
        for rubrique, value in (("chiffre_affaires", line.ca), ("cotisations", line.cotisations),
                                ("cfp", line.cfp), ("tfc", line.tfc), ("versement_liberatoire", line.vl)):
            rows.append(head + [rubrique, line.categorie.value, amount(value)])
    rows.append(head + ["total_a_payer", "toutes", amount(d.total("total"))])
    return rows
