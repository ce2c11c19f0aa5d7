"""The one scoping layer: what each account may see. Pages, API and exports all start here.

A role sees households through exactly one of these rules; a role with no rule sees nothing, and so does an
account whose role lacks the region, cadre or unit it works on (`permissions.scope_missing`): no scope never
means everything. What a role may *do* with what it sees is decided in `permissions.py`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear

from .models import Role
from .permissions import HOUSING_DOMAIN, scope_missing


def _works(user) -> bool:
    """Logged in, active, and holding the scope its role needs."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not scope_missing(user)


def _active_pairings(on: dt.date | None = None) -> Q:
    on = on or dt.date.today()
    return Q(cadre_pairings__start__lte=on) & (Q(cadre_pairings__end__isnull=True) | Q(cadre_pairings__end__gte=on))


def households_visible_to(user) -> QuerySet[Household]:
    qs = Household.objects.all()
    if not _works(user):
        return qs.none()
    role = user.role
    if role == Role.COUNTY_ADMIN:
        return qs.filter(_region_filter(user.region, "village"))
    if role == Role.COMMANDER:
        return qs.filter(township=user.region)
    if role == Role.FIRST_SECRETARY:
        return qs.filter(village=user.region)
    if role == Role.CADRE:
        return qs.filter(_active_pairings(), cadre_pairings__cadre_id=user.cadre_id).distinct()
    if role == Role.EVALUATOR:
        from tuopin.apps.evaluation.models import SampledHousehold

        return qs.filter(_region_filter(user.region, "village"),
                         pk__in=SampledHousehold.objects.values("household_id"))
    if role == Role.DEPARTMENT:
        # A department sees, read-only, the households with an open gap task of its domain routed to it.
        return qs.filter(pk__in=_open_gap_tasks(user.department_id).values("household_id"))
    # Administrators of the system never see households.
    return qs.none()


def housing_households_visible_to(user) -> QuerySet[Household]:
    """The households whose renovations (危房改造) the account follows: those it reaches, and for the housing
    department (住建), every household of its county — it inspects houses and accepts works county-wide, with
    no gap task to open them (decision 1611). Another department: the households it reaches."""

    if _works(user) and user.role == Role.DEPARTMENT and user.department.domain == HOUSING_DOMAIN:
        return Household.objects.filter(_region_filter(user.region, "village"))
    return households_visible_to(user)


def _open_gap_tasks(unit_id: int):
    from tuopin.apps.assistance.models import Task, TaskStatus

    return Task.objects.filter(kind="gap", status=TaskStatus.OPEN, owner_unit_id=unit_id, household__isnull=False)


def tasks_visible_to(user):
    """Tasks the account may see: the county admin all (in its county); a commander those of the villages in
    the zone; a first secretary its village's; a cadre its own and those of its households; a department the
    tasks owned by its unit. Evaluators and the three administrators: none."""
    from tuopin.apps.assistance.models import Task

    qs = Task.objects.all()
    by_village = _by_village(qs, user)
    if by_village is not None:
        return by_village
    if user.role == Role.CADRE:
        return qs.filter(Q(owner_cadre_id=user.cadre_id) | Q(household__in=_cadres_households(user)))
    if user.role == Role.DEPARTMENT:
        return qs.filter(owner_unit_id=user.department_id)
    return qs.none()


def visits_visible_to(user):
    """Visits ("1+1") by the same rules as households, except that a cadre sees the visits it made and those
    to its households, and a department none (a visit's notes are about the family, not the department's gap)."""
    from tuopin.apps.assistance.models import Visit

    qs = Visit.objects.all()
    if not _works(user):
        return qs.none()
    role = user.role
    if role == Role.COUNTY_ADMIN:
        return qs.filter(_region_filter(user.region, "household__village"))
    if role == Role.COMMANDER:
        return qs.filter(household__township=user.region)
    if role == Role.FIRST_SECRETARY:
        return qs.filter(household__village=user.region)
    if role == Role.CADRE:
        mine = Household.objects.filter(_active_pairings(), cadre_pairings__cadre_id=user.cadre_id).values("pk")
        return qs.filter(Q(cadre_id=user.cadre_id) | Q(household__in=mine))
    return qs.none()


def proposed_changes_visible_to(user):
    """Proposed registry changes (decision 1560) of the households the account reaches: the village-bound roles by
    the household's village, a cadre those of its households and those it proposed."""
    from tuopin.apps.fieldwork.models import ProposedChange

    qs = ProposedChange.objects.all()
    if not _works(user):
        return qs.none()
    role = user.role
    if role == Role.COUNTY_ADMIN:
        return qs.filter(_region_filter(user.region, "household__village"))
    if role == Role.COMMANDER:
        return qs.filter(household__township=user.region)
    if role == Role.FIRST_SECRETARY:
        return qs.filter(household__village=user.region)
    if role == Role.CADRE:
        return qs.filter(Q(household__in=_cadres_households(user)) | Q(created_by=user))
    return qs.none()


def monitoring_cases_visible_to(user):
    """Monitoring cases (防返贫) by their village, as households are seen; a cadre the cases of its households.
    A case from an application that matched no household has its village, so the village finds it."""
    from tuopin.apps.monitoring.models import MonitoringCase

    qs = MonitoringCase.objects.all()
    by_village = _by_village(qs, user)
    if by_village is not None:
        return by_village
    if user.role == Role.CADRE:
        return qs.filter(household__in=_cadres_households(user))
    return qs.none()


