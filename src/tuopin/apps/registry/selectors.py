"""Reads of the registry for pages: headline counts per region, drill-down rows, a household's file, search.

Every function takes the account and starts from `accounts.scoping`, so what a page counts is exactly
what the account may see. Counts are plain ORM aggregates of the registry as it stands today; the
assessment engine will supply the indicator figures (incidence, exit readiness) later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from tuopin.apps.accounts.permissions import remember_reach
from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.geo.models import Level, Region

from . import choices as c
from .models import Household, HouseholdYear, Person

# From a household, the path to the region of each level (Household.township is denormalised for speed).
_PATH_TO_LEVEL = {
    Level.PROVINCE: "township__parent__parent__parent",
    Level.CITY: "township__parent__parent",
    Level.COUNTY: "township__parent",
    Level.TOWNSHIP: "township",
    Level.VILLAGE: "village",
    Level.NATURAL_VILLAGE: "natural_village",
}
_CHILD_LEVEL = {Level.PROVINCE: Level.CITY, Level.CITY: Level.COUNTY, Level.COUNTY: Level.TOWNSHIP,
                Level.TOWNSHIP: Level.VILLAGE}
def households_under(user, region: Region) -> QuerySet[Household]:
    """Open (not closed) households under `region` that the account may see."""
    scoped = households_visible_to(user)
    if scoped.query.distinct:
        # A cadre's scope joins the pairings (and is DISTINCT): count through the keys so that rows stay unique.
        scoped = Household.objects.filter(pk__in=scoped.values("pk"))
    return scoped.filter(closed=False, **{_PATH_TO_LEVEL[region.level]: region})


@dataclass
class Counts:
    households: int = 0
    persons: int = 0  # active members (persons who left stay on file and are not counted)
    registered_households: int = 0  # 建档立卡户 (poor now, exited, returned or monitored)
    registered_persons: int = 0
    poor_households: int = 0  # 未脱贫 + 返贫 today
    poor_persons: int = 0

    def add(self, *, status: str, registered: bool, households: int, persons: int) -> None:
        self.households += households
        self.persons += persons
        if registered:
            self.registered_households += households
            self.registered_persons += persons
        if status in c.POOR_STATUSES:
            self.poor_households += households
            self.poor_persons += persons


@dataclass
class StatusRow:
    status: str  # PovertyStatus code; the page puts the label on it
    households: int
    persons: int


@dataclass
class Headline:
    region: Region
    counts: Counts
    villages: int | None  # administrative villages under the region (None on a village's own page)
    poor_villages: int | None  # 贫困村 among them
    statuses: list[StatusRow] = field(default_factory=list)


@dataclass
class ChildRow:
    region: Region
    counts: Counts


@dataclass
class Overview:  # what a region page shows: its headline and one row per child region
    headline: Headline
    children: list[ChildRow] | None  # None on a village's page (it lists households instead)


def _tally(households: QuerySet[Household], key: str | None) -> list[dict]:
    """One grouped query: households and active persons per (child region, status, registered)."""
    groups = {"status_code": F("status"), "registered": F("is_registered")}
    if key is not None:
        groups["child"] = F(key)
    return list(households.values(**groups).annotate(
        n_households=Count("id", distinct=True),
        n_persons=Count("members", filter=Q(members__active=True)),
    ).order_by())


def region_overview(user, region: Region) -> Overview:
    """Headline counts, status breakdown and per-child rows of a region, from one grouped query."""
    child_level = _CHILD_LEVEL.get(region.level)
    key = _PATH_TO_LEVEL[child_level] if child_level else None
    total, by_status, by_child = Counts(), {}, {}
    for row in _tally(households_under(user, region), key):
        facts = {"status": row["status_code"], "registered": row["registered"], "households": row["n_households"],
                 "persons": row["n_persons"]}
        total.add(**facts)
        households, persons = by_status.get(row["status_code"], (0, 0))
        by_status[row["status_code"]] = (households + row["n_households"], persons + row["n_persons"])
        if key is not None:
            by_child.setdefault(row["child"], Counts()).add(**facts)
    statuses = [StatusRow(s.value, *by_status[s.value]) for s in c.PovertyStatus if s.value in by_status]
    villages = poor_villages = None
    children = None
    if region.level != Level.VILLAGE:
        under = regions_visible_to(user).filter(level=Level.VILLAGE).filter(_village_under(region))
        tally = under.aggregate(n=Count("id"), poor=Count("id", filter=Q(is_poor_village=True)))
        villages, poor_villages = tally["n"], tally["poor"]
        children = [ChildRow(r, by_child.get(r.pk, Counts()))
                    for r in regions_visible_to(user).filter(parent=region).order_by("code")]
    return Overview(Headline(region, total, villages, poor_villages, statuses), children)


def _village_under(region: Region) -> Q:
    path = {Level.TOWNSHIP: "parent", Level.COUNTY: "parent__parent", Level.CITY: "parent__parent__parent",
            Level.PROVINCE: "parent__parent__parent__parent"}[region.level]
    return Q(**{path: region})


def household_for(user, pk: int) -> Household:
    """The household with this primary key if the account may see it; Household.DoesNotExist otherwise."""
    # The village's ancestors come in the same query: the page's breadcrumbs walk them (Region.ancestors).
    found = households_visible_to(user).select_related(
        "village__parent__parent__parent__parent", "township", "natural_village", "updated_by").get(pk=pk)
    remember_reach(user, found.pk)
    return found


def _in_scope(user, record, household_id: int):
    # One primary-key lookup, then the scope check on its household: cheaper than filtering by a subquery
    # that lists every household the account may see.
    if not households_visible_to(user).filter(pk=household_id).exists():
        raise record.DoesNotExist
    remember_reach(user, household_id)
    return record


def person_for(user, pk: int) -> Person:
    """A person whose household the account may see; Person.DoesNotExist otherwise."""
    person = Person.objects.select_related("household", "updated_by").get(pk=pk)
    return _in_scope(user, person, person.household_id)


def household_year_for(user, pk: int) -> HouseholdYear:
    record = HouseholdYear.objects.select_related("household", "updated_by").get(pk=pk)
    return _in_scope(user, record, record.household_id)


# --- search -----------------------------------------------------------------------------------------------

_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
SEARCH_LIMIT = 50


@dataclass
class SearchResult:
    kind: str  # "id_number" / "number" / "name"
    persons: list[Person]  # each with .household (and its village) loaded
    more: bool  # more matches than SEARCH_LIMIT; the page asks for a narrower query
    total: int = 0  # every match in scope, shown or not ("共 N 条，显示前 50 条")


def household_search(user, text: str) -> SearchResult:
    """Find persons by ID number (exact), household number (prefix), person number (exact) or name (contains).

    A household-number match lists the household's head. Results are scoped like every other read.
    """
    query = text.strip().upper()
    # EXISTS per matching person, not IN over every visible household: an ID number or a household number
    # narrows the rows through its index first, and only the matches are checked against the scope.
    in_scope = Exists(households_visible_to(user).filter(pk=OuterRef("household_id")))
    persons = Person.objects.filter(in_scope).select_related("household__village")
    if _ID_SHAPE.match(query):
        kind, found = "id_number", persons.filter(id_number=query)
    elif query.isdigit():
        kind = "number"
        found = persons.filter(Q(number=query) | Q(household__number__startswith=query, relation=c.Relation.HEAD))
    else:
        kind, found = "name", persons.filter(name__icontains=text.strip())
    rows = list(found.order_by("household__number", "relation", "number")[: SEARCH_LIMIT + 1])
    more = len(rows) > SEARCH_LIMIT
    # Counted only when the page is full: a count costs a second pass over the matches.
    return SearchResult(kind, rows[:SEARCH_LIMIT], more, found.count() if more else len(rows))

