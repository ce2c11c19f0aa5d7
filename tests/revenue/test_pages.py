"""The asset-income pages: the county's list, a station's ledger with its forms, the village section, the posting,
the household page's provenance, and who may see what (decision 1513)."""

import datetime as dt

import pytest
from django.urls import reverse

from tuopin.apps.registry.models import HouseholdYear, Person
from tuopin.apps.revenue import services as s

from .helpers import ledger

DAY = dt.date(2018, 12, 20)


def _url(name, *args):
    return reverse(f"web:{name}", args=args)


@pytest.fixture
def paid(county):
    led = ledger(county)
    by = led["first_secretary"]
    s.income_record(project=led["station"], year=2018, month=6, kwh=20_000, by=by)
    s.plan_set(project=led["station"], year=2018, posts_pct=30, public_works_pct=55, dividends_pct=10,
               reserve_pct=5, by=by)
    Person.objects.filter(household=led["unable"], relation="01").update(name="张大山")
    led["dividend"] = s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["unable"],
                                       amount_fen=800_00, paid_on=DAY, by=by)
    return led


def test_the_station_page_enters_a_month_and_shows_the_ledger(paid, client):
    client.force_login(paid["first_secretary"])
    station = paid["station"]
    page = client.get(_url("asset_income_station", station.pk) + "?year=2018").content.decode()
    assert "17,600.00" in page and "800.00" in page  # 20,000 kWh × 0.88; the dividend
    r = client.post(_url("asset_income_income", station.pk), {"year": 2018, "month": 7, "m7-month": 7,
                                                              "m7-kwh": 1000})
    assert r.status_code == 302
    assert s.totals(station) == (17_600_00 + 880_00, 800_00)


def test_a_refusal_names_its_figures_on_the_page(paid, client):
    client.force_login(paid["first_secretary"])
    station = paid["station"]
    r = client.post(_url("asset_income_payment", station.pk), {
        "year": 2018, "kind": "dividend", "number": paid["unable"].number, "amount": "5000", "paid_on": "2018-12-21"},
        follow=True)
    assert "1,760.00" in r.content.decode()  # the plan's 10 % of 17,600 yuan
    assert HouseholdYear.objects.get(household=paid["unable"], year=2018).dividend_income_fen == 800_00


def test_the_list_village_and_posting(paid, client, county):
    client.force_login(county["accounts"]["county_admin"])
    assert paid["station"].name in client.get(_url("asset_income") + "?year=2018").content.decode()
    village = client.get(_url("region", paid["v1"].pk) + "?year=2018").content.decode()
    assert 'id="village-asset-income"' in village and "17,600.00" in village
    posting = client.get(_url("asset_income_posting", paid["station"].pk) + "?year=2018").content.decode()
    assert "张**" in posting and "张大山" not in posting and paid["unable"].number not in posting
    for p in Person.objects.filter(household=paid["unable"]):
        assert p.id_number not in posting


def test_the_household_page_says_where_the_dividend_came_from(paid, client, county):
    client.force_login(county["accounts"]["county_admin"])
    page = client.get(_url("household", paid["unable"].pk) + "?year=2018").content.decode()
    assert 'id="asset-income"' in page and paid["station"].name in page
    assert "800.00" in page


def test_who_sees_the_ledgers(paid, client, county):
    acc = county["accounts"]
    station = paid["station"]
    for role, status in (("commander", 200), ("cadre", 403), ("department", 403), ("evaluator", 403)):
        client.force_login(acc[role])
        assert client.get(_url("asset_income_station", station.pk)).status_code == status, role
    client.force_login(acc["commander"])
    assert client.post(_url("asset_income_income", station.pk), {"year": 2018, "month": 7, "m7-month": 7,
                                                                 "m7-kwh": 1}).status_code == 403
    # a commander of the other zone does not find it
    from tests.factories import account
    from tuopin.apps.accounts.models import Role

    other = account("commander2", Role.COMMANDER, region=county["townships"][1])
    client.force_login(other)
    assert client.get(_url("asset_income_station", station.pk)).status_code == 404


def test_a_cadre_sees_its_households_payments_not_the_ledger(paid, client, county):
    s.payment_record(project=paid["station"], year=2018, kind="post", person=paid["worker"], post="保洁员", months=10,
                     monthly_wage_fen=200_00, paid_on=DAY, by=paid["first_secretary"])
    client.force_login(county["accounts"]["cadre"])  # paired with the worker's household
    page = client.get(_url("household", paid["able"].pk) + "?year=2018").content.decode()
    assert 'id="asset-income"' in page and "保洁员" in page and "2,000.00" in page
    assert _url("asset_income_station", paid["station"].pk) not in page  # no link to a ledger it may not read


def test_a_bases_page_lists_its_members(paid, client, county):
    from .helpers import base

    b = base(county["villages"])
    s.participation_set(project=b, household=paid["able"], year=2018, guaranteed_fen=600_00, by=paid["admin"])
    client.force_login(county["accounts"]["county_admin"])
    page = client.get(_url("asset_income_station", b.pk) + "?year=2018").content.decode()
    assert 'id="members"' in page and paid["able"].number in page and "600.00" in page
    client.force_login(county["accounts"]["first_secretary"])  # the base serves other villages too
    assert client.get(_url("asset_income_station", b.pk)).status_code == 404
