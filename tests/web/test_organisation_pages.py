"""The organisation's pages: the county office edits a record and sees its history, a stale edit is refused
naming who saved it and when, a commander sees its zone (read-only where the county keeps the record) and
nothing outside it, and the list of what is missing links to the fix and shrinks once it is made."""

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.apps.assistance.models import Task
from tuopin.apps.organisation.models import Unit, UnitVillagePairing, WarZone, WorkTeam

pytestmark = pytest.mark.django_db


def test_the_county_office_edits_a_unit_and_sees_its_history(client, org):
    client.force_login(org["accounts"]["county_admin"])
    unit = org["paired_unit"]
    response = client.post(f"/organisation/units/{unit.pk}/", {"name": "县财政局", "kind": "department",
                                                               "domain": "finance", "version": unit.version})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.kind, unit.domain, unit.version) == ("department", "finance", 2)
    page = client.get(f"/organisation/units/{unit.pk}/").content.decode()
    assert "county_admin" in page and "finance" in page and 'data-action="修改"' in page


def test_a_stale_edit_of_a_war_zone_is_refused_with_who_and_when(client, org):
    from tests.factories import account
    from tuopin.apps.accounts.models import Role

    t1 = org["townships"][0]
    zone = WarZone.objects.get(township=t1)
    other = account("office2", Role.COUNTY_ADMIN, region=org["county"])
    client.force_login(other)
    form = {"county_leader": "陈县长", "party_secretary": "孙书记", "version": zone.version}
    assert client.post(f"/organisation/war-zones/{t1.pk}/", form).status_code == 302
    client.force_login(org["accounts"]["county_admin"])
    response = client.post(f"/organisation/war-zones/{t1.pk}/", {**form, "party_secretary": "赵干部"})
    assert response.status_code == 200
    zone.refresh_from_db()
    page = response.content.decode()
    assert "office2" in page and timezone.localtime(zone.updated_at).strftime("%Y-%m-%d %H:%M") in page
    assert zone.party_secretary.name == "孙书记" and zone.version == 2


def test_a_commander_sees_its_zone_and_edits_only_what_lies_in_it(client, org):
    t1, t2 = org["townships"]
    client.force_login(org["accounts"]["commander"])
    assert client.get("/organisation/units/").status_code == 403
    assert client.get(f"/organisation/units/{org['paired_unit'].pk}/").status_code == 403
    zone_page = client.get(f"/organisation/war-zones/{t1.pk}/")
    assert zone_page.status_code == 200 and "只读" in zone_page.content.decode()
    assert client.post(f"/organisation/war-zones/{t1.pk}/", {"county_leader": "陈县长",
                                                              "party_secretary": "赵干部"}).status_code == 403
    assert client.get(f"/organisation/war-zones/{t2.pk}/").status_code == 404
    listed = client.get("/organisation/unit-villages/").content.decode()
    assert "西岗村" in listed and "建平村" not in listed
    other = UnitVillagePairing.objects.get(village=org["villages"][2])
    assert client.get(f"/organisation/unit-villages/{other.pk}/").status_code == 404
    mine = UnitVillagePairing.objects.get(village=org["villages"][0])
    response = client.post(f"/organisation/unit-villages/{mine.pk}/", {"end": "2020-12-31", "version": mine.version})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.end == dt.date(2020, 12, 31) and mine.updated_by == org["accounts"]["commander"]
    for role in ("cadre", "first_secretary", "department", "evaluator", "audit_admin"):
        client.force_login(org["accounts"][role])
        assert client.get("/organisation/").status_code == 403, role


def test_the_missing_list_links_to_each_fix_and_shrinks(client, org):
    v3 = org["villages"][2]
    h4 = org["households"][3]
    UnitVillagePairing.objects.filter(village=v3).delete()
    Task.objects.create(kind="gap", title="收入", household=h4, village=v3, indicator="income", year=2018,
                        owner_cadre=org["cadre"], status="open")
    client.force_login(org["accounts"]["county_admin"])
    page = client.get("/organisation/missing/").content.decode()
    assert f'data-village="{v3.pk}"' in page  # a poor village without a work team
    assert f"/organisation/work-teams/new/?village={v3.pk}" in page
    assert 'data-owner="paired_unit"' in page and "/organisation/unit-villages/new/" in page
    t2 = org["townships"][1]
    assert f'data-township="{t2.pk}"' in page  # no war zone for 建平乡
    response = client.post("/organisation/unit-villages/new/", {"unit": Unit.objects.get(name="县农业局").pk,
                                                                "village": v3.pk, "start": "2018-01-01"})
    assert response.status_code == 302
    page = client.get("/organisation/missing/").content.decode()
    assert 'data-owner="paired_unit"' not in page
    client.post(f"/organisation/work-teams/new/?village={v3.pk}", {"village": v3.pk, "start": "2018-01-01"})
    assert WorkTeam.objects.filter(village=v3).exists()
    assert f'data-village="{v3.pk}"' not in client.get("/organisation/missing/").content.decode()


