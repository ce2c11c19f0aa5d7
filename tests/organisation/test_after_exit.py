"""Four not-removes (四个不摘): a pairing, a team or funding dropped after an exit is flagged."""

import datetime as dt

from tuopin.apps.organisation.after_exit import after_exit_check
from tuopin.apps.organisation.models import CadreHouseholdPairing, UnitVillagePairing, WorkTeam
from tuopin.apps.organisation.services import cadre_household_handover, pairing_end
from tuopin.apps.projects.models import Fund
from tuopin.apps.procedures.models import AreaExit

EXIT = dt.date(2018, 12, 20)
CHECK = dt.date(2020, 6, 1)


def village_exit(village):
    return AreaExit.objects.create(region=village, kind="village", year=2018, stage="announced", effective_on=EXIT)


def kinds(flags):
    return sorted((f.kind, f.household_number or f.region_code) for f in flags)


def test_a_pairing_dropped_after_the_village_exit_is_flagged(org):
    admin, v1 = org["accounts"]["county_admin"], org["villages"][0]
    h1, h2 = org["households"][:2]
    village_exit(v1)
    assert after_exit_check(on=CHECK) == []
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h1), end=dt.date(2019, 3, 31), by=admin)
    flags = after_exit_check(on=CHECK)
    assert kinds(flags) == [("household_pairing", h1.number)]
    assert (flags[0].exit_on, flags[0].dropped_on) == (EXIT, dt.date(2019, 3, 31))
    # Handing the household over to another cadre is not dropping it.
    cadre_household_handover(household=h2, to=org["cadre"], on=dt.date(2019, 5, 1), by=admin)
    assert kinds(after_exit_check(on=CHECK)) == [("household_pairing", h1.number)]
    # Before the pairing ended there was nothing to flag.
    assert after_exit_check(on=dt.date(2019, 3, 31)) == []


def test_a_unit_or_team_withdrawn_after_exit_is_flagged(org):
    v1 = org["villages"][0]
    village_exit(v1)
    UnitVillagePairing.objects.filter(village=v1).update(end=dt.date(2019, 12, 31))
    WorkTeam.objects.filter(village=v1).update(end=dt.date(2019, 12, 31))
    assert kinds(after_exit_check(on=CHECK)) == [("unit_pairing", v1.code), ("work_team", v1.code)]


def test_a_pairing_ended_before_the_exit_is_not_the_checks_business(org):
    admin, v1, h1 = org["accounts"]["county_admin"], org["villages"][0], org["households"][0]
    village_exit(v1)
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h1), end=dt.date(2018, 6, 30), by=admin)
    assert after_exit_check(on=CHECK) == []


def test_an_exited_household_keeps_its_cadre_and_the_county_its_funding(org):
    from tuopin.apps.registry.models import StatusEvent

    admin, county, h4 = org["accounts"]["county_admin"], org["county"], org["households"][3]
    StatusEvent.objects.create(household=h4, kind="exited", year=2017, stage="announced",
                               effective_on=dt.date(2017, 11, 20), persons=2)
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h4), end=dt.date(2018, 3, 1), by=admin)
    assert kinds(after_exit_check(on=CHECK)) == [("household_pairing", h4.number)]
    AreaExit.objects.create(region=county, kind="county", year=2018, stage="announced",
                            effective_on=dt.date(2019, 4, 28))
    Fund.objects.create(name="整合涉农资金", year=2019, source="中央", amount_fen=10**9)
    flags = after_exit_check(on=CHECK)
    assert ("funding", county.code) in kinds(flags)
    assert "2020" in next(f.reason for f in flags if f.kind == "funding")
    Fund.objects.create(name="整合涉农资金", year=2020, source="中央", amount_fen=8 * 10**8)
    assert ("funding", county.code) not in kinds(after_exit_check(on=CHECK))
