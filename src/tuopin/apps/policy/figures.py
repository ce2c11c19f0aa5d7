"""倒查正推's figures for pages: one run of the policy rules per area, year and write, kept in Django's cache under
the write marker like the assessment's (decision 0600): a roster's upload, an edit of a person, anything audited as a
write makes a new key. What is kept: the area's figures per policy, each child area's (townships of a county, villages
of a township), the eligible persons not covered per policy and the signals, as ids — the pages fetch the names of
the rows they show, limited to what the account may see."""

from __future__ import annotations

import pyarrow.compute as pc
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tuopin import standards
from tuopin.apps.assessment.figures import CACHE_SECONDS, write_marker
from tuopin.apps.geo.models import Level, Region

from . import coverage


def area_coverage(region: Region, year: int) -> dict | None:
    """{"summary": coverage.summary of every policy, "bases": {policy: basis},
        "children": {child code: {policy: figures}},
        "gaps": {policy: [(person id, household id, village code), …]} (eligible, not covered),
        "signals": [(person id, household id, village code, kind), …]}
    of a county or township; None when the year cannot be read (no records, no standard)."""
    key = f"tuopin:coverage:{region.code}:{year}:{write_marker()}"
    found = cache.get(key)
    if found is None:
        found = _run(region, year)
        cache.set(key, found, CACHE_SECONDS)
    return found or None


def _run(region: Region, year: int) -> dict:
    try:
        result = coverage.run(year=year, region=region)
    except (ValidationError, standards.StandardMissing):
        return {}
    child = "township" if region.level == Level.COUNTY else "village"
    codes = result.areas[child]["code"].to_pylist() if child == "township" else \
        result.villages["village_code"].to_pylist()
    children = {f"{code:012d}": coverage.figures(result, level=child, code=code) for code in sorted(set(codes))}
    persons = result.persons.filter(pc.field("eligible") & ~pc.field("covered"))
    gaps: dict[str, list] = {}
    for pid, hid, village, policy in zip(*(persons[c].to_pylist() for c in
                                          ("person_id", "household_id", "village_code", "policy"))):
        gaps.setdefault(policy, []).append((pid, hid, village))
    signals = [tuple(row.values()) for row in
               result.signals.select(["person_id", "household_id", "village_code", "kind"]).to_pylist()]
    return {"summary": coverage.summary(result, region), "bases": dict(result.bases), "children": children,
            "gaps": gaps, "signals": signals}
