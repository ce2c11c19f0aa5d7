"""The village public-notice list (公示名单) of a household procedure in a year: households proposed to exit,
applying to be identified as poor, or proposed as returned to poverty.

Lists every open procedure of the kind and year in the village (not yet announced nor sent back — decision 0603),
with the household number, the head's name, members and income per person only: the list is posted on the
village notice board, so it carries no ID number (not even masked), phone, bank account or health data, nor the
free-text reason of a return, which may name an illness (decision 1234).
"""

from __future__ import annotations

from dataclasses import dataclass

from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import HouseholdYear, Person, ProcedureStep, StatusEvent


@dataclass
class NoticeRow:
    number: str
    head_name: str
    members: int
    per_capita_fen: int | None
    stage: str  # where the procedure stands (for the offices; the posted list does not show it)
    notice: ProcedureStep | None


def notice_rows(user, village, year: int, kind: str = c.EventKind.EXITED) -> list[NoticeRow]:
    events = list(StatusEvent.objects.filter(
        kind=kind, year=year, household__village=village,
        household__in=households_visible_to(user).values("pk"),
    ).exclude(stage__in=(c.Stage.REFUSED, c.Stage.ANNOUNCED)).select_related("household")
        .order_by("household__number", "id"))
    ids = [e.household_id for e in events]
    heads = {p.household_id: p for p in Person.objects.filter(household_id__in=ids, relation=c.Relation.HEAD,
                                                              active=True).order_by("id")}
    records = {r.household_id: r for r in HouseholdYear.objects.filter(household_id__in=ids, year=year)}
    # The latest notice of each procedure (an identification has two; the second is the one being posted).
    notices = {s.event_id: s for s in ProcedureStep.objects.filter(
        event__in=events, stage__in=(c.Stage.PUBLIC_NOTICE, c.Stage.SECOND_NOTICE), passed=True).order_by("on", "id")}
    rows = []
    for event in events:
        head, record = heads.get(event.household_id), records.get(event.household_id)
        rows.append(NoticeRow(
            number=event.household.number, head_name=head.name if head else "",
            members=record.members if record else event.persons,
            per_capita_fen=record.per_capita_net_income_fen if record else None,
            stage=event.stage, notice=notices.get(event.pk)))
    return rows
