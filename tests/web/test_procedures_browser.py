"""Identification, returns and village/county exits in a real browser, each stage by the role that owns it: the
first secretary records the village's stages, the commander the township's, the county office the county's."""

import datetime as dt

import pytest

from tests.factories import PASSWORD, household
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.registry import choices as c
from tuopin.apps.procedures.area_procedure import area_exit_advance, area_exit_propose
from tuopin.apps.registry.models import Household, StatusEvent
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.procedures.procedure import identification_apply, procedure_advance

pytestmark = pytest.mark.browser
S = c.Stage
D = dt.date


def done(page) -> None:
    """Wait for the page's answer to a form: a success, or fail with the error it shows."""
    page.wait_for_selector(".msg-success, .msg-error")
    errors = page.locator(".msg-error")
    assert errors.count() == 0, errors.all_inner_texts()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector("main h1")


def test_first_secretary_records_an_application_its_review_and_the_villages_exit(page, live_server, live_county):
    applicant = household(live_county["villages"][0], "220821100201009", registered=False)
    log_in(page, live_server, "first_secretary")
    page.click("#site-nav a[href='/procedures/']")
    page.click(".procedure-tabs a[href='/procedures/identification/']")
    page.wait_for_selector("#candidates")
    page.goto(f"{live_server.url}/procedures/identification/?year=2018")
    page.check(f"#hh-{applicant.pk}")
    page.fill("#candidates form.batch input[name=on]", "2018-06-01")
    page.fill("#candidates form.batch input[name=by_name]", "户主本人")
    page.click("#candidates form.batch button[type=submit]")
    done(page)
    event = StatusEvent.objects.get(household=applicant, kind=c.EventKind.IDENTIFIED)
    assert event.stage == S.APPLIED
    section = page.locator("#stage-applied")
    section.locator(f"#ev-{event.pk}").check()
    section.locator("input[name=on]").fill("2018-06-05")
    section.locator("button[value=pass]").click()
    done(page)
    event.refresh_from_db()
    assert event.stage == S.DEMOCRATIC_REVIEW
    # The village notice list prints (a PDF download).
    with page.expect_download() as download:
        page.evaluate(f"() => {{ const a = document.createElement('a'); a.href = "
                      f"'/regions/{live_county['villages'][0].pk}/notice-list-2018.pdf?kind=identification'; "
                      f"a.download = ''; document.body.appendChild(a); a.click(); }}")
    assert download.value.suggested_filename.endswith("-identification.pdf")

    # The village's own exit: the first secretary applies; the township's stage is not offered to it.
    page.goto(f"{live_server.url}/area-exits/villages/?year=2018")
    row = page.locator(f"tr[data-village='{live_county['villages'][0].code}']")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#area-stage")
    case = AreaExit.objects.get(region=live_county["villages"][0])
    assert case.stage == "applied" and page.locator("#area-stage-form").count() == 0


def test_commander_records_the_township_review_of_a_village_exit(page, live_server, live_county):
    admin = live_county["accounts"]["county_admin"]
    case = area_exit_propose(region=live_county["villages"][0], year=2018, by=admin, on=D(2018, 11, 20))
    log_in(page, live_server, "commander")
    page.goto(f"{live_server.url}/area-exits/villages/?year=2018")
    page.click(f"a[href='/area-exits/case/{case.pk}/']")
    page.wait_for_selector("#area-stage-form")
    page.fill("#area-stage-form input[name=on]", "2018-11-25")
    page.fill("#area-stage-form input[name=by_name]", "镇赉镇党委")
    page.click("#area-stage-form button[value=pass]")
    done(page)
    case.refresh_from_db()
    assert case.stage == "township_review" and case.steps.get(stage="township_review").by_name == "镇赉镇党委"
    # The next stage (the notice in the township) is the commander's too; the county approval is not.
    page.fill("#area-stage-form input[name=on]", "2018-11-26")
    page.fill("#area-stage-form input[name=ends_on]", "2018-12-02")
    page.click("#area-stage-form button[value=pass]")
    done(page)
    page.wait_for_selector("form[action$='/objections/']")
    assert page.locator("#area-stage-form").count() == 0  # 县级审定 is recorded by another office


