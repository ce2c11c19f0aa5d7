import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation import services
from tuopin.apps.evaluation.models import Finding, SampleKind
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.models import HouseholdYear


@pytest.fixture
def evaluated(county):
    """h1 and h4 exit in 2018; h2 stays poor; the round draws every village."""
    admin = county["accounts"]["county_admin"]
    for hh in (county["households"][0], county["households"][3]):
        registry.status_event_record(household=hh, kind=c.EventKind.EXITED, year=2018,
                                     effective_on=dt.date(2018, 12, 1), by=admin)
    round_ = services.evaluation_round_create(county=county["county"], data_year=2018, held_in=2019,
                                              name="2019年第三方评估", by=admin, seed=7, villages=3)
    return county, round_


def test_the_sample_holds_exited_and_non_registered_households_with_suggestions(evaluated):
    county, round_ = evaluated
    kinds = sorted((s.household.number, s.kind, s.suggested) for s in round_.households.all())
    assert kinds == [("220821100201001", SampleKind.EXITED, Finding.OK),
                     ("220821100202001", SampleKind.NON_REGISTERED, Finding.OK),
                     ("220821200201001", SampleKind.EXITED, Finding.OK)]
    # 东岗村: population 4, no registered persons → 4 non-registered persons in the denominator
    assert {v.village.name: v.non_registered_persons for v in round_.villages.all()}["东岗村"] == 4
    assert AuditEvent.objects.filter(action="evaluation_sample").exists()


def test_three_rates_and_one_degree(evaluated):
    county, round_ = evaluated
    evaluator = county["accounts"]["evaluator"]
    samples = {s.household.number: s for s in round_.households.all()}
    services.sample_finding_record(sample=samples["220821100201001"], finding=Finding.OK, by=evaluator,
                                   on=dt.date(2019, 7, 1))
    services.sample_finding_record(sample=samples["220821200201001"], finding=Finding.WRONGLY_EXITED,
                                   by=evaluator, on=dt.date(2019, 7, 1), note="收入不稳定")
    services.sample_finding_record(sample=samples["220821100202001"], finding=Finding.OMITTED, by=evaluator,
                                   on=dt.date(2019, 7, 2))
    services.round_survey_record(round_=round_, surveyed=50, approving=46, by=evaluator)
    r = services.county_exit_result(round_)
    # remaining poor: h2 (4 persons) of 14; 2 wrongly exited of 4 sampled exited persons;
    # 2 omitted of 6 non-registered persons: 东岗村 4 (nobody registered), 建平村 4 − 2, 西岗村 6 − 6
    assert (r["remaining_poor"], r["rural_population"]) == (4, 14)
    assert r["wrong_exit_rate"] == pytest.approx(2 / 4)
    assert r["non_registered"] == 6 and r["omission_rate"] == pytest.approx(2 / 6)
    assert r["comprehensive_incidence"] == pytest.approx((4 + 2 + 2) / 14)
    assert r["recognition"] == pytest.approx(0.92) and r["recognition_ok"]
    assert not r["passes"] and not r["wrong_exit_ok"]
    low, high = r["intervals"]["recognition"]
    assert low < 0.92 < high


def test_a_finding_must_fit_the_sample_kind(evaluated):
    county, round_ = evaluated
    exited = round_.households.filter(kind=SampleKind.EXITED).first()
    with pytest.raises(ValidationError, match="不能是“omitted”"):
        services.sample_finding_record(sample=exited, finding=Finding.OMITTED, by=None, on=dt.date(2019, 7, 1))


def test_wrongly_exited_is_suggested_when_the_data_fails(county):
    admin = county["accounts"]["county_admin"]
    h2 = county["households"][1]  # income below the line in 2018
    registry.status_event_record(household=h2, kind=c.EventKind.EXITED, year=2018,
                                 effective_on=dt.date(2018, 12, 1), by=admin)
    round_ = services.evaluation_round_create(county=county["county"], data_year=2018, held_in=2019, name="r",
                                              by=admin, villages=3)
    assert round_.households.get(household=h2).suggested == Finding.WRONGLY_EXITED


def test_omitted_is_suggested_for_a_non_registered_household_below_the_line(county):
    HouseholdYear.objects.filter(household=county["households"][2]).update(net_income_fen=0)
    round_ = services.evaluation_round_create(county=county["county"], data_year=2018, held_in=2019, name="r",
                                              by=None, villages=3)
    assert round_.households.get(household=county["households"][2]).suggested == Finding.OMITTED


def test_wilson_interval():
    low, high = services.wilson(0, 100)
    assert low == 0 and high == pytest.approx(0.037, abs=0.001)
    assert services.wilson(1, 0) is None
