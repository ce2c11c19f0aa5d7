"""The three doors into the registry, driven alike: each answers None (stored) or the reason it refused.

- the API: PATCH /api/households/<id>/, /api/persons/<id>/, /api/household-years/<id>/ (fen, codes);
- the edit pages: POST to the household, person and yearly-record forms (yuan, as typed);
- the import: the file checks of `tuopin import` (parse_sheet), on a one-person file with the value in its cell,
  and the whole command on an exported county file with the value in household 1's cells.

Each write runs inside a savepoint that is rolled back, so the next door starts from the same registry.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.forms.models import model_to_dict

from tests.exchange.helpers import HEADERS, household_rows, read_csv, read_report, write_csv
from tests.web.conftest import url
from tests.web.test_edit import person_data, year_form_data
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.exchange import layout as L
from tuopin.apps.registry.exchange.parse import parse_sheet
from tuopin.apps.registry.exchange.readers import Sheet
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear
from tuopin.web.forms import yuan_name

# Registry field → the import's column.
COLUMN = {field: header for header, field in L.INCOME_COLUMNS} | {
    field: c.header for c, field in L.EXTENSION_FIELDS} | {"members": "人数", "name": "姓名", "id_number": "证件号码"}
PERSON_PHONE, HOUSEHOLD_PHONE = "联系电话", "户联系电话"


def yuan_text(fen: int) -> str:
    """Fen as a clerk types yuan into a form or a file."""
    return f"{Decimal(fen) / 100:.2f}"


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def record_state(record) -> dict:
    """Everything stored on the record, its version included (the assessment reads these)."""
    return model_to_dict(type(record).objects.get(pk=record.pk))


def _first(errors, field):
    value = errors.get(field)
    return str(value[0]) if value else None


# ---- the API --------------------------------------------------------------------------------------------

API_PATH = {HouseholdYear: "household-years", Person: "persons", Household: "households"}


def api_verdict(client, record, **fields) -> str | None:
    """None when the PATCH saved; else the first reason given for the (first) field sent."""
    record.refresh_from_db()
    with rolled_back():
        response = client.patch(f"/api/{API_PATH[type(record)]}/{record.pk}/", {"version": record.version, **fields},
                                format="json")
        if response.status_code == 200:
            return None
        assert response.status_code == 400, response.content
        errors = response.json()
    return _first(errors, next(iter(fields))) or f"other: {errors}"


# ---- the edit pages -------------------------------------------------------------------------------------

def _household_data(household, **changes) -> dict:
    data = {"version": str(household.version), "attribute": household.attribute,
            "primary_cause": household.primary_cause,
            "other_causes": [code for code in household.other_causes.split(",") if code], "phone": household.phone,
            "address": household.address, "cultivated_land_mu": str(household.cultivated_land_mu),
            "housing_area_m2": str(household.housing_area_m2)}
    data.update(changes)
    return data


def form_verdict(client, record, field, value) -> str | None:
    """None when the page saved (302); else the first error shown by the field."""
    record.refresh_from_db()
    if isinstance(record, HouseholdYear):
        name = yuan_name(field) if field.endswith("_fen") else field
        path, data = url("household_year_edit", record.pk), year_form_data(record, **{name: value})
    elif isinstance(record, Person):
        name = field
        path, data = url("person_edit", record.pk), person_data(record, **{"id_number": record.id_number, name: value})
    else:
        name = field
        path, data = url("household_edit", record.pk), _household_data(record, **{name: value})
    with rolled_back():
        response = client.post(path, data)
        if response.status_code == 302:
            return None
        assert response.status_code == 200, response.status_code
        errors = response.context["form"].errors
    return _first(errors, name) or f"other: {dict(errors)}"


# ---- the import -----------------------------------------------------------------------------------------

def import_verdict(header: str, value) -> str | None:
    """The import's file checks on a one-person file with `value` in `header`: None, or the cell's reason."""
    row = household_rows(1, members=1)[0]
    headers = list(HEADERS)
    if header in L.INCOME_HEADERS:
        headers += list(L.INCOME_HEADERS)  # the income columns come as a set
        row |= dict.fromkeys(L.INCOME_HEADERS, "0")
    elif header not in headers:
        headers.append(header)
    row[header] = value
    sheet = Sheet(file="x.csv", name="", header_row=1, headers=headers, rows=[(2, [row.get(h) for h in headers])])
    reasons = [p.reason for p in parse_sheet(sheet).problems if p.column == header]
    return reasons[0] if reasons else None


def counts() -> tuple[int, ...]:
    """Rows of the registry, and the audit events of writes (logins and exports are audited too: not counted)."""
    return tuple(m.objects.count() for m in (Household, Person, HouseholdYear, PersonYear)) + (
        AuditEvent.objects.filter(action__in=("update", "create", "import")).count(),)


def import_refusal(tmp_path, number: str, edits: dict, *, person: str | None = None) -> dict[str, str]:
    """Export the county (unmasked), write `edits` into household `number`'s rows (or only person `person`'s),
    run `tuopin import` on it and return {column: reason} of its report; the command must refuse the file."""
    exported = tmp_path / "county.csv"
    call_command("export", "--format", "csv", "--out", str(exported), "--year", "2018", "--unmasked",
                 "--as", "county_admin")
    table = read_csv(exported)
    headers, rows = table[0], [dict(zip(table[0], r)) for r in table[1:]]
    for row in rows:
        if row["户编号"] == number and person in (None, row["人编号"]):
            row.update(edits)
    edited = write_csv(tmp_path / "edited.csv", rows, headers)
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as refused:
        call_command("import", str(edited), "--year", "2018", "--as", "county_admin", "--report", str(report))
    assert refused.value.returncode == 3
    reasons = {line["column"]: line["reason"] for line in read_report(report)}
    assert set(reasons) == set(edits), reasons  # refused for the edited cells, nothing else
    return reasons
