"""The visit and household-survey forms as XLSForms, for the forms field teams already use (ODK Collect,
KoboToolbox, Enketo; decision 1570).

Both are built from data/checklist.toml each time they are asked for, so the phone app and the XLSForm ask the
same questions under the same conditions and cannot drift. The household is named by its 户编号 (never the ID
number; a list of households would carry the poor households' names into every server the form is loaded on),
and the members by name in a repeat group `members`. A question asked under a registry condition the form cannot
know (a member of school age, a house due for renovation, an open 4+4 task) is relevant on a gate question the
cadre taps (`if_…`); the import ignores the gates and asks the registry again.

`workbook(form)` is the .xlsx; `xform(form)` converts it with pyxform (the tests, and `tuopin forms export`, whose
`--validate` also runs ODK Validate, which needs Java). `question_fields()` maps the form's field names back to the
checklist's questions for the import. The household survey asks only the questions whose contradiction is a
proposed change: a survey does nothing else.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from . import checklist

ZH, EN = "Chinese (zh)", "English (en)"
FORMS = ("visit", "household")
FORM_IDS = {"visit": "tuopin_visit", "household": "tuopin_household"}
TITLES = {"visit": ("帮扶走访", "Assistance visit"), "household": ("入户调查", "Household survey")}
REPEAT = "members"
HOUSEHOLD_PATTERN = "^[0-9A-Za-z-]{4,24}$"  # 户编号 as the registry stores it (at most 24 characters)

SURVEY_COLUMNS = ("type", "name", f"label::{ZH}", f"label::{EN}", f"hint::{ZH}", f"hint::{EN}", "required",
                  "relevant", "constraint", f"constraint_message::{ZH}", f"constraint_message::{EN}", "default",
                  "appearance", "parameters")
CHOICE_COLUMNS = ("list_name", "name", f"label::{ZH}", f"label::{EN}")


@dataclass(frozen=True)
class Row:
    type: str
    name: str = ""
    zh: str = ""
    en: str = ""
    hint_zh: str = ""
    hint_en: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    message_zh: str = ""
    message_en: str = ""
    default: str = ""
    appearance: str = ""
    parameters: str = ""

    def cells(self) -> list[str]:
        return [self.type, self.name, self.zh, self.en or self.zh, self.hint_zh, self.hint_en or self.hint_zh,
                "yes" if self.required else "", self.relevant, self.constraint, self.message_zh,
                self.message_en or self.message_zh, self.default, self.appearance, self.parameters]


def field_name(key: str) -> str:
    """A checklist key as an XML element name: `task:fences` → `task_fences`."""
    return key.replace(":", "_")


def question_fields() -> dict[str, checklist.Question]:
    """{field name in the form: question}, for the import."""
    return {field_name(q.key): q for q in checklist.questions().values()}


def _relevant(q: checklist.Question) -> str:
    if q.when == "school_age":
        return "${if_school_age} = 'yes'"
    if q.when == "renovation_due":
        return "${if_renovation_due} = 'yes'"
    if q.template:
        return f"selected(${{if_tasks}}, '{q.template}')"
    return ""


def _question(q: checklist.Question) -> Row:
    name = field_name(q.key)
    relevant = _relevant(q)
    if q.kind == "yes_no":
        return Row("select_one yes_no", name, q.text, required=True, relevant=relevant, appearance="horizontal")
    if q.kind == "yuan":
        return Row("decimal", name, q.text, hint_zh="元", hint_en="yuan", required=True, relevant=relevant,
                   constraint=f". >= 0 and . <= {checklist.YUAN_MAX}", message_zh="填 0 或正数（元）",
                   message_en="0 or more, in yuan")
    return Row(f"select_one c_{name}", name, q.text, required=True, relevant=relevant)


def _household_rows() -> list[Row]:
    return [Row("text", "household", "户编号", "Household number", hint_zh="户编号，不填身份证号",
                hint_en="the household number, never an ID number", required=True,
                constraint=f"regex(., '{HOUSEHOLD_PATTERN}')", message_zh="户编号为 4–24 位数字或字母",
                message_en="4–24 digits or letters")]


def _checklist_rows(questions: list[checklist.Question]) -> list[Row]:
    """The household's questions, then the repeat group of its members with theirs; each under its gate."""
    rows = []
    household = [q for q in questions if q.per == "household"]
    members = [q for q in questions if q.per == "member"]
    if any(q.when == "renovation_due" for q in household):
        rows.append(Row("select_one yes_no", "if_renovation_due", "住房是C/D级危房或改造未完成吗？",
                        "Is the house graded C/D or its renovation unfinished?", required=True,
                        appearance="horizontal"))
    if any(q.template for q in household):
        rows.append(Row("select_multiple tasks", "if_tasks", "本户未完成的干部四项任务",
                        "Open 4+4 tasks of the household", hint_zh="没有则不选", hint_en="none: leave blank"))
    rows += [_question(q) for q in household]
    if members:
        rows.append(Row("begin_repeat", REPEAT, "家庭成员", "Members"))
        rows.append(Row("text", "name", "姓名", "Name", required=True))
        if any(q.when == "school_age" for q in members):
            rows.append(Row("select_one yes_no", "if_school_age", "是 6–15 周岁吗？", "Aged 6 to 15?",
                            required=True, appearance="horizontal"))
        rows += [_question(q) for q in members]
        rows.append(Row("end_repeat", REPEAT))
    return rows


