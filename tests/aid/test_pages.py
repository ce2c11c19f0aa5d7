"""The aid pages: the household page's section (ID numbers masked), the county's totals with the township
selector, the import page (all or nothing, the problems listed) and its template; refusals by role."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuopin.apps.aid import services
from tuopin.apps.aid.imports import COLUMNS
from tuopin.apps.aid.models import AidPayment

D = dt.date


def _url(name, *args):
    return reverse(f"web:{name}", args=args)


def _pay(county, household, ref, kind="two_exemptions", fen=125_000):
    return services.payment_record(by=county["accounts"]["department"], person=household.members.first(),
                                   year=2018, kind=kind, amount_fen=fen, paid_on=D(2018, 6, 30), reference=ref)


def test_the_household_page_lists_the_members_aid_with_id_numbers_masked(county, client):
    h1 = county["households"][0]
    _pay(county, h1, "JY-1")
    person = h1.members.first()
    client.force_login(county["accounts"]["first_secretary"])
    html = client.get(_url("household", h1.pk)).content.decode()
    assert 'id="household-aid"' in html and "1,250.00" in html and "两免一补" in html
    assert person.id_number not in html and person.id_number[:6] + "********" + person.id_number[-4:] in html
    client.force_login(county["accounts"]["county_admin"])  # the county office sees the numbers
    assert person.id_number in client.get(_url("household", h1.pk)).content.decode()


def test_the_county_page_totals_by_kind_year_and_township(county, client):
    h1, h2, h3, h4 = county["households"]
    _pay(county, h1, "JY-1")
    _pay(county, h4, "JY-2", kind="grant_senior", fen=200_000)
    client.force_login(county["accounts"]["county_admin"])
    html = client.get(_url("aid")).content.decode()
    assert "3,250.00" in html and "镇赉镇" in html and "建平乡" in html
    one = client.get(_url("aid") + f"?township={county['townships'][1].pk}").content.decode()
    assert "2,000.00" in one and "1,250.00" not in one
    assert client.get(_url("aid") + "?township=abc").status_code == 404
    # The commander reads its own township: the other one is not found.
    client.force_login(county["accounts"]["commander"])
    assert "1,250.00" in client.get(_url("aid")).content.decode()
    assert client.get(_url("aid") + f"?township={county['townships'][1].pk}").status_code == 404
    for role in ("first_secretary", "cadre", "evaluator", "system_admin"):
        client.force_login(county["accounts"][role])
        assert client.get(_url("aid")).status_code == 403


def test_the_import_page_writes_all_or_lists_the_problems(county, client):
    p1 = county["households"][0].members.first()
    client.force_login(county["accounts"]["department"])
    template = client.get(_url("aid_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"

    def upload(rows):
        text = io.StringIO()
        text.write(",".join(COLUMNS) + "\n")
        for row in rows:
            text.write(",".join(row) + "\n")
        return client.post(_url("aid_import"), {"file": SimpleUploadedFile(
            "aid.csv", text.getvalue().encode("utf-8-sig"), content_type="text/csv")})

    bad = upload([[p1.id_number, p1.name, "2018", "两免一补", "1250", "2018-06-30", "JY-1", "", ""],
                  [p1.id_number, "别人", "2018", "两免一补", "1250", "2018-06-30", "JY-2", "", ""]])
    html = bad.content.decode()
    assert bad.status_code == 200 and 'id="aid-problems"' in html and "与名册不符" in html
    assert not AidPayment.objects.exists()
    good = upload([[p1.id_number, p1.name, "2018", "两免一补", "1250", "2018-06-30", "JY-1", "", ""]])
    assert good.status_code == 302 and AidPayment.objects.count() == 1
    for role in ("first_secretary", "commander", "cadre"):
        client.force_login(county["accounts"][role])
        assert client.get(_url("aid_import")).status_code == 403
        assert client.get(_url("aid_template")).status_code == 403
