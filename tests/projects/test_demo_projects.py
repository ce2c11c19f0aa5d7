"""The demo county's funds and projects reproduce the seed's figures: 250 million yuan pooled for drinking water and
600 million for roads over 2016–2019, 82 PV stations of 500 kW (one per poor village, completed and handed over),
two livestock bases; the ledger balanced every year; funds not cut after the exit."""

import datetime as dt

import pytest
from django.db.models import Sum

from tuopin import standards
from tuopin.apps.demo.projects import load_funds_and_projects
from tuopin.apps.geo.data import ZHENLAI
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.geo.services import regions_load
from tuopin.apps.monitoring.four_not_removes import funding_flags
from tuopin.apps.projects.ledger import ledger
from tuopin.apps.projects.models import Allocation, Handover, Project, Spending

pytestmark = pytest.mark.django_db
YUAN = 100


@pytest.fixture
def demo_books():
    regions_load(path=ZHENLAI, by=None, source="test")
    return load_funds_and_projects(seed=7)


def _allocated(kind: str, years) -> int:
    return Allocation.objects.filter(project__kind=kind, fund__year__in=years, fund__source="pooled") \
        .aggregate(t=Sum("amount_fen"))["t"]


def test_the_seeds_figures(demo_books):
    campaign = range(2016, 2020)
    assert _allocated("water", campaign) == 250_000_000 * YUAN
    assert _allocated("road", campaign) == 600_000_000 * YUAN
    assert sum(ledger(y).by_kind.get("water", {}).get("allocated", 0) for y in campaign) == 250_000_000 * YUAN
    poor = set(Region.objects.filter(level=Level.VILLAGE, is_poor_village=True).values_list("pk", flat=True))
    assert len(poor) == 82
    stations = Project.objects.filter(kind="pv")
    assert stations.count() == 82 and {s.capacity_kw for s in stations} == {500}
    assert {s.status for s in stations} == {"handed_over"}
    assert set(stations.values_list("villages", flat=True)) == poor  # one per poor village
    assert Handover.objects.filter(project__kind="pv").count() == 82
    assert Project.objects.filter(kind="livestock").count() == 2
    assert not poor & set(Project.objects.filter(kind="livestock").values_list("villages", flat=True))


def test_the_ledger_balances_every_year_and_funds_are_not_cut(demo_books):
    county = Region.objects.get(level=Level.COUNTY)
    for year in range(2016, 2026):
        book = ledger(year, county=county)
        assert book.amount_fen > 0
        assert book.allocated_fen == book.spent_fen + book.balance_fen
        for line in book.lines:
            assert 0 <= line.spent_fen <= line.allocated_fen <= line.amount_fen
    for project in Project.objects.all():
        spent = Spending.objects.filter(project=project).aggregate(t=Sum("amount_fen"))["t"] or 0
        assert project.spent_fen == spent
    ratio = standards.load(county.code).section("after_exit")["funding_cut_ratio"]
    assert funding_flags(county, dt.date(2019, 8, 20), dt.date(2025, 12, 31), ratio) == []
