"""The organisation in a real browser, as the county office: import a workbook through the page, change a war
zone's commanders and see the change in the zone's history, and watch the list of what is missing shrink once
one item on it is fixed through its link."""

import pytest
from openpyxl import Workbook

from tests.factories import PASSWORD
from tuopin.apps.organisation.imports.kinds import BY_SHEET
from tuopin.apps.organisation.models import Cadre, SpecialGroup, UnitVillagePairing, WarZone, WorkTeam

pytestmark = pytest.mark.browser


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector("h1")


def _workbook(path):
    book = Workbook()
    book.remove(book.active)
    data = {
        "单位": [["县财政局", "党政机关", "", ""], ["镇赉镇人民政府", "乡镇", "", "镇赉镇"],
               ["建平乡人民政府", "乡镇", "", "建平乡"]],
        "干部": [["陈县长", "县财政局", "副县长", "", "是"], ["周书记", "镇赉镇人民政府", "党委书记", "", ""],
               ["郑县长", "县财政局", "副县长", "", "是"], ["吴书记", "建平乡人民政府", "党委书记", "", ""]],
        "领导小组和专项小组": [["镇赉县脱贫攻坚领导小组", "领导小组", "陈县长", "郑县长", "县财政局", ""]],
        "战区": [["镇赉镇", "陈县长", "周书记"]],
        "单位包村": [["县财政局", "镇赉镇", "西岗村", "2016-01-01", ""]],
    }
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in BY_SHEET[name].columns])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_county_office_imports_edits_a_zone_and_closes_a_gap_in_the_organisation(page, live_server, live_county,
                                                                                 tmp_path):
    t1, t2 = live_county["townships"]
    v3 = live_county["villages"][2]
    log_in(page, live_server, "county_admin")
    page.click("#site-nav a[href='/organisation/']")
    page.wait_for_selector("form.import-form")
    page.set_input_files("form.import-form input[type=file]", str(_workbook(tmp_path / "组织.xlsx")))
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector(".import-done")
    assert page.locator(".import-done li[data-sheet='战区']").inner_text().startswith("战区")
    assert SpecialGroup.objects.get(is_leading_group=True).leader.name == "陈县长"
    assert WarZone.objects.get(township=t1).party_secretary.name == "周书记"
    assert UnitVillagePairing.objects.filter(village__name="西岗村").count() == 1

    # 建平乡 has no commanders yet: it is on the missing list, with a link to name them.
    page.goto(f"{live_server.url}/organisation/missing/")
    missing_before = page.locator("#townships-without-commanders li[data-township]").count()
    villages_before = page.locator("#villages-without-team li[data-village]").count()
    assert page.locator(f"#townships-without-commanders li[data-township='{t2.pk}']").count() == 1
    page.click(f"#townships-without-commanders li[data-township='{t2.pk}'] a")
    page.wait_for_selector("form.org-form")
    page.fill("#id_county_leader", "郑县长")
    page.fill("#id_party_secretary", "吴书记")
    page.click("form.org-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    zone = WarZone.objects.get(township=t2)
    assert (zone.county_leader.name, zone.party_secretary.name) == ("郑县长", "吴书记")
    assert page.locator(".record-history li[data-action]").count() == 1

    # Change 镇赉镇's Party secretary on its page; the history shows the old and the new value.
    page.goto(f"{live_server.url}/organisation/war-zones/")
    page.click(f"table.org-list a[href='/organisation/war-zones/{t1.pk}/']")
    page.wait_for_selector("form.org-form")
    page.fill("#id_party_secretary", "吴书记")
    page.click("form.org-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert WarZone.objects.get(township=t1).party_secretary == Cadre.objects.get(name="吴书记")
    assert "吴书记" in page.locator(".record-history").inner_text()

    page.goto(f"{live_server.url}/organisation/missing/")
    assert page.locator("#townships-without-commanders li[data-township]").count() == missing_before - 1
    # A poor village without a work team: its link opens the new team's form with the village chosen.
    page.click(f"#villages-without-team li[data-village='{v3.pk}'] a")
    page.wait_for_selector("form.org-form")
    assert page.input_value("#id_village") == str(v3.pk)
    page.fill("#id_start", "2018-03-01")
    page.click("form.org-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert WorkTeam.objects.filter(village=v3).exists()
    page.goto(f"{live_server.url}/organisation/missing/")
    assert page.locator("#villages-without-team li[data-village]").count() == villages_before - 1
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