def _visit_rows(questions: list[checklist.Question]) -> list[Row]:
    return _household_rows() + [
        Row("text", "cadre", "帮扶干部", "Paired cadre", hint_zh="本人走访可不填；代他人录入时填干部姓名",
            hint_en="blank for yourself; the cadre's name when entering for another"),
        Row("date", "visit_date", "走访日期", "Date of the visit", required=True, default="today()",
            constraint=". <= today()", message_zh="不能是将来的日期", message_en="not a future date"),
        *_checklist_rows(questions),
        Row("text", "found", "发现问题", "What was found", appearance="multiline"),
        Row("text", "done", "帮办事项", "What was done", appearance="multiline"),
        # max-pixels: the phone shrinks the photo before it is sent, as the phone app does.
        Row("image", "photo", "照片", "Photo", parameters="max-pixels=1600"),
        Row("text", "follow_up", "后续任务", "Follow-up task", hint_zh="需要跟进的事；没有则不填",
            hint_en="what needs following up; blank if nothing"),
        Row("date", "follow_up_due", "完成期限", "Due", relevant="${follow_up} != ''",
            constraint=". >= ${visit_date}", message_zh="不早于走访日期", message_en="not before the visit"),
    ]


def _survey_rows(questions: list[checklist.Question]) -> list[Row]:
    """A survey proposes changes to the registry and does nothing else: its questions are those whose
    contradiction is a proposal (the member's schooling and insurance, the house)."""
    return _household_rows() + [
        Row("integer", "year", "年度", "Year", required=True, constraint=". >= 2014 and . <= 2100",
            message_zh="填四位年份", message_en="a four-digit year"),
        *_checklist_rows([q for q in questions if q.on_contradiction == "propose"]),
    ]


def _choices(form: str, questions: list[checklist.Question]) -> list[list[str]]:
    if form == "household":
        questions = [q for q in questions if q.on_contradiction == "propose"]
    rows = [["yes_no", "yes", "是", "Yes"], ["yes_no", "no", "否", "No"]]
    if form == "visit":
        from tuopin.apps.assistance.config import templates

        items = templates()["cadre"]["items"]
        rows += [["tasks", q.template, items.get(q.template, q.text), q.template.replace("_", " ")]
                 for q in questions if q.per == "household" and q.template]
    for q in questions:
        rows += [[f"c_{field_name(q.key)}", value, value, value] for value in q.choices]
    return rows


def _version() -> str:
    """Changes whenever the checklist does: ODK Central and Kobo ask for a new version to replace a form."""
    return hashlib.sha256(checklist.DATA.read_bytes()).hexdigest()[:10]


def workbook(form: str) -> bytes:
    """The XLSForm of `form` ("visit" or "household") as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    questions = list(checklist.questions().values())
    rows = _visit_rows(questions) if form == "visit" else _survey_rows(questions)
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in rows:
        survey.append(row.cells())
    choices = book.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for choice in _choices(form, questions):
        choices.append(choice)
    settings = book.create_sheet("settings")
    zh, en = TITLES[form]
    # name: the root element of the submissions, the same on every server that converts the form
    settings.append(["form_title", "form_id", "name", "version", "default_language", "instance_name"])
    settings.append([zh, FORM_IDS[form], FORM_IDS[form], _version(), ZH,
                     "concat(${household}, ' ', ${visit_date})" if form == "visit" else "concat(${household}, ' ', ${year})"])
    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xform(form: str, *, validate: bool = False) -> str:
    """The XForm XML pyxform makes of the workbook; raises pyxform's PyXFormError for a form it refuses.
    `validate` runs ODK Validate too (Java; decision 1570)."""
    from pyxform.xls2xform import convert

    return convert(xlsform=workbook(form), validate=validate, file_type=".xlsx").xform
