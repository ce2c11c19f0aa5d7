"""Writes to the asset-income ledgers. Each validates, writes in one transaction with the project locked, audits.

The one invariant (decision 1510): what a project has paid out (its payments not reversed) never exceeds what came
in (its income). A payment beyond the balance is refused with the figures; so is a correction of a month's income
that would leave less in than was paid out. Reversals only take money back, so they cannot break it.
A payment to a household adds to its income line of the year (wage for a post, dividend for a dividend) through
the registry's audited, version-checked service, so the figures see it; a reversal takes it back (decision 1512).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.projects.models import Project
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.choices import LabourAbility
from tuopin.apps.registry.models import HouseholdYear, Person
from tuopin.common.money import fen_to_yuan
from tuopin.common.versioning import locked, stamp

from . import rules
from .choices import LINE_OF, SHARE_OF, PaymentKind
from .models import Income, Participation, Payment, Plan

PV, LIVESTOCK = "pv", "livestock"
# Labour that makes a household one that works for its income (a post), not one that gets a dividend.
ABLE = (LabourAbility.ORDINARY, LabourAbility.SKILLED)


def _y(fen: int) -> str:
    return f"{fen_to_yuan(fen):,}"


def county_code(project: Project) -> str:
    village = project.villages.order_by("code").first()
    return village.code if village is not None else "000000"


def totals(project: Project, *, year: int | None = None, upto: int | None = None) -> tuple[int, int]:
    """(income in, paid out) of the project: of `year`, or of the years up to `upto`, or all."""
    inc, pay = Income.objects.filter(project=project), Payment.objects.filter(project=project, reversed_on=None)
    if year is not None:
        inc, pay = inc.filter(year=year), pay.filter(year=year)
    if upto is not None:
        inc, pay = inc.filter(year__lte=upto), pay.filter(year__lte=upto)
    return (inc.aggregate(s=Sum("amount_fen"))["s"] or 0, pay.aggregate(s=Sum("amount_fen"))["s"] or 0)


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def income_record(*, project: Project, year: int, month: int, by, kwh: int | None = None,
                  amount_fen: int | None = None, version: int | None = None, source: str = "web") -> Income:
    """A station's month (kWh; the revenue is kWh × the tariff) or a base's yearly receipt (month 0, amount);
    a second entry of the same month corrects it (version-checked)."""
    require(by, Action.RECORD_ASSET_INCOME, project)
    project = _lock(project)
    if project.kind == PV:
        if not 1 <= int(month) <= 12:
            raise ValidationError({"month": [_("a station's income is entered by month, 1 to 12")]})
        if kwh is None or int(kwh) < 0:
            raise ValidationError({"kwh": [_("the month's generation (kWh) is needed and cannot be negative")]})
        rate = rules.tariff(county_code(project))
        fields = {"kwh": int(kwh), "tariff": rate, "amount_fen": rules.revenue_fen(int(kwh), rate)}
    elif project.kind == LIVESTOCK:
        month = 0
        if amount_fen is None or int(amount_fen) < 0:
            raise ValidationError({"amount_fen": [_("the year's receipt is needed and cannot be negative")]})
        fields = {"kwh": None, "tariff": None, "amount_fen": int(amount_fen)}
    else:
        raise ValidationError(_("only PV stations and livestock bases keep an asset-income ledger"))
    existing = Income.objects.filter(project=project, year=year, month=month).first()
    old = 0
    if existing is not None:
        existing = locked(Income, existing.pk, version)
        old = existing.amount_fen
    came_in, paid = totals(project)
    if came_in - old + fields["amount_fen"] < paid:
        raise ValidationError(_(
            "refused: the ledger would hold %(income)s yuan in against %(paid)s yuan already paid out; reverse "
            "payments first") % {"income": _y(came_in - old + fields["amount_fen"]), "paid": _y(paid)})
    if existing is None:
        income = Income(project=project, year=year, month=month, updated_by=by, **fields)
        income.save()
        audit_change(actor=by, action="create", instance=income, source=source,
                     changes={k: [None, str(v)] for k, v in fields.items()},
                     summary=f"{project.name} {year}-{month:02d}: {_y(fields['amount_fen'])} yuan")
        return income
    before = snapshot(existing, fields)
    for k, v in fields.items():
        setattr(existing, k, v)
    stamp(existing, by)
    existing.save()
    audit_change(actor=by, action="update", instance=existing, source=source,
                 changes=diff(before, snapshot(existing, fields)), summary=f"{project.name} {year}-{month:02d}")
    return existing


def plan_errors(code: str, shares: dict) -> list[str]:
    limits = rules.plan_limits(code)
    errors = []
    if any(v < 0 for v in shares.values()) or sum(shares.values()) != 100:
        errors.append(_("the shares must be whole percentages that add up to 100"))
    floor = limits.get("posts_and_public_works_at_least_pct")
    if floor is not None and shares["posts_pct"] + shares["public_works_pct"] < floor:
        errors.append(_("welfare posts and public works must take at least %(pct)s %% of the revenue")
                      % {"pct": floor})
    ceiling = limits.get("reserve_at_most_pct")
    if ceiling is not None and shares["reserve_pct"] > ceiling:
        errors.append(_("the reserve may keep at most %(pct)s %% of the revenue") % {"pct": ceiling})
    return errors


@transaction.atomic
def plan_set(*, project: Project, year: int, posts_pct: int, public_works_pct: int, dividends_pct: int,
             reserve_pct: int, by, approved_on: dt.date | None = None, note: str = "", version: int | None = None,
             source: str = "web") -> Plan:
    """The village's plan for the year (收益分配方案), against the limits in the standards."""
    require(by, Action.RECORD_ASSET_INCOME, project)
    project = _lock(project)
    shares = {"posts_pct": int(posts_pct), "public_works_pct": int(public_works_pct),
              "dividends_pct": int(dividends_pct), "reserve_pct": int(reserve_pct)}
    errors = plan_errors(county_code(project), shares)
    if errors:
        raise ValidationError(errors)
    fields = {**shares, "approved_on": approved_on, "note": note}
    plan = Plan.objects.filter(project=project, year=year).first()
    if plan is None:
        plan = Plan(project=project, year=year, updated_by=by, **fields)
        plan.save()
        audit_change(actor=by, action="create", instance=plan, source=source,
                     changes={k: [None, str(v)] for k, v in fields.items()}, summary=f"{project.name} plan {year}")
        return plan
    plan = locked(Plan, plan.pk, version)
    for kind, share in SHARE_OF.items():
        cap, paid = _cap(project, year, fields[share]), _paid(project, year, kind)
        if paid > cap:
            raise ValidationError(_("refused: %(kind)s already paid %(paid)s yuan in %(year)s, more than the new "
                                    "share allows (%(cap)s yuan)") % {"kind": kind.label, "paid": _y(paid),
                                                                      "year": year, "cap": _y(cap)})
    before = snapshot(plan, fields)
    for k, v in fields.items():
        setattr(plan, k, v)
    stamp(plan, by)
    plan.save()
    audit_change(actor=by, action="update", instance=plan, source=source, changes=diff(before, snapshot(plan, fields)),
                 summary=f"{project.name} plan {year}")
    return plan


