import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import HouseholdYear
from tuopin.apps.revenue import services as s
from tuopin.apps.revenue.models import Payment

from .helpers import base, ledger

DAY = dt.date(2018, 12, 20)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the refusals are matched in their English source
        yield


@pytest.fixture
def led(county):
    return ledger(county)


def _line(household, field):
    return getattr(HouseholdYear.objects.get(household=household, year=2018), field)


def _plan(led, **kw):
    shares = {"posts_pct": 30, "public_works_pct": 55, "dividends_pct": 10, "reserve_pct": 5, **kw}
    return s.plan_set(project=led["station"], year=2018, by=led["first_secretary"], **shares)


def test_a_month_earns_kwh_times_the_tariff(led):
    inc = s.income_record(project=led["station"], year=2018, month=5, kwh=77_000, by=led["first_secretary"])
    assert inc.tariff == Decimal("0.88")  # Zhenlai: resource area II, the 2016 tariff (standards)
    assert inc.amount_fen == 77_000 * 88
    assert AuditEvent.objects.filter(entity="revenue.income", entity_id=str(inc.pk)).exists()


def test_the_plan_follows_the_rules_in_the_standards(led):
    with pytest.raises(ValidationError, match="at least 80"):
        _plan(led, posts_pct=20, public_works_pct=50, dividends_pct=25, reserve_pct=5)
    with pytest.raises(ValidationError, match="add up to 100"):
        _plan(led, reserve_pct=6)
    with pytest.raises(ValidationError, match="at most 10"):
        _plan(led, posts_pct=30, public_works_pct=50, dividends_pct=5, reserve_pct=15)
    assert _plan(led).posts_pct == 30


def test_payments_flow_into_the_household_lines_and_back(led):
    s.income_record(project=led["station"], year=2018, month=5, kwh=10_000, by=led["first_secretary"])  # 8,800
    _plan(led)
    wage0, div0 = _line(led["able"], "wage_income_fen"), _line(led["unable"], "dividend_income_fen")
    post = s.payment_record(project=led["station"], year=2018, kind="post", person=led["worker"], post="保洁员",
                            months=10, monthly_wage_fen=200_00, paid_on=DAY, by=led["first_secretary"])
    div = s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["unable"],
                           amount_fen=500_00, paid_on=DAY, by=led["first_secretary"])
    assert _line(led["able"], "wage_income_fen") == wage0 + 2000_00
    assert _line(led["unable"], "dividend_income_fen") == div0 + 500_00
    record = HouseholdYear.objects.get(household=led["unable"], year=2018)
    assert record.net_income_fen == sum([record.wage_income_fen, record.dividend_income_fen])  # recomputed
    assert AuditEvent.objects.filter(entity="registry.householdyear", entity_id=str(record.pk)).exists()
    s.payment_reverse(payment=div, version=div.version, reason="错发", on=DAY, by=led["first_secretary"])
    assert _line(led["unable"], "dividend_income_fen") == div0
    assert s.totals(led["station"]) == (8800_00, post.amount_fen)


def test_the_ledger_refuses_to_pay_more_than_came_in_with_the_figures(led):
    s.income_record(project=led["station"], year=2018, month=1, kwh=1000, by=led["admin"])  # 880 yuan
    _plan(led, posts_pct=90, public_works_pct=0, dividends_pct=10, reserve_pct=0)
    with pytest.raises(ValidationError) as exc:
        s.payment_record(project=led["station"], year=2018, kind="post", person=led["worker"], post="护林员",
                         months=1, monthly_wage_fen=800_00, paid_on=DAY, by=led["admin"])
    assert "792.00" in str(exc.value)  # 90 % of 880 yuan: the plan's cap names its figures
    s.payment_record(project=led["station"], year=2018, kind="post", person=led["worker"], post="护林员",
                     months=1, monthly_wage_fen=700_00, paid_on=DAY, by=led["admin"])
    with pytest.raises(ValidationError, match=r"700\.00 yuan already paid"):
        s.income_record(project=led["station"], year=2018, month=1, kwh=500, by=led["admin"],
                        version=1)


def test_dividends_only_to_households_without_labour(led):
    s.income_record(project=led["station"], year=2018, month=5, kwh=10_000, by=led["admin"])
    _plan(led)
    with pytest.raises(ValidationError, match="able to work"):
        s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["able"],
                         amount_fen=100_00, paid_on=DAY, by=led["admin"])


def test_who_may_record(led, county):
    acc = county["accounts"]
    s.income_record(project=led["station"], year=2018, month=2, kwh=1, by=acc["first_secretary"])
    for role in ("commander", "cadre", "department"):
        with pytest.raises(Refused):
            s.income_record(project=led["station"], year=2018, month=3, kwh=1, by=acc[role])


def test_a_base_serving_villages_beyond_the_account_is_the_county_offices(led, county):
    # decision 1513: every village of the project in the account's area, not one of them
    acc = county["accounts"]
    across = base(county["villages"])  # the first secretary's village and two others
    with pytest.raises(Refused, match="outside your area"):
        s.income_record(project=across, year=2018, month=0, amount_fen=1_00, by=acc["first_secretary"])
    s.income_record(project=across, year=2018, month=0, amount_fen=1_00, by=acc["county_admin"])
    own = base(county["villages"][:1], name="西岗村养殖小区")
    s.income_record(project=own, year=2018, month=0, amount_fen=1_00, by=acc["first_secretary"])


def test_a_base_pays_its_members_guaranteed_dividend(led, county):
    b = base(county["villages"])
    s.income_record(project=b, year=2018, month=0, amount_fen=10_000_00, by=led["admin"])
    with pytest.raises(ValidationError, match="no share"):
        s.payment_record(project=b, year=2018, kind="dividend", household=led["able"], amount_fen=1, paid_on=DAY,
                         by=led["admin"])
    s.participation_set(project=b, household=led["able"], year=2018, guaranteed_fen=600_00, by=led["admin"])
    before = _line(led["able"], "dividend_income_fen")
    s.payment_record(project=b, year=2018, kind="dividend", household=led["able"], amount_fen=600_00, paid_on=DAY,
                     by=led["admin"])
    assert _line(led["able"], "dividend_income_fen") == before + 600_00
    with pytest.raises(ValidationError, match="guaranteed"):
        s.payment_record(project=b, year=2018, kind="dividend", household=led["able"], amount_fen=1, paid_on=DAY,
                         by=led["admin"])
    assert Payment.objects.filter(project=b).count() == 1


def test_a_payment_reaches_the_live_figures_household_by_household(led):
    """Decision 1380: the kept per-household rows are refreshed for the households the audited writes name; a
    payment names its household through the registry's yearly record, and the ledger's own rows name none."""
    from tuopin.apps.assessment.increments import changed_households
    from tuopin.apps.audit.marker import latest_write_id

    s.income_record(project=led["station"], year=2018, month=5, kwh=10_000, by=led["admin"])
    _plan(led)
    before = latest_write_id()
    s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["unable"],
                     amount_fen=300_00, paid_on=DAY, by=led["admin"])
    assert changed_households(before, latest_write_id()) == {led["unable"].pk}
