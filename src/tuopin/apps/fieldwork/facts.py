"""The registry facts the checklist reads, for many households at once: a fixed handful of queries however many
households are asked (the phone's offline bootstrap of a whole village), never one per household."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from tuopin.apps.assistance.models import Task, TaskStatus
from tuopin.apps.registry.models import HouseholdYear, Person, PersonYear

from .checklist import Facts


def load_facts(households, year: int) -> dict[int, Facts]:
    """{household id: Facts} of the households (ids, or a values("pk") query), each on its latest yearly record up
    to `year` — the record the phone shows and the arriving answer is compared with (decision 1560). Four queries."""
    latest = (HouseholdYear.objects.filter(household_id=OuterRef("household_id"), year__lte=year)
              .order_by("-year").values("year")[:1])
    records = {r.household_id: r for r in HouseholdYear.objects.filter(household_id__in=households,
                                                                       year=Subquery(latest))}
    facts = {hid: Facts(year=r.year, members=[], record=r, open_templates=set()) for hid, r in records.items()}
    persons = list(Person.objects.filter(household_id__in=households, active=True)
                   .order_by("household_id", "relation", "number"))
    person_years = {(py.person_id, py.year): py for py in PersonYear.objects.filter(
        person__household_id__in=households, person__active=True, year__in={r.year for r in records.values()})}
    for p in persons:
        f = facts.setdefault(p.household_id, Facts(year=None, members=[], record=None, open_templates=set()))
        p.py = person_years.get((p.pk, f.year)) if f.year is not None else None
        f.members.append(p)
    for hid, template in open_cadre_tasks(households).values_list("household_id", "template"):
        facts.setdefault(hid, Facts(year=None, members=[], record=None, open_templates=set())).open_templates.add(
            template)
    return facts


def household_facts(household_id: int, year: int) -> Facts:
    """One household's Facts (`load_facts`), empty when it has neither a record nor members: what an arriving
    visit or survey is checked against."""
    return load_facts([household_id], year).get(household_id) or Facts(year=None, members=[], record=None,
                                                                        open_templates=set())


def open_cadre_tasks(households):
    """The open "4+4" cadre tasks (干部四项) of the households."""
    return Task.objects.filter(household_id__in=households, kind="cadre4", status=TaskStatus.OPEN)