def available(project: Project, year: int) -> int:
    """What the year may spend: its income and what earlier years left."""
    came_in, _ = totals(project, upto=year)
    _, paid_before = totals(project, upto=year - 1)
    return came_in - paid_before


def _cap(project: Project, year: int, pct: int) -> int:
    return available(project, year) * pct // 100


def _paid(project: Project, year: int, kind: str) -> int:
    return Payment.objects.filter(project=project, year=year, kind=kind, reversed_on=None) \
        .aggregate(s=Sum("amount_fen"))["s"] or 0


@transaction.atomic
def payment_record(*, project: Project, year: int, kind: str, paid_on: dt.date, by, household=None,
                   person: Person | None = None, amount_fen: int | None = None, months: int = 0,
                   monthly_wage_fen: int = 0, post: str = "", source: str = "web") -> Payment:
    require(by, Action.RECORD_ASSET_INCOME, project)
    project = _lock(project)
    kind = PaymentKind(kind)
    if kind == PaymentKind.POST:
        if person is None:
            raise ValidationError({"person": [_("a welfare post's wage is paid to a person")]})
        household = person.household
        if not post.strip():
            raise ValidationError({"post": [_("name the post (保洁员, 护林员 …)")]})
        months, monthly_wage_fen = int(months), int(monthly_wage_fen)
        if not 1 <= months <= 12 or monthly_wage_fen <= 0:
            raise ValidationError({"months": [_("a post is paid for 1 to 12 months at a monthly wage above zero")]})
        amount_fen = months * monthly_wage_fen
    elif kind == PaymentKind.PUBLIC_WORKS:
        household = person = None
        if not post.strip():
            raise ValidationError({"post": [_("name the public work")]})
    elif household is None:
        raise ValidationError({"household": [_("a dividend is paid to a household")]})
    if amount_fen is None or int(amount_fen) <= 0:
        raise ValidationError({"amount_fen": [_("the amount must be above zero")]})
    amount_fen = int(amount_fen)
    _eligible(project, year, kind, household, amount_fen)
    if project.kind == PV:
        plan = Plan.objects.filter(project=project, year=year).first()
        if plan is None:
            raise ValidationError(_("the village has no distribution plan for %(year)s: set it first") % {"year": year})
        cap, paid = _cap(project, year, getattr(plan, SHARE_OF[kind])), _paid(project, year, kind)
        if paid + amount_fen > cap:
            raise ValidationError(_(
                "refused: the plan gives %(kind)s %(pct)s %% of %(avail)s yuan, %(cap)s yuan; %(paid)s yuan paid, "
                "%(amount)s yuan more would exceed it") % {
                    "kind": kind.label, "pct": getattr(plan, SHARE_OF[kind]), "avail": _y(available(project, year)),
                    "cap": _y(cap), "paid": _y(paid), "amount": _y(amount_fen)})
    came_in, paid_out = totals(project)
    if paid_out + amount_fen > came_in:
        raise ValidationError(_(
            "refused: %(income)s yuan came in, %(paid)s yuan is paid out, the balance is %(balance)s yuan; "
            "%(amount)s yuan cannot be paid") % {"income": _y(came_in), "paid": _y(paid_out),
                                                 "balance": _y(came_in - paid_out), "amount": _y(amount_fen)})
    if kind in LINE_OF:
        _move_line(household, year, LINE_OF[kind], amount_fen, by=by, source=source)
    payment = Payment(project=project, year=year, kind=kind, household=household, person=person, post=post.strip(),
                      months=months, monthly_wage_fen=monthly_wage_fen, amount_fen=amount_fen, paid_on=paid_on,
                      created_by=by, updated_by=by)
    payment.save()
    audit_change(actor=by, action="create", instance=payment, source=source,
                 changes={"kind": [None, kind.value], "amount_fen": [None, amount_fen],
                          "household": [None, household.number if household else None]},
                 summary=f"{project.name} {year} {kind.value} {_y(amount_fen)} yuan")
    return payment


