"""The registry's households as the pages show them with the organisation's part: each row with the cadre
paired with it, a household's file with its pairings. Here, above the registry, because the pairings are the
organisation's (the registry imports no organisation model: the import contracts in pyproject.toml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.geo.models import Region
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, Person, ProcedureStep, StatusEvent
from tuopin.apps.registry.selectors import households_under

from .models import CadreHouseholdPairing


def annotate_for_list(households: QuerySet[Household]) -> QuerySet[Household]:
    """Adds what a household table shows: head's name, active members, latest per-capita income, cadre."""
    latest = HouseholdYear.objects.filter(household=OuterRef("pk")).order_by("-year")
    today = dt.date.today()
    cadre = CadreHouseholdPairing.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today), household=OuterRef("pk"), start__lte=today
    ).order_by("-start")
    members = (Person.objects.filter(household=OuterRef("pk"), active=True).order_by()
               .values("household").annotate(n=Count("id")).values("n"))
    return households.select_related("village").annotate(
        head_name=Subquery(Person.objects.filter(household=OuterRef("pk"), relation=c.Relation.HEAD, active=True)
                           .order_by("id").values("name")[:1]),
        active_members=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        latest_year=Subquery(latest.values("year")[:1]),
        latest_per_capita_fen=Subquery(latest.values("per_capita_net_income_fen")[:1]),
        cadre_name=Subquery(cadre.values("cadre__name")[:1]),
    ).order_by("number")


def village_household_rows(user, village: Region) -> QuerySet[Household]:
    return annotate_for_list(households_under(user, village))


def my_household_rows(user) -> QuerySet[Household]:
    """A cadre's paired households, an evaluator's sample: the list such roles work from."""
    return annotate_for_list(Household.objects.filter(pk__in=households_visible_to(user).values("pk")))


@dataclass
class HouseholdFile:  # 户档案: everything the household page shows
    household: Household
    members: list[Person]
    years: list[HouseholdYear]
    events: list[StatusEvent]
    pairings: list[CadreHouseholdPairing]

    @property
    def head(self) -> Person | None:
        return next((p for p in self.members if p.relation == c.Relation.HEAD and p.active), None)


def household_file(household: Household) -> HouseholdFile:
    """Everything on file for a household that `household_for` has already found in the account's scope."""
    members = list(Person.objects.filter(household=household).order_by("-active", "relation", "number"))
    years = list(HouseholdYear.objects.filter(household=household).order_by("-year"))
    events = list(
        StatusEvent.objects.filter(household=household).order_by("effective_on", "id")
        .prefetch_related(Prefetch("steps", queryset=ProcedureStep.objects.order_by("on", "id")))
    )
    pairings = list(CadreHouseholdPairing.objects.filter(household=household).select_related("cadre__unit")
                    .order_by("-start"))
    return HouseholdFile(household, members, years, events, pairings)