def aid_payments_visible_to(user):
    """Aid payments (decision 1530) by their village, as households are seen; a cadre those of its households; a
    department the payments it made."""
    from tuopin.apps.aid.models import AidPayment

    qs = AidPayment.objects.all()
    by_village = _by_village(qs, user)
    if by_village is not None:
        return by_village
    if user.role == Role.CADRE:
        return qs.filter(household__in=_cadres_households(user))
    if user.role == Role.DEPARTMENT:
        return qs.filter(department_id=user.department_id)
    return qs.none()


def rosters_visible_to(user):
    """Department rosters (decision 1542): the county office and the township and village teams read every roster's
    counts (figures, no person); a department the kinds its domain owns (rosters.toml)."""
    from tuopin.apps.policy.models import Roster
    from tuopin.standards.rosters import kinds_of

    qs = Roster.objects.all()
    if not _works(user):
        return qs.none()
    if user.role in (Role.COUNTY_ADMIN, Role.COMMANDER, Role.FIRST_SECRETARY):
        return qs
    if user.role == Role.DEPARTMENT:
        return qs.filter(kind__in=kinds_of(user.department.domain))
    return qs.none()


def roster_entries_visible_to(user):
    """A roster's rows: all of those the account's rosters hold for the county office and a department; for a
    township or a village, only the rows matched to a household it reaches."""
    from tuopin.apps.policy.models import RosterEntry

    qs = RosterEntry.objects.filter(roster__in=rosters_visible_to(user).values("pk"))
    if user is not None and getattr(user, "role", None) in (Role.COMMANDER, Role.FIRST_SECRETARY):
        return qs.filter(person__household__in=households_visible_to(user).values("pk"))
    return qs


def _by_village(qs, user):
    """Rows with a `village`, as the village-bound roles reach them (the county office its county, a commander
    its zone, a first secretary its village); none for an account that works on no households; None for the
    other roles, whose reach the caller decides."""
    if not _works(user):
        return qs.none()
    role = user.role
    if role == Role.COUNTY_ADMIN:
        return qs.filter(_region_filter(user.region, "village"))
    if role == Role.COMMANDER:
        return qs.filter(village__parent=user.region)
    if role == Role.FIRST_SECRETARY:
        return qs.filter(village=user.region)
    return None


def _cadres_households(user):
    return Household.objects.filter(_active_pairings(), cadre_pairings__cadre_id=user.cadre_id).values("pk")


def _region_filter(region: Region, field: str) -> Q:
    """Households (or villages) under `region`, matched on the 12-digit code prefix of its level."""
    prefix = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}.get(region.level)
    if prefix is None:
        return Q(**{field: region})
    return Q(**{f"{field}__code__startswith": region.code[:prefix]})


def persons_visible_to(user) -> QuerySet[Person]:
    return Person.objects.filter(household__in=households_visible_to(user).values("pk"))


def household_years_visible_to(user) -> QuerySet[HouseholdYear]:
    return HouseholdYear.objects.filter(household__in=households_visible_to(user).values("pk"))


def person_years_visible_to(user) -> QuerySet[PersonYear]:
    return PersonYear.objects.filter(person__household__in=households_visible_to(user).values("pk"))


def regions_visible_to(user) -> QuerySet[Region]:
    """Regions whose pages and figures the account may open."""
    qs = Region.objects.all()
    if not _works(user):
        return qs.none()
    role = user.role
    if role in (Role.COUNTY_ADMIN, Role.DEPARTMENT, Role.EVALUATOR):
        return qs.filter(
            Q(pk__in=[a.pk for a in user.region.ancestors()]) | Q(pk=user.region.pk) | _region_filter(user.region, "parent")
            | _descendant_villages(user.region)
        )
    if role == Role.COMMANDER:
        return qs.filter(Q(pk=user.region.pk) | Q(parent=user.region) | Q(parent__parent=user.region))
    if role == Role.FIRST_SECRETARY:
        return qs.filter(Q(pk=user.region.pk) | Q(parent=user.region))
    if role == Role.CADRE:
        return qs.filter(pk__in=households_visible_to(user).values("village_id"))
    return qs.none()


def _descendant_villages(region: Region) -> Q:
    return Q(parent__parent=region) | Q(parent__parent__parent=region)



def projects_visible_to(user):
    """Projects (资金项目) by the villages they serve: the county office those of its county (and the county-wide
    ones it recorded, serving no village yet); a commander those serving a village of its zone; a first secretary
    those serving its village. Nobody else (decision 1501)."""
    from tuopin.apps.projects.models import Project

    qs = Project.objects.all()
    if not _works(user):
        return qs.none()
    role = user.role
    if role == Role.COUNTY_ADMIN:
        serving = Project.objects.filter(_region_filter(user.region, "villages")).values("pk")
        return qs.filter(Q(pk__in=serving) | Q(county=user.region))
    if role == Role.COMMANDER:
        return qs.filter(pk__in=Project.objects.filter(villages__parent=user.region).values("pk"))
    if role == Role.FIRST_SECRETARY:
        return qs.filter(pk__in=Project.objects.filter(villages=user.region).values("pk"))
    return qs.none()


def ledger_projects_visible_to(user):
    """Projects whose every village lies in the account's area: the ledgers it may read (decision 1513) — a base
    serving villages of two zones is the county office's, not either commander's or village's."""
    from tuopin.apps.projects.models import Project

    if not _works(user):
        return Project.objects.none()
    outside = Region.objects.exclude(pk__in=regions_visible_to(user).values("pk"))
    return Project.objects.filter(villages__isnull=False).exclude(villages__in=outside).distinct()

