"""The demo's ledgers pay exactly what the registry's lines hold, and balance (decision 1516)."""

from __future__ import annotations

import random
from collections import defaultdict

from django.db.models import Sum

from tuopin.apps.geo.data import ZHENLAI
from tuopin.apps.geo.models import Region
from tuopin.apps.geo.services import regions_load
from tuopin.apps.registry.bulk import insert_rows
from tuopin.apps.registry.models import Household, HouseholdYear, Person
from tuopin.apps.revenue import services
from tuopin.apps.revenue.models import Income, Payment, Plan
from tuopin.apps.projects.models import Project
from tuopin.apps.demo.asset_income import load_asset_income
from tuopin.synth import records
from tuopin.synth.county import build_registry

from tuopin.synth.asset_income import YEARS  # 2017–2025


def _build():
    regions_load(path=ZHENLAI, by=None, source="test")
    region_id = dict(Region.objects.values_list("code", "id"))
    reg = build_registry(3, 0.02, region_id=region_id)
    for name, model in (("household", Household), ("person", Person), ("householdyear", HouseholdYear)):
        columns, rows = reg.tables[name]
        insert_rows(model, columns, rows)
    return reg, load_asset_income(reg, seed=3, scale=0.02)


def test_the_demo_ledgers(db):
    """One build (a few seconds at 2 %), three checks."""
    built = _build()
    _pay_exactly_the_registry_dividend_lines(built)
    _post_wages_are_the_post_part_of_the_wage_line(built)
    _every_ledger_balances_and_keeps_its_plan(built)


def test_asking_for_the_posts_changes_no_row():
    reg = build_registry(3, 0.02)
    again, _, _ = records.yearly_rows(random.Random("3:years"), reg.households, None)
    assert [r[:-1] for r in again] == [r[:-1] for r in reg.tables["householdyear"][1][:len(again)]]
    assert reg.posts and all(v > 0 for v in reg.posts.values())


def _pay_exactly_the_registry_dividend_lines(built):
    reg, counts = built
    assert counts["stations"] == 82 == Project.objects.filter(kind="pv").count()
    paid = defaultdict(int)
    for h, y, fen in Payment.objects.filter(kind="dividend").values_list("household_id", "year", "amount_fen"):
        paid[(h, y)] += fen
    lines = {(h, y): fen for h, y, fen in HouseholdYear.objects.filter(year__in=YEARS, dividend_income_fen__gt=0)
             .values_list("household_id", "year", "dividend_income_fen")}
    assert lines and paid == lines
    # the paying villages: a station's dividends are the lines of its village's households it pays
    for station in Project.objects.filter(kind="pv"):
        village = station.villages.get()
        ledger = Payment.objects.filter(project=station, kind="dividend").aggregate(s=Sum("amount_fen"))["s"] or 0
        households = Payment.objects.filter(project=station, kind="dividend").values("household_id")
        assert not Payment.objects.filter(project=station).exclude(household=None).exclude(
            household__village=village).exists()
        assert ledger == (HouseholdYear.objects.filter(household__in=households, year__in=YEARS)
                          .aggregate(s=Sum("dividend_income_fen"))["s"] or 0) or ledger == 0


def _post_wages_are_the_post_part_of_the_wage_line(built):
    reg, _ = built
    paid = defaultdict(int)
    for h, y, fen in Payment.objects.filter(kind="post").values_list("household_id", "year", "amount_fen"):
        paid[(h, y)] += fen
    assert paid
    wage = dict(((h, y), w) for h, y, w in HouseholdYear.objects.values_list("household_id", "year", "wage_income_fen"))
    for key, fen in paid.items():
        assert fen == reg.posts[key] <= wage[key]


def _every_ledger_balances_and_keeps_its_plan(built):
    for project in Project.objects.all():
        came_in, paid = services.totals(project)
        assert 0 < paid <= came_in
        if project.kind == "livestock":
            assert paid == came_in  # the enterprise pays the guaranteed dividends, no more
            continue
        for plan in Plan.objects.filter(project=project):
            assert not services.plan_errors("220821", {k: getattr(plan, k) for k in
                                                       ("posts_pct", "public_works_pct", "dividends_pct", "reserve_pct")})
            avail = services.available(project, plan.year)
            for kind, share in (("post", plan.posts_pct), ("dividend", plan.dividends_pct),
                                ("public_works", plan.public_works_pct)):
                spent = Payment.objects.filter(project=project, year=plan.year, kind=kind) \
                    .aggregate(s=Sum("amount_fen"))["s"] or 0
                assert spent <= avail * share // 100
            kwh = Income.objects.filter(project=project, year=plan.year).aggregate(s=Sum("kwh"))["s"]
            assert 1300 <= kwh / float(project.capacity_kw) <= 1500
