"""The renovation pages (decisions 1521, 1522): the household page's section, the inspection form, each stage's
form through to the re-inspection, the option comparison, and the list with its figures and overdue ones."""

import datetime as dt

import pytest

from tests.web.conftest import url
from tuopin.apps.housing import services
from tuopin.apps.housing.choices import Stage
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.registry.models import HouseholdYear

pytestmark = pytest.mark.django_db


def test_a_renovation_from_the_household_page_to_a_safe_house(county, client, login):
    h1, a = county["households"][0], county["accounts"]
    HouseholdYear.objects.filter(household=h1, year=2018).update(housing_grade="D")
    login(a["first_secretary"])
    page = client.get(url("household", h1.pk)).content.decode()
    assert 'id="housing-renovations"' in page and url("housing_new", h1.pk) in page
    answer = client.post(url("housing_new", h1.pk), {"grade": "D", "on": "2018-03-01", "inspector": "张工",
                                                      "agency": "县住建局", "floor_area_m2": "62.5"})
    r = HouseRenovation.objects.get(household=h1)
    assert answer.status_code == 302 and answer.url == url("housing_renovation", r.pk)
    page = client.get(url("housing_renovation", r.pk)).content.decode()
    # The comparison: reinforcing keeps 62.5 ㎡ for 12,000 yuan; rebuilding gives the 30 ㎡ of a two-person house
    # for 25,000; repair is not open to a D house.
    comparison = page[page.index('id="option-comparison"'):]
    reinforce = comparison[comparison.index('data-option="reinforce"'):]
    assert "12,000.00" in reinforce[:600] and "62.50" in reinforce[:600]
    rebuild = comparison[comparison.index('data-option="rebuild"'):]
    assert "25,000.00" in rebuild[:600] and ">30<" in rebuild[:600].replace(" ", "")
    assert 'class="proposed"' in reinforce[:200]
    stage = lambda s, data: client.post(url("housing_stage", r.pk, s),  # noqa: E731
                                        {"version": HouseRenovation.objects.get(pk=r.pk).version, **data})
    assert stage("option_chosen", {"on": "2018-03-20", "option": "reinforce"}).status_code == 302
    # The village team may not approve: the form is not offered and a post is refused.
    approve = url("housing_stage", r.pk, "approved")
    assert f'action="{approve}"' not in client.get(url("housing_renovation", r.pk)).content.decode()
    assert stage("approved", {"on": "2018-04-02"}).status_code == 403
    login(a["county_admin"])
    assert stage("approved", {"on": "2018-04-02", "approved_by_name": "县扶贫办"}).status_code == 302
    assert stage("works", {"on": "2018-05-01", "contractor": ""}).status_code == 302
    # A date before the stage before it comes back on the form.
    answer = stage("accepted", {"on": "2018-04-01", "accepted_by_name": "李镇长", "cost_yuan": "13000"})
    assert answer.status_code == 200 and "日期早于上一阶段" in answer.content.decode()  # on the form, in Chinese
    assert stage("accepted", {"on": "2018-09-01", "accepted_by_name": "李镇长", "cost_yuan": "13000"}).status_code == 302
    assert stage("safe", {"on": "2018-10-08", "grade": "B", "inspector": "张工"}).status_code == 302
    r.refresh_from_db()
    assert r.stage == Stage.SAFE and r.cost_fen == 1_300_000
    record = HouseholdYear.objects.get(household=h1, year=2018)
    assert record.renovation_finished and record.renovation == "reinforce"
    page = client.get(url("household", h1.pk) + "?year=2018").content.decode()
    assert "已改造：D级加固，2018年" in page


def test_the_list_counts_by_stage_and_shows_the_overdue(county, client, login):
    h1, h2, h4, a = *county["households"][:2], county["households"][3], county["accounts"]
    admin = a["county_admin"]
    old = services.renovation_inspect(household=h1, grade="D", on=dt.date(2018, 3, 1), inspector="x",
                                      floor_area_m2=50, by=admin)  # waiting for its option since 2018: overdue
    fresh = services.renovation_inspect(household=h2, grade="C", on=dt.date(2018, 12, 30), inspector="x",
                                        floor_area_m2=40, by=admin)
    services.renovation_choose(renovation=fresh, version=fresh.version, option="repair", on=dt.date(2018, 12, 31),
                               by=admin)
    services.renovation_inspect(household=h4, grade="C", on=dt.date(2018, 6, 1), inspector="x", floor_area_m2=40,
                                by=admin)
    login(admin)
    page = client.get(url("housing") + "?year=2018").content.decode()
    total = page[page.index('id="housing-total"'):]
    total = total[:total.index("</tr>")]
    cells = [c.split(">")[1].split("<")[0] for c in total.split('<td class="num"')[1:]]
    assert cells[:7] == ["2", "1", "0", "0", "0", "0", "3"]  # by stage, then overdue (all three, now)
    assert cells[7] == "5,000.00" and cells[9] == "0.00"  # the reference cost chosen; no subsidy before approval
    assert f'data-renovation="{old.pk}" data-stage="inspected" class="overdue"' in page
    township = client.get(url("housing") + "?year=2018&stage=option_chosen").content.decode()
    assert f'data-renovation="{fresh.pk}"' in township and f'data-renovation="{old.pk}"' not in township
    # The commander of 镇赉镇 sees its two, not 建平乡's.
    login(a["commander"])
    page = client.get(url("housing") + "?year=2018").content.decode()
    assert page.count("data-renovation=") == 2
    # Roles that do not follow renovations are refused, even the cadre paired with the household; a renovation
    # outside the account's area is not found.
    login(a["cadre"])
    assert client.get(url("housing")).status_code == 403
    assert client.get(url("housing_renovation", old.pk)).status_code == 403
    login(a["first_secretary"])
    h4_renovation = HouseRenovation.objects.get(household=h4)
    assert client.get(url("housing_renovation", h4_renovation.pk)).status_code == 404


def test_the_housing_department_finds_a_house_by_its_number_and_inspects_it(county, client, login):
    """Decision 1611: the housing department opens no household page; it finds the house on the list by the
    household's number, inspects it, and sees the renovation; the education bureau is refused the list."""
    from tests.factories import account
    from tuopin.apps.organisation.models import Unit

    h4 = county["households"][3]
    unit = Unit.objects.create(name="县住建局", kind="department", domain="housing")
    housing = account("zhujian", "department", department=unit, region=county["county"])
    login(county["accounts"]["department"])
    assert client.get(url("housing")).status_code == 403
    login(housing)
    page = client.get(url("housing")).content.decode()
    assert 'id="inspect-find"' in page
    assert client.get(url("housing_find") + "?number=nope").url == url("housing")
    found = client.get(url("housing_find") + f"?number={h4.number}")
    assert found.url == url("housing_new", h4.pk)
    answer = client.post(found.url, {"grade": "C", "on": "2018-03-01", "inspector": "张工", "agency": "县住建局",
                                     "floor_area_m2": "48"})
    r = HouseRenovation.objects.get(household=h4)
    assert answer.status_code == 302 and r.updated_by == housing
    detail = client.get(url("housing_renovation", r.pk)).content.decode()
    # the next stage, the option, is the village's: no form for the department
    assert url("housing_stage", r.pk, "option_chosen") not in detail