def _eligible(project: Project, year: int, kind: str, household, amount_fen: int) -> None:
    if project.kind == LIVESTOCK:
        if kind != PaymentKind.DIVIDEND:
            raise ValidationError(_("a livestock base pays its members' guaranteed dividends only"))
        share = Participation.objects.filter(project=project, household=household, year=year).first()
        if share is None:
            raise ValidationError(_("household %(number)s has no share in this base in %(year)s")
                                  % {"number": household.number, "year": year})
        paid = Payment.objects.filter(project=project, year=year, household=household, reversed_on=None) \
            .aggregate(s=Sum("amount_fen"))["s"] or 0
        if paid + amount_fen > share.guaranteed_fen:
            raise ValidationError(_("refused: the guaranteed dividend is %(g)s yuan, %(paid)s yuan already paid")
                                  % {"g": _y(share.guaranteed_fen), "paid": _y(paid)})
        return
    if household is None:
        return
    if not project.villages.filter(pk=household.village_id).exists():
        raise ValidationError(_("household %(number)s is not in the station's village") % {"number": household.number})
    if kind == PaymentKind.DIVIDEND:
        if not household.is_registered:
            raise ValidationError(_("a station's dividend goes to registered poor households only"))
        if rules.plan_limits(county_code(project)).get("dividends_only_without_labour") and \
                household.members.filter(Q(active=True), labour_ability__in=ABLE).exists():
            raise ValidationError(_("household %(number)s has members able to work: it is helped with a post, not "
                                    "a dividend (no equal hand-outs)") % {"number": household.number})


