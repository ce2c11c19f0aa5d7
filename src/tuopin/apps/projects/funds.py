"""Funds and the entries against them, as services (decision 1500): a fund's line for a year, its allocation to
projects (资金分配), the spending on a project (支出), and the reversal of either (冲销).

What the services keep, for every fund, checked under the fund's row lock inside the write's transaction:

    0 ≤ spent(fund, project) ≤ allocated(fund, project)   for every project,
    allocated(fund) ≤ the fund's amount,

so the consolidation ledger (`ledger.py`) always reads allocated = spent + balance with a balance ≥ 0. A write that
would break it is refused with the figures in the message. Every write asks permission (`accounts.permissions`)
and is audited in the same transaction; a fund's edits are version-checked (`tuopin.common.versioning`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change
from tuopin.common.money import fen_to_yuan
from tuopin.common.versioning import locked, stamp

from .choices import FundSource
from .models import Allocation, Fund, Project, Spending

FUND_FIELDS = ("name", "amount_fen", "document", "note")


def yuan(fen: int) -> str:
    return _("%(amount)s yuan") % {"amount": f"{fen_to_yuan(fen):,.2f}"}


def _total(model, **filters) -> int:
    return model.objects.filter(**filters).aggregate(total=Sum("amount_fen"))["total"] or 0


def allocated(fund: Fund, project: Project | None = None) -> int:
    return _total(Allocation, fund=fund, **({"project": project} if project is not None else {}))


def spent(fund: Fund, project: Project | None = None) -> int:
    return _total(Spending, fund=fund, **({"project": project} if project is not None else {}))


def _positive(amount_fen: int) -> int:
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise ValidationError({"amount_fen": _("the amount must be more than zero")})
    return amount_fen


def _not_future(on: dt.date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("%(on)s is in the future") % {"on": on}})


# ---- funds -------------------------------------------------------------------------------------------------

@transaction.atomic
def fund_record(*, by, year: int, source: str, name: str, amount_fen: int, county=None, document: str = "",
                note: str = "", origin: str = "web") -> Fund:
    """A year's line of one source (中央、省级、县级、统筹整合、社会帮扶)."""
    fund = Fund(year=year, source=source, name=name.strip(), amount_fen=amount_fen, county=county,
                document=document.strip(), note=note.strip(), updated_by=by)
    require(by, Action.RECORD_FUNDS, fund)
    if source not in FundSource.values:
        raise ValidationError({"source": _("unknown source of funds: %(source)s") % {"source": source}})
    if not fund.name:
        raise ValidationError({"name": _("required")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("not a year: %(year)s") % {"year": year}})
    _positive(amount_fen)
    fund.save()
    audit_change(actor=by, action="fund_record", instance=fund, source=origin,
                 changes={"year": year, "source": source, "name": fund.name, "amount_fen": amount_fen},
                 summary=f"{year} {fund.name}: {yuan(amount_fen)}")
    return fund


@transaction.atomic
def fund_change(*, fund: Fund, by, version: int | None, origin: str = "web", **fields) -> Fund:
    """Change a fund's name, amount, document or note; its amount never below what is allocated from it."""
    fund = locked(Fund, fund.pk, version)
    require(by, Action.RECORD_FUNDS, fund)
    unknown = set(fields) - set(FUND_FIELDS)
    if unknown:
        raise ValueError(f"not a fund field: {sorted(unknown)}")
    changes = {k: [getattr(fund, k), v] for k, v in fields.items() if getattr(fund, k) != v}
    if "amount_fen" in changes:
        _positive(fields["amount_fen"])
        already = allocated(fund)
        if fields["amount_fen"] < already:
            raise ValidationError({"amount_fen": _(
                "%(fund)s: %(allocated)s is already allocated from it; its amount cannot fall to %(amount)s")
                % {"fund": fund, "allocated": yuan(already), "amount": yuan(fields["amount_fen"])}})
    if not changes:
        return fund
    for k, (_old, new) in changes.items():
        setattr(fund, k, new)
    fund.save(update_fields=[*changes, *stamp(fund, by)])
    audit_change(actor=by, action="fund_change", instance=fund, changes=changes, source=origin,
                 summary=f"{fund}: " + ", ".join(changes))
    return fund


# ---- entries -----------------------------------------------------------------------------------------------

def _entry_checks(by, fund: Fund, project: Project) -> Fund:
    """The fund locked for this transaction (entries on one fund are taken one at a time), permission asked."""
    require(by, Action.RECORD_FUNDS, fund)
    require(by, Action.RECORD_PROJECTS, project)
    return locked(Fund, fund.pk, None)


