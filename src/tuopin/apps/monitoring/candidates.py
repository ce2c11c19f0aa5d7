"""The assessment's candidates recorded as clues in one go (线索登记 from the village's 监测预警, decision 1443).

The village page lists the households the monitoring rules propose; the village's first secretary (or anyone who
records clues there) ticks those the village will look into and records them at once. Each becomes a clue of the
channel `engine_candidate` with the kind the rules proposed, the risks the criteria name and the rules' reasons as
its text — the same `clue_record` a single clue goes through, so reach, checks, steps and audit are the same. All or
none: a household that is no longer a candidate for the year, or already has an open case, is named and nothing is
written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.assessment.figures import household_watch
from tuopin.apps.registry.models import Household

from .choices import CLOSED, Channel, Risk
from .models import MonitoringCase
from .services import clue_record

# The criteria that name their cause (rules/sql/monitoring_candidates.sql); the others (income, rigid spending,
# gaps) are what the village's review looks into: recorded as `other` until it names the cause.
CRITERION_RISK = {"disaster_loss": Risk.DISASTER, "business_failed": Risk.INDUSTRY,
                  "labourer_lost": Risk.LABOUR}


def clues_from_candidates(*, by, household_ids: Iterable[int], year: int, on: dt.date,
                          source: str = "web") -> list[MonitoringCase]:
    ids = list(dict.fromkeys(int(i) for i in household_ids))
    if not ids:
        raise ValidationError(_("tick the households to record as clues"))
    households = {h.pk: h for h in Household.objects.filter(pk__in=ids).select_related("village", "village__parent")}
    open_cases = set(MonitoringCase.objects.filter(household_id__in=ids).exclude(stage__in=CLOSED)
                     .values_list("household_id", flat=True))
    errors, proposals = [], []
    for hid in ids:
        household = households.get(hid)
        watch = household_watch(household, year) if household is not None else None
        if household is None or watch is None or not watch["candidate"]:
            number = household.number if household is not None else hid
            errors.append(_("household %(number)s is not a monitoring candidate in %(year)s")
                          % {"number": number, "year": year})
        elif hid in open_cases:
            errors.append(_("household %(number)s already has an open monitoring case") % {"number": household.number})
        else:
            proposals.append((household, watch))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [clue_record(by=by, household=household, channel=Channel.ENGINE_CANDIDATE, on=on,
                            kind=watch["kind"], source=source,
                            risks={CRITERION_RISK.get(code, Risk.OTHER) for code, _reason in watch["reasons"]},
                            # Stored in the registry's language, as the rules' reasons are.
                            note=f"监测预警（{year}年）：" + "；".join(reason for _code, reason in watch["reasons"]))
                for household, watch in proposals]