def test_a_responsibility_item_is_edited_on_its_page_and_shown_on_its_units(client, org):
    from tuopin.apps.assistance.models import ResponsibilityItem
    from tuopin.apps.assistance.responsibility import responsibility_item_create

    admin = org["accounts"]["county_admin"]
    item = responsibility_item_create(level="paired_unit", region=org["villages"][0], owner_unit=org["paired_unit"],
                                      content="落实产业项目到户", deadline=dt.date(2018, 12, 31), by=admin)
    client.force_login(org["accounts"]["commander"])  # 西岗村 lies in the commander's zone
    response = client.post(f"/organisation/responsibility/{item.pk}/", {
        "owner_unit": org["other_unit"].pk, "content": "落实产业项目到户并验收", "deadline": "2018-11-30",
        "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner_unit, item.deadline, item.version) == (org["other_unit"], dt.date(2018, 11, 30), 2)
    client.force_login(admin)
    stale = client.post(f"/organisation/responsibility/{item.pk}/", {
        "owner_unit": org["paired_unit"].pk, "content": "改回", "version": 1})
    assert "commander" in stale.content.decode()
    assert ResponsibilityItem.objects.get(pk=item.pk).content == "落实产业项目到户并验收"
    unit_page = client.get(f"/organisation/units/{org['other_unit'].pk}/").content.decode()
    assert "落实产业项目到户并验收" in unit_page and f"/organisation/responsibility/{item.pk}/" in unit_page
    history = client.get(f"/organisation/responsibility/{item.pk}/").content.decode()
    assert "县农业局" in history and "2018-11-30" in history


def test_a_household_without_a_cadre_is_paired_from_the_missing_list(client, org):
    from tuopin.apps.organisation.models import CadreHouseholdPairing
    from tuopin.apps.organisation.selectors import responsible_cadres

    h1 = org["households"][0]
    CadreHouseholdPairing.objects.filter(household=h1).update(end=dt.date(2017, 12, 31))
    client.force_login(org["accounts"]["county_admin"])
    page = client.get("/organisation/missing/").content.decode()
    assert f"/organisation/households/{h1.pk}/pair/" in page
    response = client.post(f"/organisation/households/{h1.pk}/pair/", {"cadre_name": "赵干部", "start": "2018-01-01"})
    assert response.status_code == 302
    assert [c.name for c in responsible_cadres(h1)] == ["赵干部"]
    assert f'data-household="{h1.pk}"' not in client.get("/organisation/missing/").content.decode()
    client.force_login(org["accounts"]["commander"])
    h4 = org["households"][3]  # in another zone
    assert client.get(f"/organisation/households/{h4.pk}/pair/").status_code == 404


def test_a_work_teams_sending_unit_may_be_left_empty_and_its_member_ended(client, org):
    team = org["team"]
    client.force_login(org["accounts"]["county_admin"])
    response = client.post(f"/organisation/work-teams/{team.pk}/", {"unit": "", "end": "", "version": team.version})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.unit is None and team.version == 2
    member = team.members.get()
    response = client.post(f"/organisation/work-team-members/{member.pk}/", {
        "first_secretary": "on", "end": "2015-01-01", "version": member.version})
    assert response.status_code == 200 and "结束日期早于开始日期" in response.content.decode()
    response = client.post(f"/organisation/work-team-members/{member.pk}/", {
        "first_secretary": "on", "end": "2020-06-30", "version": member.version})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.end == dt.date(2020, 6, 30)


def test_a_commander_makes_a_1x5_group_and_records_its_shared_trip(client, org):
    from tuopin.apps.organisation.models import Cadre, MutualGroup, SharedTrip

    t1, t2 = org["townships"]
    names = ["甲", "乙", "丙", "丁", "戊"]
    for name in names:
        Cadre.objects.create(name=name, unit=org["paired_unit"])
    client.force_login(org["accounts"]["commander"])
    outside = client.post("/organisation/mutual-groups/new/", {"name": "外乡组", "township": t2.pk,
                                                               "members": "、".join(names)})
    assert outside.status_code == 200 and not MutualGroup.objects.exists()  # 建平乡 is not a choice
    response = client.post("/organisation/mutual-groups/new/", {"name": "镇赉镇第1互助组", "township": t1.pk,
                                                                "vehicle": "吉G12345", "members": "、".join(names)})
    assert response.status_code == 302
    group = MutualGroup.objects.get()
    h1 = org["households"][0]
    response = client.post(f"/organisation/mutual-groups/{group.pk}/trips/new/", {
        "on": "2018-05-12", "villages": [org["villages"][0].pk], "households": h1.number, "note": "核实收入"})
    assert response.status_code == 302
    trip = SharedTrip.objects.get(group=group)
    assert list(trip.households.all()) == [h1] and trip.note == "核实收入"
    page = client.get(f"/organisation/mutual-groups/{group.pk}/").content.decode()
    assert f"/organisation/trips/{trip.pk}/" in page and "吉G12345" in page
    h4 = org["households"][3]  # in 建平乡: outside the group's township and the commander's zone
    refused = client.post(f"/organisation/trips/{trip.pk}/", {"on": "2018-05-12", "households": h4.number,
                                                              "version": trip.version})
    assert refused.status_code == 200 and h4.number in refused.content.decode()
    assert list(SharedTrip.objects.get(pk=trip.pk).households.all()) == [h1]


def test_a_template_is_served_for_each_kind_and_an_unknown_kind_is_not_found(client, org):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(org["accounts"]["county_admin"])
    response = client.get("/organisation/templates/zones.xlsx")
    assert response.status_code == 200
    assert "战区" in load_workbook(BytesIO(response.content)).sheetnames
    assert client.get("/organisation/templates/all.xlsx").status_code == 200
    assert client.get("/organisation/templates/zone.xlsx").status_code == 404
    assert client.get("/organisation/templates/..%2Fsettings.xlsx").status_code == 404
