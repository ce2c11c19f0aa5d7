"""Campaigns: the county office sets them up, the village and its township log progress for their area, every
write audited; the board sets progress against target, counts the days left and marks who is behind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.campaigns import selectors, services
from tuopin.apps.campaigns.models import ProgressLog
from tuopin.common.versioning import StaleEdit

D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(county):
    a = county["accounts"]
    c = services.campaign_create(by=a["county_admin"], name="653百日攻坚行动", start=D(2018, 4, 10),
                                 end=D(2018, 7, 18), description="百日攻坚")
    v1, v2, v3 = county["villages"]
    for village, houses in ((v1, 10), (v2, 4), (v3, 6)):
        services.target_set(campaign=c, by=a["county_admin"], village=village, kind="houses_finished", count=houses)
    services.target_set(campaign=c, by=a["county_admin"], village=v1, kind="visits_made", count=20)
    return c


def test_only_the_county_office_sets_up_a_campaign_and_each_step_is_audited(county, campaign):
    a = county["accounts"]
    for role in ("commander", "first_secretary", "cadre", "department"):
        with pytest.raises(PermissionDenied):
            services.campaign_create(by=a[role], name="x", start=D(2018, 1, 1), end=D(2018, 2, 1))
        with pytest.raises(PermissionDenied):
            services.target_set(campaign=campaign, by=a[role], village=county["villages"][0], kind="gaps_closed",
                                count=1)
    assert campaign.days == 100
    assert AuditEvent.objects.filter(action="campaign:create").count() == 1
    assert AuditEvent.objects.filter(action="campaign:target").count() == 4
    with pytest.raises(ValidationError):
        services.campaign_create(by=a["county_admin"], name="y", start=D(2018, 2, 1), end=D(2018, 1, 1))
    with pytest.raises(ValidationError):
        services.campaign_create(by=a["county_admin"], name="653百日攻坚行动", start=D(2018, 1, 1), end=D(2018, 2, 1))


def test_a_target_changes_with_the_version_read(county, campaign):
    a = county["accounts"]
    v1 = county["villages"][0]
    target = campaign.targets.get(village=v1, kind="houses_finished")
    changed = services.target_set(campaign=campaign, by=a["county_admin"], village=v1, kind="houses_finished",
                                  count=12, version=target.version)
    assert (changed.count, changed.version) == (12, 2)
    with pytest.raises(StaleEdit):
        services.target_set(campaign=campaign, by=a["county_admin"], village=v1, kind="houses_finished", count=9,
                            version=1)
    with pytest.raises(ValidationError):
        services.target_set(campaign=campaign, by=a["county_admin"], village=county["townships"][0],
                            kind="houses_finished", count=9)


def test_the_village_and_its_township_log_their_own_area_only(county, campaign):
    a = county["accounts"]
    v1, v2, v3 = county["villages"]
    services.progress_record(campaign=campaign, by=a["first_secretary"], village=v1, day=D(2018, 4, 20),
                             kind="houses_finished", count=3, note="3户竣工验收")
    services.progress_record(campaign=campaign, by=a["commander"], village=v2, day=D(2018, 4, 21),
                             kind="houses_finished", count=1)
    with pytest.raises(PermissionDenied):
        services.progress_record(campaign=campaign, by=a["first_secretary"], village=v2, day=D(2018, 4, 20),
                                 kind="houses_finished", count=1)
    with pytest.raises(PermissionDenied):
        services.progress_record(campaign=campaign, by=a["commander"], village=v3, day=D(2018, 4, 20),
                                 kind="houses_finished", count=1)
    for role in ("cadre", "department", "evaluator"):
        with pytest.raises(PermissionDenied):
            services.progress_record(campaign=campaign, by=a[role], village=v1, day=D(2018, 4, 20),
                                     kind="houses_finished", count=1)
    log = ProgressLog.objects.get(village=v1)
    assert (log.by, log.count) == (a["first_secretary"], 3)
    assert AuditEvent.objects.filter(action="campaign:progress").count() == 2


@pytest.mark.parametrize("change, field", [
    ({"day": D(2018, 4, 9)}, "day"), ({"day": D(2018, 7, 19)}, "day"), ({"count": 0}, "count"),
    ({"kind": "gaps_closed"}, "kind"),
])
def test_a_log_outside_the_campaign_or_its_targets_is_refused(county, campaign, change, field):
    args = dict(day=D(2018, 5, 1), kind="houses_finished", count=1) | change
    with pytest.raises(ValidationError) as refused:
        services.progress_record(campaign=campaign, by=county["accounts"]["first_secretary"],
                                 village=county["villages"][0], **args)
    assert field in refused.value.message_dict


def test_the_board_sets_progress_against_the_days_gone_by(county, campaign):
    a = county["accounts"]
    v1, v2, v3 = county["villages"]
    # day 50 of 100: v1 has 6 of 10 houses (on schedule) but 5 of 20 visits (behind); v2 4 of 4; v3 nothing.
    for village, kind, n in ((v1, "houses_finished", 6), (v1, "visits_made", 5), (v2, "houses_finished", 4)):
        services.progress_record(campaign=campaign, by=a["county_admin"], village=village, day=D(2018, 5, 1),
                                 kind=kind, count=n)
    board = selectors.board(a["county_admin"], campaign, D(2018, 5, 29))
    assert (board.days_gone, board.days_left, board.expected_percent) == (50, 50, 50)
    lines = {line.region.name: line for line in board.villages}
    assert lines["西岗村"].behind_kinds == ["visits_made"] and not lines["东岗村"].behind
    assert lines["建平村"].behind and lines["建平村"].cells["houses_finished"].done == 0
    towns = {line.region.name: line for line in board.townships}
    assert towns["镇赉镇"].cells["houses_finished"].done == 10 and towns["镇赉镇"].cells["houses_finished"].target == 14
    assert board.total.cells["houses_finished"].target == 20 and board.behind_count == 2
    # A log after the day read for is not counted; after the last day nothing is left.
    assert selectors.board(a["county_admin"], campaign, D(2018, 4, 30)).total.cells["houses_finished"].done == 0
    assert selectors.board(a["county_admin"], campaign, D(2018, 8, 1)).days_left == 0


def test_a_commander_and_a_village_see_their_own_area_on_the_board(county, campaign):
    a = county["accounts"]
    zone = selectors.board(a["commander"], campaign, D(2018, 5, 1))
    assert {line.region.name for line in zone.villages} == {"西岗村", "东岗村"}
    village = selectors.board(a["first_secretary"], campaign, D(2018, 5, 1))
    assert [line.region.name for line in village.villages] == ["西岗村"]
    assert list(selectors.campaigns_for(a["cadre"])) == []
    assert list(selectors.campaigns_for(a["commander"])) == [campaign]


def test_a_campaign_changes_with_the_version_read_and_keeps_its_logs_inside(county, campaign):
    a = county["accounts"]
    services.progress_record(campaign=campaign, by=a["county_admin"], village=county["villages"][0],
                             day=D(2018, 7, 1), kind="houses_finished", count=1)
    with pytest.raises(ValidationError, match="outside the new period"):
        services.campaign_update(campaign=campaign, version=1, by=a["county_admin"], name=campaign.name,
                                 start=D(2018, 4, 10), end=D(2018, 6, 30))
    with pytest.raises(PermissionDenied):
        services.campaign_update(campaign=campaign, version=1, by=a["commander"], name="x", start=D(2018, 4, 10),
                                 end=D(2018, 7, 18))
    changed = services.campaign_update(campaign=campaign, version=1, by=a["county_admin"], name="653攻坚",
                                       start=D(2018, 4, 1), end=D(2018, 7, 18))
    assert (changed.name, changed.version, changed.days) == ("653攻坚", 2, 109)
    with pytest.raises(StaleEdit):
        services.campaign_update(campaign=campaign, version=1, by=a["county_admin"], name="y", start=D(2018, 4, 1),
                                 end=D(2018, 7, 18))
    assert AuditEvent.objects.filter(action="campaign:update").count() == 1


def test_a_mistaken_log_is_corrected_by_a_new_one_and_both_stay(county, campaign):
    """Decision 1610: the board counts the correction, not the log it corrects; the old log stays on file, the
    correction is audited with both figures, a second correction of the same log is refused naming who made the
    first, and a correction of the correction is how it is changed again."""
    a = county["accounts"]
    v1, v2, _v3 = county["villages"]
    wrong = services.progress_record(campaign=campaign, by=a["first_secretary"], village=v1, day=D(2018, 4, 20),
                                     kind="houses_finished", count=8, note="typo: 3 meant")
    assert selectors.totals_by_kind(campaign)["houses_finished"] == (20, 8)
    with pytest.raises(ValidationError) as no_reason:
        services.progress_correct(log=wrong, by=a["first_secretary"], day=D(2018, 4, 20), kind="houses_finished",
                                  count=3, note=" ")
    assert "note" in no_reason.value.message_dict
    fixed = services.progress_correct(log=wrong, by=a["first_secretary"], day=D(2018, 4, 20),
                                      kind="houses_finished", count=3, note="8 was a typo")
    assert selectors.totals_by_kind(campaign)["houses_finished"] == (20, 3)
    board = selectors.board(a["county_admin"], campaign, D(2018, 4, 20))
    assert board.villages[0].cells["houses_finished"].done == 3
    assert ProgressLog.objects.filter(campaign=campaign).count() == 2          # nothing entered is lost
    assert ProgressLog.objects.get(pk=wrong.pk).count == 8
    record = AuditEvent.objects.get(action="campaign:progress_correct")
    assert record.changes["count"] == [8, 3] and record.changes["corrects"] == [None, wrong.pk]

    with pytest.raises(ValidationError) as twice:
        services.progress_correct(log=wrong, by=a["commander"], day=D(2018, 4, 20), kind="houses_finished", count=5,
                                  note="again")
    assert "corrected already" in twice.value.messages[0] and "newest" in twice.value.messages[0]
    # the village had done nothing that day: the correction of the correction counts 0
    services.progress_correct(log=fixed, by=a["commander"], day=D(2018, 4, 20), kind="houses_finished", count=0,
                              note="no house was accepted that day")
    assert selectors.totals_by_kind(campaign)["houses_finished"] == (20, 0)
    logs = list(selectors.logs_for(a["county_admin"], campaign))
    assert [(log.count, log.superseded) for log in logs] == [(0, False), (3, True), (8, True)]


def test_a_correction_is_refused_outside_the_village_or_the_campaign(county, campaign):
    a = county["accounts"]
    v1, v2, _v3 = county["villages"]
    log = services.progress_record(campaign=campaign, by=a["commander"], village=v2, day=D(2018, 4, 20),
                                   kind="houses_finished", count=2)
    for role in ("first_secretary", "cadre", "department"):  # the first secretary's village is 西岗村, not v2
        with pytest.raises(PermissionDenied):
            services.progress_correct(log=log, by=a[role], day=D(2018, 4, 20), kind="houses_finished", count=1,
                                      note="x")
    for change, field in (({"day": D(2018, 7, 19)}, "day"), ({"kind": "visits_made"}, "kind"),
                          ({"count": -1}, "count")):
        args = dict(day=D(2018, 4, 20), kind="houses_finished", count=1) | change
        with pytest.raises(ValidationError) as refused:
            services.progress_correct(log=log, by=a["commander"], note="x", **args)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError):    # the same figures: nothing to correct
        services.progress_correct(log=log, by=a["commander"], day=D(2018, 4, 20), kind="houses_finished", count=2,
                                  note="x")
    assert not AuditEvent.objects.filter(action="campaign:progress_correct").exists()
