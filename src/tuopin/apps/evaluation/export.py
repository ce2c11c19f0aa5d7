"""The round's sample and findings as xlsx, for the evaluators' visits: ID numbers always masked (the evaluator
finds a household by its number, village and head's name; it never needs the full number)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_event
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Person
from tuopin.common.masking import mask_id

from .models import EvaluationRound, Finding, SampleKind
from .selectors import samples_of


def _headers() -> list[str]:
    return [_("Village"), _("Household number"), _("Head of household"), _("Head's ID number (masked)"),
            _("Persons"), _("Sample kind"), _("Suggested by the data"), _("Finding"), _("Note"), _("Checked by"),
            _("Checked on")]


def round_xlsx(round_: EvaluationRound, *, by, source: str = "web") -> bytes:
    require(by, Action.SEE_EVALUATION, round_)
    samples = list(samples_of(round_))
    heads = dict(Person.objects.filter(household_id__in=[s.household_id for s in samples], relation=c.Relation.HEAD)
                 .values_list("household_id", "pk"))
    people = {p.pk: p for p in Person.objects.filter(pk__in=heads.values()).only("name", "id_number")}
    kinds, findings = dict(SampleKind.choices), dict(Finding.choices)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sample")
    sheet.append(_headers())
    for s in samples:
        head = people.get(heads.get(s.household_id))
        sheet.append([s.household.village.name, s.household.number, head.name if head else "",
                      mask_id(head.id_number) if head else "", s.persons, str(kinds[s.kind]),
                      str(findings[s.suggested]), str(findings[s.finding]), s.note,
                      s.checked_by.get_username() if s.checked_by else "",
                      s.checked_on.isoformat() if s.checked_on else ""])
    villages = book.create_sheet(_("Villages"))
    villages.append([_("Village code"), _("Village"), _("Non-registered persons")])
    for v in round_.villages.select_related("village").order_by("village__code"):
        villages.append([v.village.code, v.village.name, v.non_registered_persons])
    buffer = io.BytesIO()
    book.save(buffer)
    audit_event(actor=by, action="export", entity="evaluation.evaluationround", entity_id=str(round_.pk),
                source=source, summary=f"{round_.name}: sample of {len(samples)} households, ID numbers masked")
    return buffer.getvalue()
