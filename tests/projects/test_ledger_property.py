"""The ledger's invariant under any sequence of allocations, spendings, reversals and changes of a fund's amount:
spent never exceeds allocated (per fund and project, and in total), allocated never exceeds the fund, and
allocated = spent + balance."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.apps.projects import funds as fs
from tuopin.apps.projects.ledger import ledger
from tuopin.apps.projects.models import Allocation, Project, Spending

pytestmark = pytest.mark.django_db

ON = dt.date(2018, 6, 1)
step = st.tuples(st.sampled_from(["allocate", "spend", "reverse_allocation", "reverse_spending", "resize"]),
                 st.integers(0, 1), st.integers(0, 2), st.integers(1, 700_000_00), st.integers(0, 30))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=25))
def test_no_sequence_breaks_the_ledger(books, steps):
    from django.db import transaction

    b, admin = books, books["admin"]
    funds, projects = [b["pooled"], b["central"]], [b["water"], b["road"], b["pv"]]
    with transaction.atomic():
        for what, f, p, amount, pick in steps:
            try:
                if what == "allocate":
                    fs.allocate(by=admin, fund=funds[f], project=projects[p], amount_fen=amount, on=ON)
                elif what == "spend":
                    fs.spend(by=admin, fund=funds[f], project=projects[p], amount_fen=amount, on=ON)
                elif what == "resize":  # the fund's amount changed: never below what it allocated
                    fs.fund_change(fund=funds[f], by=admin, version=None, amount_fen=amount * 2)
                else:
                    model = Allocation if what == "reverse_allocation" else Spending
                    entries = list(model.objects.order_by("pk"))
                    if not entries:
                        continue
                    entry = entries[pick % len(entries)]
                    if model is Allocation:
                        fs.reverse_allocation(by=admin, allocation=entry, note="test", on=ON)
                    else:
                        fs.reverse_spending(by=admin, spending=entry, note="test", on=ON)
            except ValidationError:
                pass
            book = ledger(2018)
            assert book.allocated_fen == book.spent_fen + book.balance_fen
            assert 0 <= book.spent_fen <= book.allocated_fen <= book.amount_fen
            for line in book.lines:
                assert 0 <= line.spent_fen <= line.allocated_fen <= line.amount_fen
            for fund in funds:
                for project in projects:
                    assert 0 <= fs.spent(fund, project) <= fs.allocated(fund, project)
            for project in projects:
                assert Project.objects.get(pk=project.pk).spent_fen == \
                    sum(Spending.objects.filter(project=project).values_list("amount_fen", flat=True))
        transaction.set_rollback(True)  # every example starts from the same books
