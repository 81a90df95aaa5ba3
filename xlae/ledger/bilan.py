"""The year-end pack of a template workbook (``xlae bilan``): what to declare, what it gives, what comes next.

Why: at the end of the year a micro-entrepreneur types the CA in the 2042-C-PRO,
wants the quarters and rights the year bought, whether the versement libératoire
was worth it, and the regime, VAT and dedicated-account status for next year.
Every figure comes from ``xlae.rules`` (one computation per concept), read from the
livre des recettes as strictly as ``xlae declaration``. The report is a list of
sections, rendered to the terminal and to an xlsx file from the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from ..format import day, euros
from ..rates import Rate, get_rates
from ..rules import abattement, droits, impot, plafond, prevision, tva
from ..rules.money import ZERO
from ..rules.periods import first_of_year
from ..rules.vocabulary import Activite
from .declaration import FORM_LABELS, year_receipts
from ..books.model import Books
from ..books.parameters import Parameters, require_parameters


@dataclass
class Section:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)   # (label, value)

    def add(self, label: str, value: str = "") -> None:
        self.lines.append((label, value))


@dataclass
class Bilan:
    annee: int
    classeur: str
    sections: list[Section]
    a_refacturer: list[prevision.Receipt]
    rows: dict[tuple, Rate]

    @property
    def uncertain(self) -> list[Rate]:
        return [r for r in self.rows.values() if r.statut == "UNCERTAIN"]


@dataclass(frozen=True)
class Household:
    """Household data the workbook does not hold: parts, other income, RFR of N-2."""

    parts: Decimal | None = None
    autres_revenus: Decimal = ZERO
    rfr: Decimal | None = None
    couple: bool | None = None


def _by_category(receipts: list) -> dict[Activite, Decimal]:
    totals: dict[Activite, Decimal] = {}
    for _, categorie, amount, _ in receipts:
        totals[categorie] = totals.get(categorie, ZERO) + amount
    return totals


def _previous(book: Books, params: Parameters, annee: int) -> tuple[dict[Activite, Decimal], str]:
    """CA of N-1 as the Synthèse takes it: the Paramètres cell (main activity) when typed, else the ledger."""
    given, where = book.parameter("ca_annee_precedente")
    if params.annee == annee and isinstance(given, (int, float)) and not isinstance(given, bool):
        from ..coerce import to_amount

        return {params.activite: to_amount(given, f"{where} (ca_annee_precedente)")}, f"Paramètres ({where})"
    receipts, _ = year_receipts(book, annee - 1, params.date_creation)
    return _by_category(receipts), "livre des recettes"


def compute(book: Books, annee: int, foyer_data: Household | None = None) -> Bilan:
    """The year-end pack of ``annee``."""
    rates = get_rates()
    params = require_parameters(book)
    foyer_data = foyer_data or Household()
    foyer = impot.household(foyer_data.parts, foyer_data.couple, "--parts")
    used: dict[tuple, Rate] = {}

    def cite(*rows: Rate) -> None:
        for row in rows:
            used[(row.parametre, row.categorie, row.zone, row.date_effet)] = row

    receipts, before = year_receipts(book, annee, params.date_creation)
    ca = _by_category(receipts) or {params.activite: ZERO}
    ca_n1, origin_n1 = _previous(book, params, annee)
    ca_n2 = _by_category(year_receipts(book, annee - 2, params.date_creation)[0])
    total = sum(ca.values(), ZERO)
    sections: list[Section] = []

    head = Section("Chiffre d'affaires et revenu par catégorie")
    for activite, amount in sorted(ca.items(), key=lambda item: list(Activite).index(item[0])):
        part = {activite: amount}
        head.add(FORM_LABELS[activite], f"CA {euros(amount)} ; abattement {euros(abattement.abattement(part, annee))} ; "
                                        f"revenu {euros(abattement.revenu(part, annee))}")
        cite(rates.lookup("abattement_taux", activite.value, "toutes", first_of_year(annee)))
    head.add("Total", f"CA {euros(total)} ; revenu imposable {euros(abattement.revenu(ca, annee))}")
    if before:
        head.add("Attention", f"{before} recette(s) datée(s) avant la création ne sont pas comptées.")
    sections.append(head)

    boxes = Section(f"Déclaration 2042-C-PRO des revenus {annee} (déclarant 1)")
    by_box: dict[str, Decimal] = {}
    for activite, amount in ca.items():
        case = impot.case_2042(activite, params.versement_liberatoire)
        by_box[case] = by_box.get(case, ZERO) + amount
    for case, amount in sorted(by_box.items()):
        boxes.add(f"Case {case} — {impot.CASE_LABELS[case]}", euros(amount))
    boxes.add("Note", "Reportez le CA brut (l'administration applique l'abattement) ; le formulaire se remplit en "
                      "euros entiers.")
    sections.append(boxes)

    sections.append(_quarters(ca, annee, cite))
    sections.append(_rights([ca, ca_n1, ca_n2], annee, origin_n1, cite))

    tax = Section(f"Impôt sur le revenu {annee} : barème ou versement libératoire")
    comparison = impot.comparaison_vl(ca, annee, foyer, foyer_data.autres_revenus, foyer_data.rfr)
    cite(*comparison.rows)
    option = "oui" if params.versement_liberatoire else "non"
    tax.add("Versement libératoire choisi (Paramètres)", option)
    tax.add("Foyer", f"{foyer.label}, autres revenus {euros(foyer_data.autres_revenus)}")
    tax.add("Impôt estimé au barème", euros(comparison.bareme.net))
    tax.add("Coût avec versement libératoire", euros(comparison.cout_vl))
    tax.add("Comparaison", comparison.message)
    sections.append(tax)

    nxt = Section(f"Pour {annee + 1} : régime, TVA, compte dédié")
    status = plafond.depassement(ca, annee, params.date_creation, ca_n1 or None)
    cite(*(plafond.plafond_ca_row(a, annee) for a in ca))
    nxt.add("Régime micro", status.message)
    nxt.add("TVA", tva.statut_tva(ca, ca_n1, annee).message)
    report = prevision.tva_depassement([prevision.Receipt(d, c, m, str(r.get("reference") or ""), r.row)
                                        for d, c, m, r in receipts], annee)
    refacturer: list[prevision.Receipt] = []
    for crossing in report.crossings:
        nxt.add("Dépassement des seuils de TVA", crossing.message)
        refacturer += crossing.a_refacturer
    seuil = rates.lookup("compte_dedie_seuil_ca", "toutes", "toutes", dt.date(annee, 12, 31))
    cite(seuil)
    total_n1 = sum(ca_n1.values(), ZERO)
    if total > seuil.valeur and total_n1 > seuil.valeur:
        account = (f"Obligatoire : CA {annee} et {annee - 1} au-dessus de {euros(seuil.valeur, 0)} deux années "
                   "de suite (CSS L613-10).")
    elif total > seuil.valeur:
        account = (f"CA {annee} au-dessus de {euros(seuil.valeur, 0)} : le compte dédié devient obligatoire si le "
                   f"CA {annee + 1} le dépasse aussi.")
    else:
        account = f"Non obligatoire (CA {annee} ≤ {euros(seuil.valeur, 0)})."
    nxt.add("Compte bancaire dédié", account)
    nxt.add("CA de l'année précédente", f"{euros(total_n1)} ({origin_n1})")
    sections.append(nxt)
    return Bilan(annee, book.name, sections, refacturer, used)


def _quarters(ca: Mapping[Activite, Decimal], annee: int, cite) -> Section:
    section = Section(f"Retraite : trimestres validés en {annee}")
    funds = [{a: v for a, v in ca.items() if a is not Activite.BNC_CIPAV},
             {a: v for a, v in ca.items() if a is Activite.BNC_CIPAV}]
    for part in (p for p in funds if p):
        found = droits.trimestres(part, annee)
        cite(*found.rows)
        name = "Cipav" if Activite.BNC_CIPAV in part else "Sécurité sociale des indépendants"
        unit = "de CA" if Activite.BNC_CIPAV in part else "de revenu (CA − abattement, sans minimum)"
        text = f"{found.trimestres} trimestre(s) : {euros(found.revenu)} {unit}, {euros(found.seuil)} par trimestre"
        if found.trimestres < 4 and len(part) == 1:
            activite = next(iter(part))
            needed = droits.ca_pour_trimestres(found.trimestres + 1, activite, annee)
            text += f" ; {euros(max(ZERO, needed - part[activite]))} de CA de plus pour le suivant"
        section.add(name, text)
    return section


def _rights(years: list[Mapping[Activite, Decimal]], annee: int, origin_n1: str, cite) -> Section:
    on = dt.date(annee + 1, 1, 1)
    section = Section(f"Droits pour un arrêt ou un congé commençant le {day(on)}")
    activites = {a for ca in years for a in ca}
    years = [{a: ca.get(a, ZERO) for a in activites} for ca in years]
    sick = droits.ij_maladie(years, on)
    cite(*sick.rows)
    section.add("Indemnité journalière maladie", sick.message)
    for kind in ("maternite", "paternite"):
        leave = droits.conge(years, on, kind)
        cite(*leave.rows)
        section.add("Maternité" if kind == "maternite" else "Paternité", leave.message)
    empty = [str(annee - i) for i, ca in enumerate(years) if not any(ca.values())]
    note = f" ; aucun CA en {', '.join(empty)} : compté 0 €" if empty else ""
    section.add("Années de référence", f"CA {annee} et {annee - 2} (livre des recettes), {annee - 1} "
                                       f"({origin_n1}){note}")
    return section


def render_text(bilan: Bilan) -> list[str]:
    out = [f"Bilan {bilan.annee} — {bilan.classeur}"]
    for section in bilan.sections:
        out += ["", section.title]
        out += [f"  {label} : {value}" if value else f"  {label}" for label, value in section.lines]
    if bilan.a_refacturer:
        out += ["", "Recettes à refacturer avec TVA (livre des recettes)"]
        for r in bilan.a_refacturer:
            out.append(f"  ligne {r.ligne} : {day(r.date)} {r.reference or '(sans référence)'} {euros(r.montant)}")
    out += ["", f"Sources : {len(bilan.rows)} valeurs du barème, détaillées dans la feuille « Sources » du fichier."]
    if bilan.uncertain:
        out.append("Valeurs incertaines (pas encore publiées : la dernière valeur connue est reprise) :")
        out += [f"  - {row.cite()}" for row in sorted(bilan.uncertain, key=lambda r: (r.parametre, r.categorie))]
    return out


def write_xlsx(bilan: Bilan, target) -> None:
    """The same pack as an xlsx file, written atomically (temporary file, then one rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..atomic import atomic_path

    wb = Workbook()
    ws = wb.active
    ws.title = "Bilan"
    ws.append([f"Bilan {bilan.annee} — {bilan.classeur}"])
    ws["A1"].font = Font(bold=True, size=14)
    for section in bilan.sections:
        ws.append([])
        ws.append([section.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for label, value in section.lines:
            ws.append([label, value])
            ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 110
    if bilan.a_refacturer:
        sheet = wb.create_sheet("TVA à refacturer")
        sheet.append(["Ligne du livre", "Date d'encaissement", "Référence", "Catégorie", "Montant encaissé (€)"])
        for r in bilan.a_refacturer:
            sheet.append([r.ligne, r.date, r.reference, r.activite.value, float(r.montant)])
            sheet.cell(sheet.max_row, 2).number_format = "DD/MM/YYYY"
            sheet.cell(sheet.max_row, 5).number_format = "#,##0.00"
        for letter, width in zip("ABCDE", (14, 18, 24, 14, 20)):
            sheet.column_dimensions[letter].width = width
    sources = wb.create_sheet("Sources")
    sources.append(["Paramètre", "Catégorie", "Zone", "Date d'effet", "Valeur", "Statut", "Source", "Adresse"])
    for row in sorted(bilan.rows.values(), key=lambda r: (r.parametre, r.categorie, r.date_effet)):
        sources.append([row.parametre, row.categorie, row.zone, row.date_effet, float(row.valeur), row.statut,
                        row.source_titre, row.source_url])
        sources.cell(sources.max_row, 4).number_format = "DD/MM/YYYY"
    with atomic_path(target, suffix=".xlsx") as temporary:
        wb.save(temporary)