def _move_line(household, year: int, line: str, delta: int, *, by, source: str) -> None:
    record = HouseholdYear.objects.filter(household=household, year=year).first()
    if record is None:
        raise ValidationError(_("household %(number)s has no yearly record for %(year)s: enter it first")
                              % {"number": household.number, "year": year})
    now = getattr(record, line)
    if now + delta < 0:
        raise ValidationError(_("refused: the household's line holds %(now)s yuan, less than the %(amount)s yuan "
                                "to take back; correct the line first") % {"now": _y(now), "amount": _y(-delta)})
    registry.household_year_update(record=record, version=record.version, by=by, source=source,
                                   **{line: now + delta})


@transaction.atomic
def payment_reverse(*, payment: Payment, version: int, reason: str, on: dt.date, by,
                    source: str = "web") -> Payment:
    """A payment made in error is reversed, not deleted: it stays on file, marked, and its amount goes back into
    the ledger and out of the household's line."""
    require(by, Action.RECORD_ASSET_INCOME, payment.project)
    _lock(payment.project)
    payment = locked(Payment, payment.pk, version)
    if payment.reversed_on is not None:
        raise ValidationError(_("this payment was reversed already"))
    if not reason.strip():
        raise ValidationError({"reason": [_("say why the payment is reversed")]})
    if payment.kind in LINE_OF:
        _move_line(payment.household, payment.year, LINE_OF[PaymentKind(payment.kind)], -payment.amount_fen,
                   by=by, source=source)
    payment.reversed_on, payment.reversal_reason = on, reason.strip()[:200]
    stamp(payment, by)
    payment.save()
    audit_change(actor=by, action="reverse", instance=payment, source=source,
                 changes={"reversed_on": [None, on.isoformat()], "reason": [None, payment.reversal_reason]},
                 summary=f"reversed: {payment.project.name} {payment.year} {_y(payment.amount_fen)} yuan")
    return payment


@transaction.atomic
def participation_set(*, project: Project, household, year: int, guaranteed_fen: int, by,
                      source: str = "web") -> Participation:
    """A household's share in a livestock base for the year, with its guaranteed dividend (保底分红)."""
    require(by, Action.RECORD_ASSET_INCOME, project)
    if project.kind != LIVESTOCK:
        raise ValidationError(_("only a livestock base has members"))
    if int(guaranteed_fen) < 0:
        raise ValidationError({"guaranteed_fen": [_("the amount cannot be negative")]})
    share, created = Participation.objects.update_or_create(project=project, household=household, year=year,
                                                            defaults={"guaranteed_fen": int(guaranteed_fen)})
    audit_change(actor=by, action="create" if created else "update", instance=share, source=source,
                 changes={"guaranteed_fen": [None, int(guaranteed_fen)]},
                 summary=f"{project.name} {year}: household {household.number}")
    return share
