"""The village public-notice list (公示名单) of households proposed to exit poverty in a year.

Lists every open exit procedure of the year in the village (拟退出户: proposed, not yet announced nor sent back —
decision 0603), with the head's ID number always masked: the list is posted on the village notice board, and
real leaks of such rosters are why (security checklist: mask ID numbers in 公示 exports too).
"""

from __future__ import annotations

from dataclasses import dataclass

from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import HouseholdYear, Person, ProcedureStep, StatusEvent
from tuopin.common.masking import mask_id


@dataclass
class NoticeRow:
    number: str
    head_name: str
    masked_id: str
    members: int
    per_capita_fen: int | None
    stage: str  # where the procedure stands (for the offices; the posted list does not show it)
    notice: ProcedureStep | None


def notice_rows(user, village, year: int) -> list[NoticeRow]:
    events = list(StatusEvent.objects.filter(
        kind=c.EventKind.EXITED, year=year, household__village=village,
        household__in=households_visible_to(user).values("pk"),
    ).exclude(stage__in=(c.Stage.REFUSED, c.Stage.ANNOUNCED)).select_related("household")
        .order_by("household__number", "id"))
    ids = [e.household_id for e in events]
    heads = {p.household_id: p for p in Person.objects.filter(household_id__in=ids, relation=c.Relation.HEAD,
                                                              active=True).order_by("id")}
    records = {r.household_id: r for r in HouseholdYear.objects.filter(household_id__in=ids, year=year)}
    notices = {s.event_id: s for s in ProcedureStep.objects.filter(event__in=events, stage=c.Stage.PUBLIC_NOTICE,
                                                                   passed=True).order_by("on")}
    rows = []
    for event in events:
        head, record = heads.get(event.household_id), records.get(event.household_id)
        rows.append(NoticeRow(
            number=event.household.number, head_name=head.name if head else "",
            masked_id=mask_id(head.id_number) if head else "",  # masked for every role, the county's too
            members=record.members if record else event.persons,
            per_capita_fen=record.per_capita_net_income_fen if record else None,
            stage=event.stage, notice=notices.get(event.pk)))
    return rows