def test_county_office_approves_an_identification_and_runs_the_county_exit(page, live_server, live_county):
    admin = live_county["accounts"]["county_admin"]
    applicant = household(live_county["villages"][0], "220821100201009", registered=False)
    [event] = identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=D(2018, 6, 1)).created
    for stage, on, ends in ((S.DEMOCRATIC_REVIEW, D(2018, 6, 5), None), (S.PUBLIC_NOTICE, D(2018, 6, 6), D(2018, 6, 12)),
                            (S.TOWNSHIP_REVIEW, D(2018, 6, 15), None), (S.SECOND_NOTICE, D(2018, 6, 16), D(2018, 6, 22))):
        procedure_advance(event=event, stage=stage, by=admin, on=on, ends_on=ends)
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/procedures/identification/?year=2018")
    for stage, on in ((S.SECOND_NOTICE, "2018-06-25"), (S.COUNTY_APPROVAL, "2018-06-30")):
        section = page.locator(f"#stage-{stage}")
        section.locator(f"#ev-{event.pk}").check()
        section.locator("input[name=on]").fill(on)
        section.locator("button[value=pass]").click()
        done(page)
    applicant.refresh_from_db()
    assert applicant.status == c.PovertyStatus.POOR and applicant.identified_year == 2018

    # The county's exit: apply, city review, and the province verification with its evaluation round.
    evaluation = EvaluationRound.objects.create(name="2019年第三方评估", held_in=2019, data_year=2018,
                                                county=live_county["county"])
    page.click(".procedure-tabs a[href='/area-exits/county/']")
    page.goto(f"{live_server.url}/area-exits/county/?year=2018")
    page.wait_for_selector("#evaluation-rounds")
    page.fill("#county-exit input[name=on]", "2019-01-10")
    page.click("#county-exit button[type=submit]")
    page.wait_for_selector("#area-stage-form")
    case = AreaExit.objects.get(region=live_county["county"])
    area_exit_advance(procedure=case, stage="city_review", by=admin, on=D(2019, 1, 20))
    page.reload()
    page.fill("#area-stage-form input[name=on]", "2019-04-01")
    page.select_option("#area-stage-form select[name=evaluation_round]", str(evaluation.pk))
    page.click("#area-stage-form button[value=pass]")
    done(page)
    case.refresh_from_db()
    assert case.stage == "province_verification"
    assert case.steps.get(stage="province_verification").evaluation_round == evaluation
    assert Household.objects.filter(pk=applicant.pk, is_registered=True).exists()


def test_returns_page_county_office_proposes_and_first_secretary_reviews(page, live_server, live_county):
    hh = live_county["households"][0]  # 西岗村, the first secretary's village
    Household.objects.filter(pk=hh.pk).update(status=c.PovertyStatus.EXITED, exit_year=2017)
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/procedures/returns/?year=2018&q={hh.number}")
    page.check(f"#hh-{hh.pk}")
    batch = page.locator("#candidates form.batch")
    batch.locator("input[name=on]").fill("2018-09-01")
    batch.locator("input[name=reason]").fill("因灾返贫")
    batch.locator("textarea[name=evidence]").fill("乡镇民政所核查记录")
    batch.locator("button[type=submit]").click()
    done(page)
    event = StatusEvent.objects.get(household=hh, kind=c.EventKind.RETURNED)
    assert (event.stage, event.reason) == (S.PROPOSED, "因灾返贫")
    page.click("form[action$='/logout/'] button")

    log_in(page, live_server, "first_secretary")
    page.goto(f"{live_server.url}/procedures/returns/?year=2018")
    section = page.locator("#stage-proposed")
    section.locator(f"#ev-{event.pk}").check()
    section.locator("input[name=on]").fill("2018-09-03")
    section.locator("textarea[name=note]").fill("村民代表大会评议通过")
    section.locator("button[value=pass]").click()
    done(page)
    event.refresh_from_db()
    assert event.stage == S.DEMOCRATIC_REVIEW
    page.click(f"a[href='/procedures/{event.pk}/']")
    page.wait_for_selector("ol.steps")
    assert "村民代表大会评议通过" in page.locator("ol.steps").inner_text()
