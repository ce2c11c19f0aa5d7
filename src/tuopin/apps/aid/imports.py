"""Importing a department's list of aid payments (xlsx or csv), all or nothing (decision 1531).

One row a payment: 证件号码, 姓名, 年度, 资助类别, 金额（元）, 发放日期, 凭证号, and 发放部门 (the county office names
the paying department; a department's own account pays as itself), 备注. Every row is checked first — the ID
number (GB 11643), the person it names in the registry (an unregistered number is refused with the reason, never
created), the name against the registry's, the kind against what the account's department pays, the figures as
`services.check` — and one problem anywhere writes nothing; the problems name the file, row, column, value and
reason, in the account's language (Chinese by default). A file is guarded as every import's is (size, content
type, zip bombs) before a parser sees it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may, require
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.grid import read_grid, table
from tuopin.apps.files.guard import UnreadableFile
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import Problem
from tuopin.apps.registry.models import Person
from tuopin.apps.registry.validation import Refused, parse_id_number
from tuopin.common.money import yuan_to_fen
from tuopin.common.spreadsheet import cell_text as _text

from . import services
from .choices import KIND_NAMES, AidKind
from .models import AidPayment

ID, NAME, YEAR, KIND, AMOUNT, PAID_ON, REFERENCE, DEPARTMENT, NOTE = (
    "证件号码", "姓名", "年度", "资助类别", "金额（元）", "发放日期", "凭证号", "发放部门", "备注")
COLUMNS = (ID, NAME, YEAR, KIND, AMOUNT, PAID_ON, REFERENCE, DEPARTMENT, NOTE)
REQUIRED = (ID, NAME, YEAR, KIND, AMOUNT, PAID_ON, REFERENCE)
# Headers as clerks write them, to the template's.
ALIASES = {"身份证号": ID, "身份证号码": ID, "金额": AMOUNT, "金额(元)": AMOUNT, "类别": KIND, "资助项目": KIND,
           "发放时间": PAID_ON, "日期": PAID_ON, "单据号": REFERENCE, "凭证编号": REFERENCE, "部门": DEPARTMENT}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class AidImportResult:
    file: str
    rows: int = 0
    written: int = 0
    total_fen: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    line: int
    person: Person
    year: int
    kind: str
    amount_fen: int
    paid_on: dt.date
    reference: str
    department: Any
    note: str


def _header(cell: Any) -> str:
    name = _text(cell).replace(" ", "").rstrip("*")
    return ALIASES.get(name, name)


# ---- reading ------------------------------------------------------------------------------------------

def _date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    try:
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        m = _DATE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise ValueError(_("not a date (write it as 2016-01-01)"))


def _kind(value: str) -> str:
    if value in AidKind.values:
        return value
    if value in KIND_NAMES:
        return KIND_NAMES[value]
    for code, label in AidKind.choices:
        if value == str(label):
            return code
    raise ValueError(_("unknown kind of aid; write one of %(names)s") % {"names": "、".join(_kind_names())})


def _kind_names() -> list[str]:
    from tuopin.standards.aid import aid_kinds

    return [k["name"] for k in aid_kinds().values()]


# ---- checking -----------------------------------------------------------------------------------------

def _check_row(line: int, row: dict, by, units: dict, problems: list[Problem]) -> _Row | None:
    before = len(problems)

    def problem(column: str, value: Any, reason: str) -> None:
        problems.append(Problem(line, column, _text(value), reason))

    for column in REQUIRED:
        if not _text(row.get(column)):
            problem(column, "", _("required"))
    if len(problems) > before:
        return None
    person = None
    try:
        number = parse_id_number(row.get(ID)).value  # GB 11643 by tuopin.common.idnumber, its reason translated
    except Refused as exc:
        problem(ID, row.get(ID), str(exc))
    else:
        person = Person.objects.select_related("household").filter(id_number=number).first()
        if person is None:
            problem(ID, number, _("no person in the registry has this ID number: register the person first"))
        elif person.name != _text(row.get(NAME)):
            problem(NAME, row.get(NAME), _("the registry has this ID number under the name %(name)s")
                    % {"name": person.name})
    year = kind = amount = paid_on = None
    try:
        year = int(_text(row.get(YEAR)))
    except ValueError:
        problem(YEAR, row.get(YEAR), _("not a year"))
    try:
        kind = _kind(_text(row.get(KIND)))
    except ValueError as exc:
        problem(KIND, row.get(KIND), str(exc))
    try:
        amount = yuan_to_fen(row.get(AMOUNT))
    except ValueError:
        problem(AMOUNT, row.get(AMOUNT), _("not an amount of money in yuan"))
    try:
        paid_on = _date(row.get(PAID_ON))
    except ValueError as exc:
        problem(PAID_ON, row.get(PAID_ON), str(exc))
    reference, note = _text(row.get(REFERENCE)), _text(row.get(NOTE))[:200]
    department = None
    if kind is not None:
        domains = services.paying_domains(kind)
        if not may(by, Action.RECORD_AID, domains):
            problem(KIND, row.get(KIND), _("your department does not pay this kind of aid"))
        else:
            name = _text(row.get(DEPARTMENT))
            if by is not None and by.role == "department":
                department = by.department
                if name and name != department.name:
                    problem(DEPARTMENT, name, _("a department imports its own payments only"))
            elif not name:
                problem(DEPARTMENT, "", _("name the department that paid"))
            else:
                department = units.get(name)
                if department is None:
                    problem(DEPARTMENT, name, _("no such unit in the organisation"))
                elif department.domain not in domains:
                    problem(DEPARTMENT, name, _("%(unit)s does not pay %(kind)s")
                            % {"unit": name, "kind": AidKind(kind).label})
    if None not in (year, kind, amount, paid_on):
        columns = {"year": YEAR, "kind": KIND, "amount_fen": AMOUNT, "paid_on": PAID_ON, "reference": REFERENCE}
        for key, reason in services.check(year=year, kind=kind, amount_fen=amount, paid_on=paid_on,
                                          reference=reference).items():
            problem(columns[key], row.get(columns[key]), reason)
    if len(problems) > before:
        return None
    return _Row(line, person, year, kind, amount, paid_on, reference, department, note)


def aid_import(path: Path, *, by, source: str = "web", name: str | None = None) -> AidImportResult:
    """Check every row, then write them all in one transaction, or nothing."""
    require(by, Action.RECORD_AID)
    file = name or path.name
    result = AidImportResult(file=file)
    try:
        grid = read_grid(path)
        headers, rows = table(file, grid, header=_header, key=ID)
    except UnreadableFile as exc:
        result.problems.append(Problem(None, "", "", str(exc)))
        return result
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        result.problems.append(Problem(None, "", "", _("the header row lacks the columns %(columns)s")
                                       % {"columns": "、".join(missing)}))
        return result
    result.rows = len(rows)
    Unit = AidPayment._meta.get_field("department").related_model
    units = {u.name: u for u in Unit.objects.all()}
    with import_lock(what=f"aid payments from {file}"):
        checked: list[_Row] = []
        seen: dict[tuple, int] = {}
        for line, row in rows:
            r = _check_row(line, row, by, units, result.problems)
            if r is None:
                continue
            key = (r.department.pk, r.reference)
            if key in seen:
                result.problems.append(Problem(line, REFERENCE, r.reference, _("the reference is on row %(row)s too")
                                               % {"row": seen[key]}))
                continue
            seen[key] = line
            checked.append(r)
        stored = set(AidPayment.objects.filter(reference__in=[r.reference for r in checked])
                     .values_list("department_id", "reference"))
        for r in checked:
            if (r.department.pk, r.reference) in stored:
                result.problems.append(Problem(r.line, REFERENCE, r.reference,
                                               _("%(unit)s has recorded the reference %(reference)s already")
                                               % {"unit": r.department.name, "reference": r.reference}))
        if not rows:
            result.problems.append(Problem(None, "", "", _("the file holds no rows")))
        if result.problems:
            result.problems.sort(key=lambda p: (p.row or 0))
            return result
        _write(checked, by=by, source=source, file=file, result=result)
    return result


@transaction.atomic
def _write(rows: list[_Row], *, by, source: str, file: str, result: AidImportResult) -> None:
    made = AidPayment.objects.bulk_create([
        AidPayment(person=r.person, household_id=r.person.household_id, village_id=r.person.household.village_id,
                   year=r.year, kind=r.kind, amount_fen=r.amount_fen, paid_on=r.paid_on, department=r.department,
                   reference=r.reference, note=r.note, created_by=by, updated_by=by) for r in rows])
    result.written = len(made)
    result.total_fen = sum(r.amount_fen for r in rows)
    ids = sorted(p.pk for p in made if p.pk is not None)
    audit_batch(actor=by, action="aid:import", entity="aid.aidpayment", source=source,
                batch={"file": file, "rows": len(made), "total_fen": result.total_fen,
                       "id_range": [ids[0], ids[-1]] if ids else []},
                summary=f"{len(made)} aid payments from {file}")


def template_bytes() -> bytes:
    """The import's workbook: the header (required columns marked *) and a sheet 说明 with an example a column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    examples = {ID: "220821200801010012", NAME: "张三", YEAR: "2018", KIND: "两免一补", AMOUNT: "1250.00",
                PAID_ON: "2018-06-30", REFERENCE: "JY2018-000123", DEPARTMENT: "教育局", NOTE: ""}
    notes = {ID: "18 位居民身份证号码（单元格设为文本）；须为已登记人员", NAME: "与登记一致", YEAR: "资助所属年度",
             KIND: "、".join(_kind_names()), AMOUNT: "元，可带两位小数", PAID_ON: "如 2018-06-30",
             REFERENCE: "发放凭证号，同一部门内不重复", DEPARTMENT: "县扶贫办导入时必填：发放资金的部门；部门账号导入时可空",
             NOTE: ""}
    book = Workbook()
    sheet = book.active
    sheet.title = "资助发放"
    sheet.append([c + ("*" if c in REQUIRED else "") for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for i, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(65 + i)].width = max(12, 2 * len(column) + 6)
    sheet.column_dimensions["A"].width = 22
    explain = book.create_sheet("说明")
    explain.append(["列", "必填", "示例", "说明"])
    for column in COLUMNS:
        explain.append([column, "是" if column in REQUIRED else "", examples[column], notes[column]])
    explain.append([])
    explain.append(["带 * 的列必填。文件全部检查通过才写入，有任何一处错误则一行也不写入，并给出问题清单。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
