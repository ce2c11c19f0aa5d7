"""Aid payments as services: recorded one at a time (a page, the county office keying in a paper list) or by the
import (imports.py), amended and withdrawn — each checked, permission-checked, version-checked and audited in the
same transaction. Who records which kind is the permission layer's (`RECORD_AID` with the kind's paying domains
from aid.toml, decision 1530)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, Refused, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.registry.models import Person
from tuopin.common.versioning import locked, stamp
from tuopin.standards.aid import kind_departments

from .choices import AidKind
from .models import AidPayment

# The paying department is an organisation unit; aid sits below organisation in the apps' order (the contract in
# pyproject.toml), so it names the model through its foreign key rather than importing it.
Unit = AidPayment._meta.get_field("department").related_model
FIELDS = ("person", "year", "kind", "amount_fen", "paid_on", "department", "reference", "note")
FIRST_YEAR = 2014  # the registry's first year (建档立卡 2014)


def paying_domains(kind: str) -> tuple[str, ...]:
    if kind not in AidKind.values:
        raise ValidationError({"kind": _("unknown kind of aid: %(kind)s") % {"kind": kind}})
    return kind_departments(kind)


def payer_of(by, kind: str, department):
    """The paying department: a department account's own unit; the county office names it. Either way its
    domain must pay the kind."""
    if by is not None and by.role == "department":
        department = by.department
    if department is None:
        raise ValidationError({"department": _("name the department that paid")})
    if department.domain not in paying_domains(kind):
        raise ValidationError({"department": _("%(unit)s does not pay %(kind)s")
                                             % {"unit": department.name, "kind": AidKind(kind).label}})
    return department


def check(*, year: int, kind: str, amount_fen: int, paid_on: dt.date, reference: str, today: dt.date | None = None
          ) -> dict[str, str]:
    """{field: reason} for what is wrong with a payment's figures ({} when nothing is)."""
    today = today or timezone.localdate()
    problems = {}
    if kind not in AidKind.values:
        problems["kind"] = _("unknown kind of aid: %(kind)s") % {"kind": kind}
    if not FIRST_YEAR <= year <= today.year:
        problems["year"] = _("the year must lie between %(first)s and %(last)s") % {"first": FIRST_YEAR,
                                                                                    "last": today.year}
    if amount_fen <= 0:
        problems["amount_fen"] = _("the amount must be more than zero")
    if paid_on > today:
        problems["paid_on"] = _("a payment is recorded once made; %(on)s is in the future") % {"on": paid_on}
    elif not year <= paid_on.year <= year + 1:
        # A year's aid is paid in that year or, for its last term or a late claim, early in the next.
        problems["paid_on"] = _("a payment of %(year)s is made in %(year)s or the year after") % {"year": year}
    if not reference.strip():
        problems["reference"] = _("give the payment's reference (凭证号)")
    elif len(reference.strip()) > 64:
        problems["reference"] = _("longer than %(limit)s characters") % {"limit": 64}
    return problems


@transaction.atomic
def payment_record(*, by, person: Person, year: int, kind: str, amount_fen: int, paid_on: dt.date,
                   reference: str, department=None, note: str = "", source: str = "web"
                   ) -> AidPayment:
    require(by, Action.RECORD_AID, paying_domains(kind))
    problems = check(year=year, kind=kind, amount_fen=amount_fen, paid_on=paid_on, reference=reference)
    if problems:
        raise ValidationError(problems)
    department = payer_of(by, kind, department)
    reference = reference.strip()
    if AidPayment.objects.filter(department=department, reference=reference).exists():
        raise ValidationError({"reference": _("%(unit)s has recorded the reference %(reference)s already")
                                            % {"unit": department.name, "reference": reference}})
    person = Person.objects.select_related("household").get(pk=person.pk)
    payment = AidPayment.objects.create(
        person=person, household=person.household, village_id=person.household.village_id, year=year, kind=kind,
        amount_fen=amount_fen, paid_on=paid_on, department=department, reference=reference, note=note.strip()[:200],
        created_by=by, updated_by=by)
    audit_change(actor=by, action="aid:record", instance=payment, source=source,
                 changes=diff({}, snapshot(payment, FIELDS)),
                 summary=f"{AidKind(kind).label} {year}: {amount_fen / 100:.2f} yuan")
    return payment


@transaction.atomic
def payment_amend(*, payment: AidPayment, version: int, by, amount_fen: int, paid_on: dt.date, reference: str,
                  note: str = "", source: str = "web") -> AidPayment:
    """Correct a payment's amount, day, reference or note (its person, year and kind stay: a wrong one is
    withdrawn and recorded again)."""
    payment = locked(AidPayment, payment.pk, version)
    require(by, Action.RECORD_AID, paying_domains(payment.kind))
    if by is not None and by.role == "department" and payment.department_id != by.department_id:
        raise Refused(by, Action.RECORD_AID, _("the payment was recorded by another department"))
    problems = check(year=payment.year, kind=payment.kind, amount_fen=amount_fen, paid_on=paid_on,
                     reference=reference)
    if problems:
        raise ValidationError(problems)
    reference = reference.strip()
    if AidPayment.objects.filter(department_id=payment.department_id, reference=reference) \
            .exclude(pk=payment.pk).exists():
        raise ValidationError({"reference": _("%(unit)s has recorded the reference %(reference)s already")
                                            % {"unit": payment.department.name, "reference": reference}})
    before = snapshot(payment, FIELDS)
    payment.amount_fen, payment.paid_on, payment.reference, payment.note = amount_fen, paid_on, reference, \
        note.strip()[:200]
    stamp(payment, by)
    payment.save()
    audit_change(actor=by, action="aid:amend", instance=payment, source=source,
                 changes=diff(before, snapshot(payment, FIELDS)), summary=f"aid payment {payment.pk} amended")
    return payment


@transaction.atomic
def payment_withdraw(*, payment: AidPayment, version: int, by, reason: str, source: str = "web") -> None:
    """Take back a payment recorded in error (the audit trail keeps what it was and why it went)."""
    payment = locked(AidPayment, payment.pk, version)
    require(by, Action.RECORD_AID, paying_domains(payment.kind))
    if by is not None and by.role == "department" and payment.department_id != by.department_id:
        raise Refused(by, Action.RECORD_AID, _("the payment was recorded by another department"))
    if not reason.strip():
        raise ValidationError({"reason": _("say why the payment is withdrawn")})
    before = snapshot(payment, FIELDS)
    audit_change(actor=by, action="aid:withdraw", instance=payment, source=source,
                 changes={k: [v, None] for k, v in before.items()}, summary=reason.strip()[:300])
    payment.delete()
