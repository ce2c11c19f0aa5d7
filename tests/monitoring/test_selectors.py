"""case_counts: households monitored at a year's end by kind, cases open and overdue on a day, risks removed."""

import datetime as dt

from tuopin.apps.monitoring import selectors
from tuopin.apps.monitoring.models import MonitoringCase

from .helpers import exited

D = dt.date


def _case(county, household, **kw):
    fields = dict(household=household, village=household.village, kind="unstable", channel="cadre_visit",
                  risks=",illness,")
    fields.update(kw)
    return MonitoringCase.objects.create(**fields)


def test_case_counts_for_the_county_and_per_township(county):
    h1, h2, h3, h4 = county["households"]
    exited(h1)
    # Included in 2024, still monitored at the end of 2025.
    _case(county, h1, stage="assistance", clue_on=D(2024, 5, 1), decided_on=D(2024, 5, 12), included_on=D(2024, 5, 12))
    # Included in 2025 and its risk removed in 2025: not monitored at the year's end, counted as removed.
    _case(county, h3, kind="marginal", stage="risk_removed", clue_on=D(2025, 1, 2), decided_on=D(2025, 1, 10),
          included_on=D(2025, 1, 10), removed_on=D(2025, 8, 1))
    # Undecided: recorded on 1 December, overdue after the 16th.
    _case(county, h4, kind="sudden", stage="village_review", clue_on=D(2025, 12, 1))
    # Not included: closed.
    _case(county, h2, kind="sudden", stage="not_included", clue_on=D(2025, 2, 1), decided_on=D(2025, 2, 5))

    on = D(2025, 12, 20)
    counts = selectors.case_counts(county["county"], 2025, on=on)
    assert counts["monitored_households"] == {"unstable": 1, "marginal": 0, "sudden": 0}
    assert (counts["cases_open"], counts["cases_overdue"], counts["risk_removed"]) == (2, 1, 1)
    t1, t2 = county["townships"]
    assert counts["townships"][t1.code] == {"name": t1.name, "monitored_households": {"unstable": 1, "marginal": 0,
                                                                                      "sudden": 0},
                                            "cases_open": 1, "cases_overdue": 0, "risk_removed": 1}
    assert counts["townships"][t2.code]["cases_overdue"] == 1
    # On the 16th the undecided case is on its last day, not overdue.
    assert selectors.case_counts(county["county"], 2025, on=D(2025, 12, 16))["cases_overdue"] == 0
    # A village's figures; the year before: h3's case was not there yet, h1's was.
    village = selectors.case_counts(county["villages"][0], 2024, on=D(2024, 12, 31))
    assert village["monitored_households"]["unstable"] == 1 and village["cases_open"] == 1
    assert list(village["townships"]) == [t1.code]


def test_the_notice_shows_no_health_wording_nor_identifiers(county):
    h1 = county["households"][0]
    h1.phone = "13912345678"
    h1.save()
    case = _case(county, h1, stage="village_notice", clue_on=D(2025, 3, 1), risks=",illness,disability,disaster,")
    case.steps.create(stage="village_notice", on=D(2025, 3, 4), ends_on=D(2025, 3, 8))
    [row] = selectors.notice_rows(county["villages"][0])
    assert row["risks"] == "因刚性支出、因灾"
    assert row["head"] == h1.members.get(relation="01").name
    text = str(row)
    for secret in (h1.members.first().id_number, "13912345678", "因病", "因残"):
        assert secret not in text