@transaction.atomic
def allocate(*, by, fund: Fund, project: Project, amount_fen: int, on: dt.date, document: str = "",
             note: str = "", origin: str = "web") -> Allocation:
    """Allocate part of a fund to a project (资金分配); never more than the fund has left."""
    _positive(amount_fen)
    _not_future(on)
    fund = _entry_checks(by, fund, project)
    already = allocated(fund)
    if already + amount_fen > fund.amount_fen:
        raise ValidationError({"amount_fen": _(
            "%(fund)s holds %(amount)s, of which %(allocated)s is allocated: %(left)s is left, not %(asked)s")
            % {"fund": fund, "amount": yuan(fund.amount_fen), "allocated": yuan(already),
               "left": yuan(fund.amount_fen - already), "asked": yuan(amount_fen)}})
    entry = Allocation.objects.create(fund=fund, project=project, amount_fen=amount_fen, on=on,
                                      document=document.strip(), note=note.strip(), recorded_by=by)
    project.funds.add(fund)
    audit_change(actor=by, action="fund_allocate", instance=entry, source=origin,
                 changes={"fund": fund.pk, "project": project.pk, "amount_fen": amount_fen, "on": str(on)},
                 summary=f"{fund} → {project}: {yuan(amount_fen)}")
    return entry


@transaction.atomic
def spend(*, by, fund: Fund, project: Project, amount_fen: int, on: dt.date, document: str = "", note: str = "",
          origin: str = "web") -> Spending:
    """Record money spent on a project from a fund (支出); never more than the fund allocated to the project."""
    _positive(amount_fen)
    _not_future(on)
    fund = _entry_checks(by, fund, project)
    given, used = allocated(fund, project), spent(fund, project)
    if used + amount_fen > given:
        raise ValidationError({"amount_fen": _(
            "%(project)s: %(fund)s allocated %(allocated)s to it, of which %(spent)s is spent: %(left)s is left, "
            "not %(asked)s") % {"project": project, "fund": fund, "allocated": yuan(given), "spent": yuan(used),
                                "left": yuan(given - used), "asked": yuan(amount_fen)}})
    entry = Spending.objects.create(fund=fund, project=project, amount_fen=amount_fen, on=on,
                                    document=document.strip(), note=note.strip(), recorded_by=by)
    Project.objects.filter(pk=project.pk).update(spent_fen=F("spent_fen") + amount_fen)
    audit_change(actor=by, action="fund_spend", instance=entry, source=origin,
                 changes={"fund": fund.pk, "project": project.pk, "amount_fen": amount_fen, "on": str(on)},
                 summary=f"{project} ← {fund}: {yuan(amount_fen)}")
    return entry


def _reversible(model, entry):
    entry = model.objects.select_related("fund", "project").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError(_("this entry is itself a reversal; record the entry again instead"))
    if model.objects.filter(reverses=entry).exists():
        raise ValidationError(_("this entry was reversed already"))
    return entry


@transaction.atomic
def reverse_allocation(*, by, allocation: Allocation, note: str, on: dt.date | None = None,
                       origin: str = "web") -> Allocation:
    """Undo an allocation (冲销); refused while the project has spent more than would stay allocated to it."""
    entry = _reversible(Allocation, allocation)
    fund = _entry_checks(by, entry.fund, entry.project)
    if not note.strip():
        raise ValidationError({"note": _("say why the entry is reversed")})
    given, used = allocated(fund, entry.project), spent(fund, entry.project)
    if given - entry.amount_fen < used:
        raise ValidationError(_(
            "%(project)s has spent %(spent)s of %(fund)s; reversing %(amount)s would leave %(left)s allocated to it. "
            "Reverse the spending first") % {"project": entry.project, "spent": yuan(used), "fund": fund,
                                            "amount": yuan(entry.amount_fen), "left": yuan(given - entry.amount_fen)})
    reversal = Allocation.objects.create(fund=fund, project=entry.project, amount_fen=-entry.amount_fen,
                                         on=on or timezone.localdate(), note=note.strip(), reverses=entry,
                                         recorded_by=by)
    audit_change(actor=by, action="fund_allocate_reverse", instance=reversal, source=origin,
                 changes={"reverses": entry.pk, "amount_fen": -entry.amount_fen},
                 summary=f"{fund} → {entry.project}: {yuan(-entry.amount_fen)} ({note.strip()[:80]})")
    return reversal


@transaction.atomic
def reverse_spending(*, by, spending: Spending, note: str, on: dt.date | None = None,
                     origin: str = "web") -> Spending:
    """Undo a spending (冲销): what it spent is allocated and unspent again."""
    entry = _reversible(Spending, spending)
    fund = _entry_checks(by, entry.fund, entry.project)
    if not note.strip():
        raise ValidationError({"note": _("say why the entry is reversed")})
    reversal = Spending.objects.create(fund=fund, project=entry.project, amount_fen=-entry.amount_fen,
                                       on=on or timezone.localdate(), note=note.strip(), reverses=entry,
                                       recorded_by=by)
    Project.objects.filter(pk=entry.project_id).update(spent_fen=F("spent_fen") - entry.amount_fen)
    audit_change(actor=by, action="fund_spend_reverse", instance=reversal, source=origin,
                 changes={"reverses": entry.pk, "amount_fen": -entry.amount_fen},
                 summary=f"{entry.project} ← {fund}: {yuan(-entry.amount_fen)} ({note.strip()[:80]})")
    return reversal
