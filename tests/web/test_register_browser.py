"""In a real browser: the first secretary enters an applying family and finds its application on the
identification tab; the county office uploads the year's village figures from the village-exit tab."""

import datetime as dt

import pytest

from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, StatusEvent
from tuopin.common import idnumber

pytestmark = pytest.mark.browser


def test_first_secretary_registers_a_family_and_sees_its_application(page, live_server, live_county):
    head = idnumber.make("220821", dt.date(1968, 3, 14), 41, "F")
    son = idnumber.make("220821", dt.date(1995, 9, 1), 42, "M")
    log_in(page, live_server, "first_secretary")
    page.goto(f"{live_server.url}/procedures/identification/")
    page.click("#register-family")
    page.wait_for_selector("#register-form")
    page.select_option("#id_primary_cause", "1")
    page.select_option("#id_housing_grade", "C")
    page.fill("#id_wage_income_yuan", "1800")
    page.fill("#id_on", "2018-06-01")  # the tab's year: the small county's latest year of records
    page.fill("#id_by_name", "张桂兰")
    page.fill("#id_member-0-name", "张桂兰")
    # A mistyped check digit first: refused next to the field, in Chinese, and nothing is saved.
    page.fill("#id_member-0-id_number", head[:-1] + ("0" if head[-1] != "0" else "1"))
    page.fill("#id_member-1-name", "李小军")
    page.fill("#id_member-1-id_number", son)
    page.select_option("#id_member-1-relation", c.Relation.SON)
    page.click("#register-form button[type=submit]")
    error = page.locator("#member-0 .has-error .errorlist")
    assert "校验" in error.inner_text()
    assert not Household.objects.filter(village=live_county["villages"][0], members__name="李小军").exists()
    page.fill("#id_member-0-id_number", head)
    page.click("#register-form button[type=submit]")
    done(page)
    hh = Household.objects.get(members__id_number=head)
    event = StatusEvent.objects.get(household=hh, kind=c.EventKind.IDENTIFIED)
    assert page.url.endswith(f"/procedures/{event.pk}/") and event.stage == c.Stage.APPLIED
    assert hh.members.get(id_number=son).sex == "M"
    assert event.year == 2018
    page.goto(f"{live_server.url}/procedures/identification/?year=2018")
    assert page.locator(f"#stage-applied #ev-{event.pk}").count() == 1


def test_county_office_uploads_the_village_figures(page, live_server, live_county, tmp_path):
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/area-exits/villages/?year=2018")
    page.click("#load-figures")
    page.wait_for_selector("#figures-form")
    bad = tmp_path / "bad.csv"
    bad.write_text("乡,行政村,农村户籍人口\n镇赉镇,西岗村,六百\n", encoding="utf-8")
    page.fill("#id_year", "2018")
    page.set_input_files("#id_file", str(bad))
    page.click("#figures-form button[type=submit]")
    page.wait_for_selector("#figures-problems")
    assert "农村户籍人口" in page.locator("#figures-problems").inner_text()
    good = tmp_path / "good.csv"
    good.write_text("乡,行政村,农村户籍人口\n镇赉镇,西岗村,640\n", encoding="utf-8")
    page.fill("#id_year", "2018")
    page.set_input_files("#id_file", str(good))
    page.click("#figures-form button[type=submit]")
    done(page)
    assert VillageYear.objects.get(village=live_county["villages"][0], year=2018).population == 640
    assert "/area-exits/villages/" in page.url
