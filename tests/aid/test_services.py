"""Aid payments: recorded by the department that pays the kind or by the county office, refused otherwise, each
audited; read by those who reach the household (a department its own payments)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tuopin.apps.aid import selectors, services
from tuopin.apps.aid.models import AidPayment
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.models import Unit, UnitKind
from tuopin.common.versioning import StaleEdit

D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pupil(county):
    return county["households"][0].members.first()


def _pay(by, person, **kw):
    args = dict(year=2018, kind="two_exemptions", amount_fen=125_000, paid_on=D(2018, 6, 30), reference="JY-1")
    args.update(kw)
    return services.payment_record(by=by, person=person, **args)


def test_a_department_records_its_own_kind_as_itself_and_the_record_is_audited(county, pupil):
    a = county["accounts"]
    payment = _pay(a["department"], pupil)
    assert (payment.department, payment.household, payment.village) == (
        county["unit"], pupil.household, pupil.household.village)
    event = AuditEvent.objects.get(action="aid:record", entity_id=str(payment.pk))
    assert event.actor == a["department"] and event.changes["amount_fen"] == [None, 125_000]


def test_a_department_may_not_record_a_kind_another_department_pays(county, pupil):
    with pytest.raises(PermissionDenied, match="does not pay"):
        _pay(county["accounts"]["department"], pupil, kind="medical_assistance")
    assert not AidPayment.objects.exists()


def test_the_county_office_records_any_kind_naming_a_department_that_pays_it(county, pupil):
    a = county["accounts"]
    civil = Unit.objects.create(name="民政局", kind=UnitKind.DEPARTMENT, domain="civil_affairs")
    with pytest.raises(ValidationError, match="name the department"):
        _pay(a["county_admin"], pupil, kind="medical_assistance")
    with pytest.raises(ValidationError, match="does not pay"):
        _pay(a["county_admin"], pupil, kind="medical_assistance", department=county["unit"])
    payment = _pay(a["county_admin"], pupil, kind="medical_assistance", department=civil)
    assert payment.department == civil


@pytest.mark.parametrize("role", ["commander", "first_secretary", "cadre", "evaluator", "system_admin"])
def test_other_roles_record_no_aid(county, pupil, role):
    with pytest.raises(PermissionDenied):
        _pay(county["accounts"][role], pupil, department=county["unit"])


@pytest.mark.parametrize("change, field", [
    ({"amount_fen": 0}, "amount_fen"), ({"year": 2013}, "year"), ({"paid_on": D(2020, 1, 5)}, "paid_on"),
    ({"paid_on": D(2999, 1, 1), "year": 2018}, "paid_on"), ({"reference": " "}, "reference"),
])
def test_wrong_figures_are_refused(county, pupil, change, field):
    with pytest.raises(ValidationError) as refused:
        _pay(county["accounts"]["department"], pupil, **change)
    assert field in refused.value.message_dict


def test_a_reference_is_recorded_once_per_department(county, pupil):
    a = county["accounts"]
    _pay(a["department"], pupil)
    with pytest.raises(ValidationError, match="already"):
        _pay(a["department"], pupil, year=2017, paid_on=D(2017, 6, 30))


def test_amend_is_version_checked_and_audited_and_withdraw_keeps_the_record_in_the_audit(county, pupil):
    a = county["accounts"]
    payment = _pay(a["department"], pupil)
    amended = services.payment_amend(payment=payment, version=payment.version, by=a["department"],
                                     amount_fen=100_000, paid_on=D(2018, 7, 1), reference="JY-1b")
    assert (amended.amount_fen, amended.version) == (100_000, 2)
    with pytest.raises(StaleEdit):
        services.payment_amend(payment=payment, version=1, by=a["department"], amount_fen=1,
                               paid_on=D(2018, 7, 1), reference="JY-1c")
    with pytest.raises(ValidationError):
        services.payment_withdraw(payment=amended, version=2, by=a["department"], reason="")
    services.payment_withdraw(payment=amended, version=2, by=a["department"], reason="重复录入")
    assert not AidPayment.objects.exists()
    gone = AuditEvent.objects.get(action="aid:withdraw")
    assert gone.changes["amount_fen"] == [100_000, None] and gone.summary == "重复录入"


def test_another_department_may_not_amend_a_payment(county, pupil):
    a = county["accounts"]
    payment = _pay(a["department"], pupil)
    other = Unit.objects.create(name="另一个教育部门", kind=UnitKind.DEPARTMENT, domain="education")
    from tests.factories import account

    other_account = account("other_dept", "department", department=other, region=county["county"])
    with pytest.raises(PermissionDenied, match="another department"):
        services.payment_amend(payment=payment, version=1, by=other_account, amount_fen=1,
                               paid_on=D(2018, 7, 1), reference="x")


def test_scoping_who_sees_which_payments(county):
    a = county["accounts"]
    h1, h2, h3, h4 = county["households"]
    for i, h in enumerate((h1, h2, h4)):
        _pay(a["department"], h.members.first(), reference=f"JY-{i}")
    seen = {role: set(selectors.payments_for(a[role]).values_list("household_id", flat=True))
            for role in ("county_admin", "commander", "first_secretary", "cadre", "department", "evaluator",
                         "audit_admin")}
    assert seen["county_admin"] == seen["department"] == {h1.pk, h2.pk, h4.pk}
    assert seen["commander"] == seen["first_secretary"] == {h1.pk, h2.pk}
    assert seen["cadre"] == {h1.pk}
    assert seen["evaluator"] == seen["audit_admin"] == set()


def test_household_aid_masks_id_numbers_for_those_who_may_not_see_them(county, pupil):
    a = county["accounts"]
    _pay(a["department"], pupil)
    masked = selectors.household_aid(a["first_secretary"], pupil.household)
    assert masked.total_fen == 125_000 and "*" in masked.rows[0]["id_number"]
    assert selectors.household_aid(a["county_admin"], pupil.household).rows[0]["id_number"] == pupil.id_number


def test_totals_by_kind_year_and_township(county):
    a = county["accounts"]
    h1, h2, h3, h4 = county["households"]
    _pay(a["department"], h1.members.first(), reference="a")
    _pay(a["department"], h4.members.first(), reference="b", year=2017, paid_on=D(2017, 9, 1), amount_fen=200_000,
         kind="grant_senior")
    t = selectors.totals(a["county_admin"])
    assert t.total_fen == 325_000 and t.by_year == {2017: 200_000, 2018: 125_000}
    assert [(r.name, fen) for r, fen, _ in t.by_township] == [("镇赉镇", 125_000), ("建平乡", 200_000)]
    one = selectors.totals(a["county_admin"], township=county["townships"][1])
    assert one.total_fen == 200_000 and one.by_kind == {"grant_senior": 200_000}
    assert selectors.totals(a["commander"]).total_fen == 125_000
