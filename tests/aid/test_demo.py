"""The demo county's aid and its 653 campaign as loaded into the database (a small build): the scaled 2.82 million
yuan of education aid to persons of registered households, medical assistance, one audit batch per table; the
campaign's targets on the poor villages from the 2018 renovations, its logs summing to what was achieved, and the
board on its last day."""

from __future__ import annotations

from django.db.models import F, Sum

from tuopin.apps.aid.choices import EDUCATION_KINDS
from tuopin.apps.aid.models import AidPayment
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.campaigns import selectors
from tuopin.apps.campaigns.models import Campaign, ProgressLog, Target
from tuopin.apps.demo.load import demo_build
from tuopin.apps.registry.models import HouseholdYear
from tuopin.synth import aid as synth_aid
from tuopin.synth import campaign as synth_campaign

SCALE = 0.02


def test_the_demo_aid_and_the_653_campaign(db, settings, tmp_path, client):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    result = demo_build(seed=2, scale=SCALE)

    education = AidPayment.objects.filter(kind__in=EDUCATION_KINDS)
    assert education.aggregate(fen=Sum("amount_fen"))["fen"] == synth_aid.education_total_fen(SCALE)
    assert set(education.values_list("year", flat=True)) == {2016, 2017, 2018, 2019}
    assert not AidPayment.objects.filter(household__is_registered=False).exists()
    assert not AidPayment.objects.exclude(village=F("household__village")).exists()
    assert not AidPayment.objects.exclude(household=F("person__household")).exists()
    # The demo's department account (the education bureau) reads the payments it made.
    from tuopin.apps.accounts.models import Role, User
    from tuopin.apps.aid.selectors import payments_for

    bureau = User.objects.get(role=Role.DEPARTMENT)
    assert payments_for(bureau).filter(kind="two_exemptions").count() == education.filter(
        kind="two_exemptions").count() > 0
    medical = AidPayment.objects.filter(kind="medical_assistance")
    assert medical.filter(year__gte=2021).exists() and medical.filter(year__lte=2020).exists()
    # decision 1613: the insurers' reimbursements of the years with recorded expenses, by the medical insurance bureau
    reimbursed = AidPayment.objects.filter(kind__in=("basic_insurance", "serious_illness_insurance"))
    assert reimbursed.filter(kind="basic_insurance").exists() and not reimbursed.filter(year__lt=2021).exists()
    assert set(reimbursed.values_list("department__domain", flat=True)) == {"medical_insurance"}
    assert not AidPayment.objects.filter(kind="pay_after_treatment").exists()
    assert result["counts"]["aidpayment"] == AidPayment.objects.count()
    assert AuditEvent.objects.filter(action="demo_build", entity="aid.aidpayment").count() == 1

    campaign = Campaign.objects.get(name=synth_campaign.NAME)
    assert (campaign.start.isoformat(), campaign.end.isoformat(), campaign.days) == ("2018-04-10", "2018-07-18", 100)
    assert not Target.objects.filter(campaign=campaign, village__is_poor_village=False).exists()
    renovated = HouseholdYear.objects.filter(year=2018, renovation_year=2018, household__is_registered=True,
                                             household__village__is_poor_village=True).count()
    houses = Target.objects.filter(campaign=campaign, kind="houses_finished").aggregate(n=Sum("count"))["n"]
    assert houses == renovated > 0
    logged = ProgressLog.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"]
    assert logged == result["campaign"]["achieved"] > 0
    assert campaign.participants.exists()
    admin = _county_admin()
    board = selectors.board(admin, campaign, campaign.end)
    assert board.days_left == 0 and board.total.cells["houses_finished"].target == houses
    assert 0 < board.behind_count < len(board.villages)
    # The pages over the demo's records: the board of the last day, the county's aid totals.
    from django.urls import reverse

    client.force_login(admin)
    html = client.get(reverse("web:campaign", args=[campaign.pk]) + "?on=2018-07-18").content.decode()
    assert "剩余 0 天" in html and 'class="behind fail"' in html
    html = client.get(reverse("web:aid")).content.decode()
    assert "两免一补" in html and "医疗救助" in html and 'id="aid-by-township"' in html


def _county_admin():
    from tuopin.apps.accounts.models import Role, User

    return User.objects.filter(role=Role.COUNTY_ADMIN).first()
