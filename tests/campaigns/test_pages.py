"""The campaign pages: the list in the account's area, the board with behind-schedule villages marked, the log
form that records a day's progress for the account's villages only, and refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from tuopin.apps.campaigns import services
from tuopin.apps.campaigns.models import Campaign, ProgressLog

D = dt.date


def _url(name, *args):
    return reverse(f"web:{name}", args=args)


@pytest.fixture
def campaign(county):
    a = county["accounts"]
    c = services.campaign_create(by=a["county_admin"], name="653百日攻坚行动", start=D(2018, 4, 10),
                                 end=D(2018, 7, 18))
    for village in county["villages"]:
        services.target_set(campaign=c, by=a["county_admin"], village=village, kind="houses_finished", count=4)
    services.progress_record(campaign=c, by=a["county_admin"], village=county["villages"][0], day=D(2018, 4, 11),
                             kind="houses_finished", count=4)
    return c


def test_the_list_and_the_board_mark_the_villages_behind(county, client, campaign):
    client.force_login(county["accounts"]["county_admin"])
    assert "653百日攻坚行动" in client.get(_url("campaigns")).content.decode()
    html = client.get(_url("campaign", campaign.pk) + "?on=2018-05-29").content.decode()
    assert "第 50 天，剩余 50 天" in html
    assert 'class="behind fail" data-village="220821100202"' in html       # 东岗村: 0 of 4 at half time
    assert 'data-village="220821100201"' in html and 'class="behind fail" data-village="220821100201"' not in html
    assert "2 个村进度滞后" in html


def test_a_commander_sees_its_zone_and_another_township_is_not_found(county, client, campaign):
    client.force_login(county["accounts"]["commander"])
    html = client.get(_url("campaign", campaign.pk)).content.decode()
    assert "220821100201" in html and "220821200201" not in html
    assert client.get(_url("campaign", campaign.pk) + f"?township={county['townships'][1].pk}").status_code == 404
    client.force_login(county["accounts"]["cadre"])
    assert client.get(_url("campaigns")).status_code == 403
    assert client.get(_url("campaign", campaign.pk)).status_code == 403


def test_the_log_form_records_progress_for_the_accounts_village(county, client, campaign):
    v1, v2, _ = county["villages"]
    client.force_login(county["accounts"]["first_secretary"])
    form = client.get(_url("campaign_log", campaign.pk)).content.decode()
    assert f'value="{v1.pk}"' in form and f'value="{v2.pk}"' not in form
    done = client.post(_url("campaign_log", campaign.pk), {"village": v1.pk, "day": "2018-04-20",
                                                           "kind": "houses_finished", "count": 2, "note": "验收"})
    assert done.status_code == 302
    assert ProgressLog.objects.filter(village=v1, count=2, by=county["accounts"]["first_secretary"]).exists()
    refused = client.post(_url("campaign_log", campaign.pk), {"village": v2.pk, "day": "2018-04-20",
                                                              "kind": "houses_finished", "count": 2})
    assert refused.status_code == 200 and ProgressLog.objects.filter(village=v2).count() == 0
    outside = client.post(_url("campaign_log", campaign.pk), {"village": v1.pk, "day": "2018-08-01",
                                                              "kind": "houses_finished", "count": 1})
    assert outside.status_code == 200 and "不在攻坚行动期间" in outside.content.decode()


def test_only_the_county_office_creates_a_campaign_on_the_list_page(county, client):
    client.force_login(county["accounts"]["commander"])
    assert client.post(_url("campaigns"), {"name": "x", "start": "2018-01-01", "end": "2018-02-01"}).status_code == 403
    client.force_login(county["accounts"]["county_admin"])
    made = client.post(_url("campaigns"), {"name": "秋季攻坚", "start": "2018-09-01", "end": "2018-10-31"})
    assert made.status_code == 302 and Campaign.objects.filter(name="秋季攻坚").exists()


def test_the_county_office_sets_and_changes_a_target_from_the_board(county, client, campaign):
    from tuopin.apps.campaigns.models import Target

    v1 = county["villages"][0]
    client.force_login(county["accounts"]["county_admin"])
    assert 'id="target-form"' in client.get(_url("campaign", campaign.pk)).content.decode()
    client.post(_url("campaign_target", campaign.pk), {"village": v1.pk, "kind": "visits_made", "count": 30})
    client.post(_url("campaign_target", campaign.pk), {"village": v1.pk, "kind": "houses_finished", "count": 9})
    assert Target.objects.get(campaign=campaign, village=v1, kind="visits_made").count == 30
    changed = Target.objects.get(campaign=campaign, village=v1, kind="houses_finished")
    assert (changed.count, changed.version) == (9, 2)
    client.force_login(county["accounts"]["commander"])
    assert 'id="target-form"' not in client.get(_url("campaign", campaign.pk)).content.decode()
    refused = client.post(_url("campaign_target", campaign.pk), {"village": v1.pk, "kind": "visits_made", "count": 1})
    assert refused.status_code == 403


def test_the_county_office_adds_and_removes_who_takes_part_from_the_board(county, client, campaign):
    from tuopin.apps.audit.models import AuditEvent
    from tuopin.apps.campaigns.models import Participant
    from tuopin.apps.organisation.models import Cadre

    unit, cadre = county["unit"], county["cadre"]
    client.force_login(county["accounts"]["county_admin"])
    assert 'id="participant-form"' in client.get(_url("campaign", campaign.pk)).content.decode()
    client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk, "role": "包村单位"})
    client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk, "cadre": cadre.name, "role": "督导"})
    assert {(p.unit_id, p.cadre_id, p.role) for p in campaign.participants.all()} == {
        (unit.pk, None, "包村单位"), (None, cadre.pk, "督导")}
    html = client.get(_url("campaign", campaign.pk)).content.decode()
    assert f"{unit.name} · 包村单位" in html and f"{unit.name} {cadre.name} · 督导" in html

    # the same unit twice, a name the unit does not have, a name two of its cadres share: nothing added, said why
    again = client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk}, follow=True)
    assert "已在参战名单中" in again.content.decode()
    unknown = client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk, "cadre": "无此人"}, follow=True)
    assert f"{unit.name}没有名为无此人的干部" in unknown.content.decode()
    Cadre.objects.create(name="重名", unit=unit)
    Cadre.objects.create(name="重名", unit=unit)
    twice = client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk, "cadre": "重名"}, follow=True)
    assert "有不止一名名为重名的干部" in twice.content.decode()
    assert campaign.participants.count() == 2

    gone = campaign.participants.get(cadre=cadre)
    assert client.post(_url("campaign_participant_remove", campaign.pk, gone.pk)).status_code == 302
    assert not Participant.objects.filter(pk=gone.pk).exists()
    record = AuditEvent.objects.get(action="campaign:participant_remove")
    assert record.changes["cadre"] == [cadre.pk, None] and cadre.name in record.summary


def test_only_the_county_office_changes_who_takes_part(county, client, campaign):
    unit = county["unit"]
    taking_part = services.participant_add(campaign=campaign, by=None, unit=unit)
    client.force_login(county["accounts"]["commander"])
    html = client.get(_url("campaign", campaign.pk)).content.decode()
    assert unit.name in html and 'id="participant-form"' not in html and "移除" not in html
    assert client.post(_url("campaign_participant", campaign.pk), {"unit": unit.pk, "cadre": "王干部"}).status_code == 403
    assert client.post(_url("campaign_participant_remove", campaign.pk, taking_part.pk)).status_code == 403
    assert campaign.participants.count() == 1
    client.force_login(county["accounts"]["county_admin"])
    assert client.get(_url("campaign_participant", campaign.pk)).status_code == 403    # a GET changes nothing
    other = services.campaign_create(by=None, name="另一行动", start=D(2018, 9, 1), end=D(2018, 9, 30))
    assert client.post(_url("campaign_participant_remove", other.pk, taking_part.pk)).status_code == 404


def test_a_log_is_corrected_on_its_page_and_the_old_one_stays_listed(county, client, campaign):
    from tuopin.apps.audit.models import AuditEvent

    client.force_login(county["accounts"]["first_secretary"])
    wrong = ProgressLog.objects.get(campaign=campaign)
    html = client.get(_url("campaign_log", campaign.pk)).content.decode()
    assert _url("campaign_log_correct", campaign.pk, wrong.pk) in html
    page = client.get(_url("campaign_log_correct", campaign.pk, wrong.pk)).content.decode()
    assert 'id="correction-form"' in page and 'value="4"' in page
    refused = client.post(_url("campaign_log_correct", campaign.pk, wrong.pk),
                          {"day": "2018-04-11", "kind": "houses_finished", "count": "2", "note": ""})
    assert refused.status_code == 200 and ProgressLog.objects.count() == 1
    done = client.post(_url("campaign_log_correct", campaign.pk, wrong.pk),
                       {"day": "2018-04-11", "kind": "houses_finished", "count": "2", "note": "两户未验收"})
    assert done.status_code == 302
    html = client.get(_url("campaign_log", campaign.pk)).content.decode()
    assert f'data-log="{wrong.pk}" class="superseded"' in html and "两户未验收" in html
    board = client.get(_url("campaign", campaign.pk) + "?on=2018-04-11").content.decode()
    assert "2 / 4" in board
    assert AuditEvent.objects.filter(action="campaign:progress_correct", actor=county["accounts"]["first_secretary"]).exists()


def test_a_log_outside_the_accounts_villages_is_not_found_and_others_may_not_correct(county, client, campaign):
    wrong = ProgressLog.objects.get(campaign=campaign)          # 西岗村's
    other = services.progress_record(campaign=campaign, by=None, village=county["villages"][1], day=D(2018, 4, 12),
                                     kind="houses_finished", count=1)
    client.force_login(county["accounts"]["first_secretary"])
    assert client.get(_url("campaign_log_correct", campaign.pk, other.pk)).status_code == 404
    client.force_login(county["accounts"]["cadre"])
    assert client.post(_url("campaign_log_correct", campaign.pk, wrong.pk),
                       {"day": "2018-04-11", "kind": "houses_finished", "count": "0", "note": "x"}).status_code == 403
    assert ProgressLog.objects.count() == 2
