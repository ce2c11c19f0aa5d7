"""Property: no sequence of income entries and corrections, payments and reversals pays out more than came in,
and every household's line moves by exactly what its payments not reversed moved it (decision 1510)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings, strategies as st

from tuopin.apps.registry.models import HouseholdYear
from tuopin.apps.revenue import services as s
from tuopin.apps.revenue.models import Income, Payment

from .helpers import ledger

DAY = dt.date(2018, 12, 1)
OPS = st.lists(st.one_of(
    st.tuples(st.just("income"), st.integers(1, 3), st.integers(0, 3000)),        # month, kWh (0.88 yuan each)
    st.tuples(st.just("post"), st.integers(1, 12), st.integers(1, 40_000)),       # months, monthly wage (fen)
    st.tuples(st.just("dividend"), st.just(0), st.integers(1, 300_000)),          # amount (fen)
    st.tuples(st.just("works"), st.just(0), st.integers(1, 300_000)),
    st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0)),                # which payment
), max_size=14)


class Rollback(Exception):
    pass


@pytest.fixture
def led(county):
    led = ledger(county)
    s.plan_set(project=led["station"], year=2018, posts_pct=60, public_works_pct=25, dividends_pct=10,
               reserve_pct=5, by=led["admin"])
    return led


def _lines(led):
    return (HouseholdYear.objects.get(household=led["able"], year=2018).wage_income_fen,
            HouseholdYear.objects.get(household=led["unable"], year=2018).dividend_income_fen)


def _apply(led, op, a, b):
    p, by = led["station"], led["admin"]
    if op == "income":
        old = Income.objects.filter(project=p, year=2018, month=a).first()
        s.income_record(project=p, year=2018, month=a, kwh=b, by=by, version=old.version if old else None)
    elif op == "post":
        s.payment_record(project=p, year=2018, kind="post", person=led["worker"], post="保洁员", months=a,
                         monthly_wage_fen=b, paid_on=DAY, by=by)
    elif op == "dividend":
        s.payment_record(project=p, year=2018, kind="dividend", household=led["unable"], amount_fen=b,
                         paid_on=DAY, by=by)
    elif op == "works":
        s.payment_record(project=p, year=2018, kind="public_works", post="道路养护", amount_fen=b, paid_on=DAY, by=by)
    else:
        pays = list(Payment.objects.filter(project=p).order_by("pk"))
        if pays:
            pay = pays[a % len(pays)]
            s.payment_reverse(payment=pay, version=pay.version, reason="错发", on=DAY, by=by)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_never_more_paid_out_than_came_in(led, ops):
    start = _lines(led)
    try:
        with transaction.atomic():
            for op in ops:
                try:
                    with transaction.atomic():
                        _apply(led, *op)
                except ValidationError:
                    pass  # refused, with its figures: nothing written
                came_in, paid = s.totals(led["station"])
                assert 0 <= paid <= came_in
                live = Payment.objects.filter(project=led["station"], reversed_on=None)
                wage = live.filter(kind="post").aggregate(x=Sum("amount_fen"))["x"] or 0
                dividend = live.filter(kind="dividend").aggregate(x=Sum("amount_fen"))["x"] or 0
                assert _lines(led) == (start[0] + wage, start[1] + dividend)
            raise Rollback
    except Rollback:
        pass
