import datetime as dt

import pytest

from tuopin.apps.registry import choices as c
from tuopin.apps.procedures.procedure import exit_advance, exit_propose

S = c.Stage
# A household exit run at the end of 2018, the way a county office dates it.
PROPOSED_ON = dt.date(2018, 10, 8)
DATES = {
    S.DEMOCRATIC_REVIEW: (dt.date(2018, 10, 10), None),
    S.PUBLIC_NOTICE: (dt.date(2018, 10, 12), dt.date(2018, 10, 18)),  # 7 days, counted inclusively
    S.TOWNSHIP_REVIEW: (dt.date(2018, 10, 22), None),
    S.COUNTY_APPROVAL: (dt.date(2018, 11, 5), None),
    S.ANNOUNCED: (dt.date(2018, 11, 20), None),
}


@pytest.fixture
def admin(county):
    return county["accounts"]["county_admin"]


@pytest.fixture
def propose(admin):
    def _propose(*households, year=2018, on=PROPOSED_ON):
        return exit_propose(household_ids=[h.pk for h in households], year=year, by=admin, on=on)
    return _propose


@pytest.fixture
def walk(admin):
    """Advance an event through the stages up to and including `upto`, on the dates above (+ `shift` days)."""
    def _walk(event, upto, shift=0):
        for stage in c.STAGE_ORDER[c.STAGE_ORDER.index(event.stage) + 1:]:
            on, ends_on = (d + dt.timedelta(days=shift) if d else None for d in DATES[stage])
            event = exit_advance(event=event, stage=stage, by=admin, on=on, ends_on=ends_on,
                                 note="村两委和驻村工作队核实，农户签字认可" if stage == S.DEMOCRATIC_REVIEW else "")
            if stage == upto:
                break
        return event
    return _walk
