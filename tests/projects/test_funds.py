"""Funds, allocations and spendings: the consolidation ledger balances, the services refuse with the figures,
every write is audited, and only the county office writes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.projects import funds as fs
from tuopin.apps.projects.ledger import ledger
from tuopin.apps.projects.models import Project
from tuopin.common.versioning import StaleEdit

pytestmark = pytest.mark.django_db


def test_allocate_spend_and_the_ledger_balance(books):
    b, admin, on = books, books["admin"], books["on"]
    fs.allocate(by=admin, fund=b["pooled"], project=b["water"], amount_fen=600_000_00, on=on)
    fs.allocate(by=admin, fund=b["pooled"], project=b["road"], amount_fen=300_000_00, on=on)
    fs.spend(by=admin, fund=b["pooled"], project=b["water"], amount_fen=450_000_00, on=on)
    book = ledger(2018)
    assert (book.amount_fen, book.allocated_fen, book.spent_fen, book.balance_fen) == \
        (1_500_000_00, 900_000_00, 450_000_00, 450_000_00)
    assert book.unallocated_fen == 600_000_00
    assert book.by_kind == {"water": {"allocated": 600_000_00, "spent": 450_000_00, "balance": 150_000_00},
                            "road": {"allocated": 300_000_00, "spent": 0, "balance": 300_000_00}}
    assert book.by_source["pooled"] == {"allocated": 900_000_00, "spent": 450_000_00, "balance": 450_000_00,
                                        "amount": 1_000_000_00}
    assert Project.objects.get(pk=b["water"].pk).spent_fen == 450_000_00
    assert list(b["water"].funds.all()) == [b["pooled"]]
    actions = list(AuditEvent.objects.filter(action__startswith="fund_").values_list("action", flat=True))
    assert actions.count("fund_allocate") == 2 and actions.count("fund_spend") == 1


def test_more_than_the_fund_or_the_allocation_is_refused_with_the_figures(books):
    b, admin, on = books, books["admin"], books["on"]
    fs.allocate(by=admin, fund=b["central"], project=b["road"], amount_fen=400_000_00, on=on)
    with pytest.raises(ValidationError) as exc:
        fs.allocate(by=admin, fund=b["central"], project=b["water"], amount_fen=200_000_00, on=on)
    message = str(exc.value)
    assert "500,000.00" in message and "400,000.00" in message and "100,000.00" in message and "200,000.00" in message
    with pytest.raises(ValidationError) as exc:
        fs.spend(by=admin, fund=b["central"], project=b["water"], amount_fen=1, on=on)  # nothing allocated to it
    assert "0.00" in str(exc.value)
    fs.spend(by=admin, fund=b["central"], project=b["road"], amount_fen=300_000_00, on=on)
    with pytest.raises(ValidationError) as exc:
        fs.spend(by=admin, fund=b["central"], project=b["road"], amount_fen=100_000_01, on=on)
    assert "100,000.00" in str(exc.value) and "300,000.00" in str(exc.value)
    for amount in (0, -5):
        with pytest.raises(ValidationError):
            fs.allocate(by=admin, fund=b["central"], project=b["road"], amount_fen=amount, on=on)


def test_reversals(books):
    b, admin, on = books, books["admin"], books["on"]
    allocation = fs.allocate(by=admin, fund=b["pooled"], project=b["road"], amount_fen=100_00, on=on)
    spending = fs.spend(by=admin, fund=b["pooled"], project=b["road"], amount_fen=60_00, on=on)
    with pytest.raises(ValidationError, match=r"60\.00"):  # would leave less allocated than spent
        fs.reverse_allocation(by=admin, allocation=allocation, note="录入错误")
    with pytest.raises(ValidationError):
        fs.reverse_spending(by=admin, spending=spending, note="  ")  # a reason is required
    reversal = fs.reverse_spending(by=admin, spending=spending, note="凭证作废")
    assert reversal.amount_fen == -60_00 and Project.objects.get(pk=b["road"].pk).spent_fen == 0
    with pytest.raises(ValidationError):
        fs.reverse_spending(by=admin, spending=spending, note="again")
    with pytest.raises(ValidationError):
        fs.reverse_spending(by=admin, spending=reversal, note="a reversal of a reversal")
    fs.reverse_allocation(by=admin, allocation=allocation, note="录入错误")
    assert ledger(2018).allocated_fen == 0
    assert AuditEvent.objects.filter(action="fund_allocate_reverse").count() == 1


def test_fund_change_is_version_checked_and_never_below_the_allocated(books):
    b, admin = books, books["admin"]
    fs.allocate(by=admin, fund=b["central"], project=b["road"], amount_fen=400_000_00, on=b["on"])
    with pytest.raises(ValidationError, match=r"400,000\.00"):
        fs.fund_change(fund=b["central"], by=admin, version=1, amount_fen=300_000_00)
    fund = fs.fund_change(fund=b["central"], by=admin, version=1, amount_fen=450_000_00, document="吉财农〔2018〕1号")
    assert fund.version == 2
    with pytest.raises(StaleEdit):
        fs.fund_change(fund=fund, by=admin, version=1, note="stale")
    assert AuditEvent.objects.filter(action="fund_change").count() == 1


@pytest.mark.parametrize("role", ["commander", "first_secretary", "cadre", "department", "evaluator",
                                  "system_admin"])
def test_only_the_county_office_records_funds(books, role):
    b, user = books, books["accounts"][role]
    with pytest.raises(Refused):
        fs.fund_record(by=user, year=2019, source="county", name="县级", amount_fen=100)
    with pytest.raises(Refused):
        fs.allocate(by=user, fund=b["pooled"], project=b["water"], amount_fen=100, on=b["on"])
    assert not AuditEvent.objects.filter(action="fund_allocate").exists()


def test_a_future_entry_is_refused(books):
    with pytest.raises(ValidationError):
        fs.allocate(by=books["admin"], fund=books["pooled"], project=books["water"], amount_fen=100,
                    on=dt.date.today() + dt.timedelta(days=2))
