"""The demo county's department rosters (decision 1539), from a small build: every kind for 2018 and 2020, current,
imported as uploads (most rows matched by ID number, the planted faults by likeness or for review), the planted dead
still active in the registry on the death roster and matched, and registered persons among the vehicle owners."""

from __future__ import annotations

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.demo import rosters as demo_rosters
from tuopin.apps.demo.load import demo_build
from tuopin.apps.policy.models import Roster, RosterEntry
from tuopin.apps.registry.models import Person

SCALE = 0.02


def test_the_demo_rosters(db, settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    result = demo_build(seed=1, scale=SCALE)
    kinds = set(demo_rosters.DOMAIN)

    rosters = Roster.objects.all()
    assert {(r.kind, r.year) for r in rosters} == {(k, y) for k in kinds for y in (2018, 2020)}
    assert all(r.current for r in rosters) and rosters.count() == 20
    assert all(r.department.domain == demo_rosters.DOMAIN[r.kind] for r in rosters)
    assert result["rosters"]["entries"] == RosterEntry.objects.count()
    assert AuditEvent.objects.filter(action="roster:import", source="demo").count() == 20

    # The registry's own rosters are matched by ID number for the large majority of their rows.
    for r in rosters.filter(kind__in=("dibao", "medical", "pension", "enrolment", "death")):
        assert r.matched_by_id >= 0.9 * r.rows or r.rows - r.matched_by_id <= 2, (r.kind, r.year, r.matched_by_id)
    # The rows whose number was left out or mistyped are linked by likeness or queued for review.
    found = RosterEntry.objects.filter(how__in=("likeness", "review"), id_valid=False)
    assert found.count() >= 5
    assert found.filter(roster__kind__in=("medical", "pension")).exists()

    # The planted dead: still active in the registry, on their year's death roster and matched to them.
    planted = result["rosters"]["planted"]
    assert sum(len(v) for v in planted.values()) == 10
    for year, persons in planted.items():
        for pid, _ in persons:
            assert Person.objects.get(pk=pid).active
            assert RosterEntry.objects.filter(roster__kind="death", roster__year=year, person_id=pid, how="id").exists()
    # Those still paid: on the 2020 低保 or 特困 roster though they died in 2018 or early 2020.
    paid = [pid for persons in planted.values() for pid, still in persons if still]
    assert paid and all(RosterEntry.objects.filter(roster__kind__in=("dibao", "tekun"), roster__year=2020,
                                                   person_id=pid).exists() for pid in paid)

    # Vehicles: mostly people the registry does not hold, and a handful of members of registered households.
    for year in (2018, 2020):
        vehicle = Roster.objects.get(kind="vehicle", year=year)
        registered = vehicle.entries.filter(person__household__is_registered=True, how="id").count()
        assert 3 <= registered <= 15
        assert vehicle.entries.filter(person=None).count() > vehicle.rows // 2
