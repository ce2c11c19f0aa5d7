"""The year's report of a county or township as a workbook: summary, townships, villages, gaps by indicator.

Every figure comes from `assessment.figures.area_figures` (the engine). Every cell goes through `safe_cell`.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from tuopin.apps.assessment import figures
from tuopin.common.money import fen_to_yuan
from tuopin.common.spreadsheet import safe_cell, safe_row

from .. import labels

PERCENT = "0.00%"
COUNT_KEYS = ("rural_population", "poor_persons", "poor_households", "households_exited", "persons_exited",
              "households_eligible")


def _count_headings() -> list[str]:
    return [_("Rural population"), _("Poor persons"), _("Poor households at the end of the year"),
            _("Households out of poverty"), _("Persons out of poverty"), _("Households meeting the exit standard")]


def _incidence_heading() -> str:
    # The figure itself, beside the village's exit check of it: the two must not share a heading.
    return _("Poverty incidence (poor persons ÷ rural registered population)")


def _check_heading(key: str) -> str:
    """A village exit check's column: passed or not (是/否), not the figure it is made from."""
    if key == "incidence_ok":
        return _("Incidence below the village exit threshold")
    return _("Exit check: %(check)s") % {"check": labels.CHECK_LABELS[key]}


def _sheet(book: Workbook, title: str, heading: list, rows: list[list], *, percent_columns=(), first=False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(safe_row(heading))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    for column in percent_columns:
        for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell[0].number_format = PERCENT
    for index, _title in enumerate(heading, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 16 if index > 1 else 22
    sheet.freeze_panes = "B2"
    return sheet


# The PV figures in yuan, as the report names them.
PV_MONEY = ((gettext_lazy("Revenue (yuan)"), "revenue_fen"),
            (gettext_lazy("Paid to welfare posts (yuan)"), "paid_to_posts_fen"),
            (gettext_lazy("Paid as dividends (yuan)"), "paid_as_dividends_fen"),
            (gettext_lazy("Balance of the year (yuan)"), "balance_fen"))


def build(region, year: int, found: dict, history: list[dict], funds: list | None = None,
          pv: dict | None = None) -> bytes:
    summary = found["summary"]
    book = Workbook()
    fgt = summary["fgt"]
    rows = [
        [_("Area"), summary["scope"]["name"]],
        [_("Division code"), summary["scope"]["code"]],
        [_("Year"), year],
        [_("Poverty line"), figures.line_note(region.code, year)["note"]],
        *[[h, summary[k]] for h, k in zip(_count_headings(), COUNT_KEYS)],
        [_("Poverty incidence"), summary["incidence"]],
        [_("Villages"), summary["villages_total"]],
        [_("Poor villages"), summary["poor_villages"]],
        [_("Poor villages meeting the exit standard"), summary["poor_villages_meeting_exit"]],
        [_("Headcount ratio P0"), fgt["p0"]],
        [_("Poverty gap P1"), fgt["p1"]],
        [_("Squared poverty gap P2"), fgt["p2"]],
    ]
    shares = _mpi_rows(summary, rows)
    sheet = _sheet(book, _("Summary"), [_("Figure"), _("Value")], rows, first=True)
    sheet.cell(row=2 + 3 + len(COUNT_KEYS), column=2).number_format = PERCENT  # the incidence row
    for index in shares:  # rows[index] is on sheet row index + 2, below the heading
        sheet.cell(row=2 + index, column=2).number_format = PERCENT
    start = sheet.max_row + 2
    sheet.cell(row=start, column=1, value=safe_cell(_("Poverty incidence by year"))).font = Font(bold=True)
    for offset, past in enumerate(history, start=1):
        sheet.cell(row=start + offset, column=1, value=safe_cell(past["year"]))
        sheet.cell(row=start + offset, column=2, value=safe_cell(past["incidence"])).number_format = PERCENT

    townships = summary.get("townships") or [{**summary, **summary["scope"]}]
    _sheet(book, _("Townships"),
           [_("Township"), _("Division code"), *_count_headings(), _incidence_heading(), _("Villages"),
            _("Poor villages"), _("Poor villages meeting the exit standard")],
           [[t["name"], t["code"], *[t[k] for k in COUNT_KEYS], t["incidence"], t["villages_total"],
             t["poor_villages"], t["poor_villages_meeting_exit"]] for t in townships],
           percent_columns=(9,))

    checks = list(figures.VILLAGE_CHECKS)
    yes, no = _("yes"), _("no")
    _sheet(book, _("Villages"),
           [_("Village"), _("Division code"), _("Poor village"), _("Rural population"), _("Poor persons"),
            _incidence_heading(), _("Households out of poverty"), _("Households meeting the exit standard"),
            *[_check_heading(k) for k in checks], _("Meets the village exit standard")],
           [[v["name"], v["code"], yes if v["is_poor_village"] else no, v["rural_population"], v["poor_persons"],
             v["incidence"], v["households_exited"], v["households_eligible"],
             *[yes if v["checks"][k] else no for k in checks], yes if v["meets_exit_standard"] else no]
            for v in found["villages"]],
           percent_columns=(6,))

    indicators = list(figures.INDICATORS)
    names = {v["code"]: v["name"] for v in found["villages"]}
    gap_rows = [[names.get(code, code), code, *[counts[k] for k in indicators]]
                for code, counts in sorted(found["gaps_by_village"].items())]
    gap_rows.append([_("Total"), summary["scope"]["code"], *[summary["gaps"][k] for k in indicators]])
    _sheet(book, _("Gaps by indicator"),
           [_("Village"), _("Division code"), *[str(labels.INDICATOR_LABELS[k]) for k in indicators]], gap_rows)

    if funds:  # the consolidation ledger's figures of the area (jobs.funds_rows), in yuan
        source, kind = _("Source of funds"), _("Kind of project")
        _sheet(book, _("Funds"), [_("Grouped by"), _("Name"), _("Allocated (yuan)"), _("Spent (yuan)"), _("Balance (yuan)")],
               [[source if group == "source" else kind, label, *(float(fen_to_yuan(f[k]) or 0)
                                                                for k in ("allocated", "spent", "balance"))]
                for group, label, f in funds])

    if pv:  # the village PV stations' ledgers of the area (jobs.pv_figures), money in yuan
        _sheet(book, _("PV stations"), [_("Figure"), _("Value")],
               [[_("Stations"), pv["stations"]], [_("Generation (kWh)"), pv["kwh"]],
                *[[str(label), float(fen_to_yuan(pv[key]) or 0)] for label, key in PV_MONEY]])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _mpi_rows(summary: dict, rows: list) -> list[int]:
    """Alkire–Foster H, A, M0, k and each indicator's censored headcount and share of M0, appended to the
    summary rows; returns the indexes of the share rows (shown as percentages)."""
    mpi = summary.get("mpi")
    if not mpi:
        return []
    rows += [[_("Headcount ratio H"), mpi["H"]], [_("Intensity A"), mpi["A"]],
             [_("Adjusted headcount ratio M0"), mpi["M0"]], [_("Poverty cut-off k"), mpi["k"]]]
    shares = []
    for key in figures.INDICATORS:
        name = labels.INDICATOR_LABELS[key]
        rows.append([_("Censored headcount ratio: %(indicator)s") % {"indicator": name},
                     mpi["censored_headcount"][key]])
        rows.append([_("Contribution to M0: %(indicator)s") % {"indicator": name}, mpi["contribution"][key]])
        shares.append(len(rows) - 1)
    return shares
