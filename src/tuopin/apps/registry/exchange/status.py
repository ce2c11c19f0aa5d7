"""脱贫属性 in a file: which announced status events a change of status stands for (decision 0204).

The national system is where the procedures ran; a file carries their outcome. An import records that
outcome as announced events of the matching kind, so the status of every year stays computable from
the events (docs/data-formats.md), and it refuses changes no procedure produces (an exited household going
back to 未脱贫 instead of 返贫, a closed household reopening).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .. import choices as c

S, K = c.PovertyStatus, c.EventKind
NOT_REGISTERED, POOR, EXITED, RETURNED, EXITED_NO_POLICY, MONITORED, CLOSED = (
    S.NOT_REGISTERED.value, S.POOR.value, S.EXITED.value, S.RETURNED.value, S.EXITED_NO_POLICY.value,
    S.MONITORED.value, S.CLOSED.value,
)
EXITED_ANY = (EXITED, EXITED_NO_POLICY)

# (status before, status in the file) → events, oldest first. A missing pair is refused.
_FROM_NOTHING = {
    POOR: [K.IDENTIFIED], EXITED: [K.IDENTIFIED, K.EXITED], EXITED_NO_POLICY: [K.IDENTIFIED, K.EXITED],
    RETURNED: [K.IDENTIFIED, K.EXITED, K.RETURNED], MONITORED: [K.MONITORING_IN],
    CLOSED: [K.IDENTIFIED, K.NATURAL_DECREASE],
}
_TRANSITIONS: dict[str, dict[str, list[str]]] = {
    NOT_REGISTERED: _FROM_NOTHING,
    POOR: {EXITED: [K.EXITED], EXITED_NO_POLICY: [K.EXITED], MONITORED: [K.MONITORING_IN],
           CLOSED: [K.NATURAL_DECREASE], NOT_REGISTERED: [K.MISIDENTIFIED]},
    RETURNED: {EXITED: [K.EXITED], EXITED_NO_POLICY: [K.EXITED], MONITORED: [K.MONITORING_IN],
               CLOSED: [K.NATURAL_DECREASE], NOT_REGISTERED: [K.MISIDENTIFIED]},
    EXITED: {EXITED_NO_POLICY: [], RETURNED: [K.RETURNED], MONITORED: [K.MONITORING_IN],
             CLOSED: [K.NATURAL_DECREASE], NOT_REGISTERED: [K.MISIDENTIFIED]},
    EXITED_NO_POLICY: {EXITED: [], RETURNED: [K.RETURNED], MONITORED: [K.MONITORING_IN],
                       CLOSED: [K.NATURAL_DECREASE], NOT_REGISTERED: [K.MISIDENTIFIED]},
    MONITORED: {EXITED: [K.RISK_REMOVED], EXITED_NO_POLICY: [K.RISK_REMOVED], RETURNED: [K.RETURNED],
                POOR: [K.IDENTIFIED], CLOSED: [K.NATURAL_DECREASE]},
    CLOSED: {},
}
_LABEL = dict(S.choices)  # lazy labels: the active language's when the reason is made


class TransitionRefused(ValueError):
    pass


def events_between(before: str, after: str) -> list[str]:
    if before == after:
        return []
    try:
        return list(_TRANSITIONS[before][after])
    except KeyError:
        if before in EXITED_ANY and after == POOR:
            reason = _("status cannot change from %(before)s to %(after)s by an import (an exited household goes "
                       "back to poverty as 返贫); record it through its procedure")
        else:
            reason = _("status cannot change from %(before)s to %(after)s by an import; record it through its "
                       "procedure")
        raise TransitionRefused(reason % {"before": _LABEL[before], "after": _LABEL[after]}) from None


def event_year(kind: str, *, year: int, identified_year: int | None, exit_year: int | None) -> int:
    if kind == K.IDENTIFIED and identified_year:
        return identified_year
    if kind == K.EXITED and exit_year:
        return exit_year
    return year


def event_dates(years: list[int], today: dt.date) -> list[dt.date]:
    """Each event on the last day of its year (or today, if earlier); a later event never shares or
    precedes an earlier one's date, so "the latest event on or before 31 December" is unambiguous."""
    dates = [min(today, dt.date(y, 12, 31)) for y in years]
    for i in range(len(dates) - 2, -1, -1):
        if dates[i] >= dates[i + 1]:
            dates[i] = dates[i + 1] - dt.timedelta(days=1)
    return dates
