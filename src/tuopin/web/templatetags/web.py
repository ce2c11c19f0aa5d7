"""Template filters for the registry pages: labels in the reader's language, yuan, masking."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tuopin.apps.accounts.permissions import Action, may
from tuopin.common.masking import mask_birth_date, mask_id, mask_phone
from tuopin.common.money import fen_to_yuan

from .. import labels

register = template.Library()


@register.filter
def choice(value, enum: str) -> str:
    """{{ household.status|choice:"PovertyStatus" }} → 未脱贫 / not yet out of poverty."""
    return labels.label(enum, value)


@register.filter
def causes(codes: str) -> str:
    """The comma-separated cause codes of Household.other_causes as labels."""
    separator = str(pgettext("list separator", ", "))
    return separator.join(labels.label("Cause", code.strip()) for code in (codes or "").split(",") if code.strip())


@register.filter
def yuan(fen) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 123456 → 1,234.56."""
    if fen is None or fen == "":
        return ""
    return f"{fen_to_yuan(int(fen)):,.2f}"


@register.filter
def id_for(value: str, user) -> str:
    """An ID number as this account may see it: whole for roles that verify identities, masked otherwise."""
    return value if getattr(user, "may_see_id_numbers", False) else mask_id(value)


@register.filter
def phone_for(value: str, user) -> str:
    """Phone numbers follow the same rule as ID numbers (docs/security.md, masking)."""
    return value if getattr(user, "may_see_id_numbers", False) else mask_phone(value)


@register.filter
def birth_for(value, user) -> str:
    """A birth date follows the ID number's rule: its month and day are the masked number's hidden digits."""
    if not value:
        return ""
    return value.isoformat() if getattr(user, "may_see_id_numbers", False) else mask_birth_date(value)


@register.filter
def age_this_year(value) -> str:
    """The age a person reaches this calendar year: the year of birth says no more, and the figure does not
    change on the birthday (a daily change would give the birth date away to anyone who looks daily)."""
    return str(timezone.localdate().year - value.year) if value else ""


@register.filter
def money_label(field: str) -> str:
    return str(labels.MONEY_LABELS.get(field, field))


@register.filter
def administrator(user) -> bool:
    """System, security and audit administrators: no household pages, no search."""
    from ..access import is_administrator

    return bool(getattr(user, "is_authenticated", False)) and is_administrator(user)


@register.filter
def indicator(name: str) -> str:
    """An engine indicator (income, food_clothing, …) in the reader's language."""
    return str(labels.INDICATOR_LABELS.get(name, name))


@register.filter
def watch_kind(name: str) -> str:
    """A kind of household the monitoring rules propose (unstable, marginal, sudden, monitored)."""
    return str(labels.WATCH_KIND_LABELS.get(name, name))


@register.filter
def criterion(name: str) -> str:
    """A monitoring criterion (income_low, income_fall, …, gap_housing) in the reader's language."""
    return str(labels.CRITERION_LABELS.get(name, name))


@register.filter
def check_label(name: str) -> str:
    """A village exit check (incidence_ok, clinic_ok, …) in the reader's language."""
    return str(labels.CHECK_LABELS.get(name, name))


@register.filter
def percent(fraction, places: int = 2) -> str:
    """An unrounded fraction from the engine as a percentage: 0.000603 → 0.06%."""
    if fraction is None or fraction == "":
        return "—"
    return f"{float(fraction) * 100:.{int(places)}f}%"


@register.filter
def ratio(value, places: int = 4) -> str:
    """FGT indices are shown as plain numbers with a few decimals."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(places)}f}"


@register.filter
def text_for(value: str, user) -> str:
    """Free text (notes, objections) with any ID or mobile number in it masked for roles that may not see them."""
    from tuopin.common.masking import mask_text

    value = value or ""
    return value if getattr(user, "may_see_id_numbers", False) else mask_text(value)


@register.filter
def works_procedures(user) -> bool:
    """Roles that propose exits and record their stages: the county office, commanders, first secretaries."""
    return may(user, Action.PROPOSE_EXIT)


@register.filter
def works_monitoring(user) -> bool:
    """Roles that follow monitoring cases (防返贫): the county office, commanders, first secretaries, cadres."""
    return may(user, Action.SEE_MONITORING)


@register.filter
def sees_asset_income(user) -> bool:
    """Roles that read the PV stations' and livestock bases' ledgers (资产收益, decision 1513)."""
    return may(user, Action.SEE_ASSET_INCOME)


@register.filter
def works_housing(user) -> bool:
    """Roles that follow housing renovations (危房改造): the county office, commanders, first secretaries and the
    housing department (decision 1611)."""
    region = getattr(user, "region", None)
    return region is not None and may(user, Action.SEE_HOUSING, region)


@register.filter
def records_alerts(user) -> bool:
    """A department's account sends its alerts about residents at risk (decision 1400)."""
    return user.is_authenticated and user.role == "department" and may(user, Action.RECORD_MONITORING_CLUE,
                                                                         ("department_alert", None))


@register.filter
def task_status(value: str) -> str:
    return str(labels.TASK_STATUS_LABELS.get(value, value))


@register.filter
def entity_label(code: str) -> str:
    """An audit entity code (registry.household) in words (农户)."""
    from ..audit_labels import entity_label as label

    return label(code)


@register.filter
def period_label(period: str) -> str:
    """An assessment period in words: 2020 → 2020年, 2020H1 → 2020年上半年, 2020Q3 → 2020年第三季度."""
    from django.utils.translation import gettext as _

    parts = {"": _("%(year)s"), "H1": _("%(year)s, first half"), "H2": _("%(year)s, second half"),
             "Q1": _("%(year)s, first quarter"), "Q2": _("%(year)s, second quarter"),
             "Q3": _("%(year)s, third quarter"), "Q4": _("%(year)s, fourth quarter")}
    period = str(period or "")
    found = parts.get(period[4:])
    return found % {"year": period[:4]} if found and period[:4].isdigit() else period


@register.filter
def days_overdue(task) -> int:
    """Days an open task is past its due date today (0 when it is not overdue, closed, or has no date)."""
    if task.status != "open" or task.due is None:
        return 0
    return max(0, (timezone.localdate() - task.due).days)


@register.filter
def task_event(value: str) -> str:
    return str(labels.TASK_EVENT_LABELS.get(value, value))


@register.filter
def result_label(value: str) -> str:
    return str(labels.RESULT_LABELS.get(value, value or "—"))


@register.filter
def works_tasks(user) -> bool:
    """Roles with a task list: the county office, commanders, first secretaries, cadres, departments."""
    return may(user, Action.WORK_ON_TASKS)


@register.filter
def commands_zone(user) -> bool:
    from tuopin.apps.assistance.accountability import zone_of

    return bool(getattr(user, "is_authenticated", False)) and zone_of(user) is not None


@register.filter
def county_office(user) -> bool:
    return may(user, Action.COUNTY_BOARD)


@register.filter
def keeps_organisation(user) -> bool:
    return may(user, Action.SEE_ORGANISATION)


@register.filter
def lacks_standard(code: str, year) -> bool:
    """{% if region.code|lacks_standard:year %}: the standards in force hold no poverty line for the year."""
    from ..params import standard_missing

    return bool(year) and standard_missing(str(code), int(year))


@register.inclusion_tag("web/_no_standard.html")
def no_standard(code: str, year) -> dict:
    """{% no_standard region.code year %}: says no line is stored for the year and how the county office adds it."""
    from ..params import no_standard_message

    message, hint = no_standard_message(str(code), int(year))
    return {"message": message, "hint": hint}


@register.filter
def sees_evaluation(user) -> bool:
    """The county office and the evaluator: the evaluation rounds of their county."""
    return may(user, Action.SEE_EVALUATION)


@register.filter
def manages_rectification(user) -> bool:
    """The county office and commanders: rectification items by hand, from checks, reopened."""
    return may(user, Action.MANAGE_RECTIFICATION)


@register.filter
def sees_after_exit(user) -> bool:
    """The county office and commanders: the four-not-removes page of their county or war zone."""
    return may(user, Action.SEE_AFTER_EXIT)


@register.filter
def sees_projects(user) -> bool:
    """The county office, commanders and first secretaries: the projects of their county, zone or village."""
    return may(user, Action.SEE_PROJECTS)


@register.filter
def sees_risk_scores(user) -> bool:
    """The county office and commanders: the risk score's ranked list of their area."""
    return may(user, Action.SEE_RISK_SCORES)


@register.filter
def sees_aid(user) -> bool:
    """The county office, commanders and departments: the totals of aid paid (decision 1530)."""
    return may(user, Action.SEE_AID_FIGURES)


@register.filter
def tries_what_ifs(user) -> bool:
    """The county office and commanders: a changed standard beside today's (decision 1601)."""
    return may(user, Action.RUN_WHAT_IF)


@register.filter
def sees_coverage(user) -> bool:
    """The county office, commanders and departments: policy coverage (倒查正推, decision 1554)."""
    return may(user, Action.SEE_COVERAGE)


@register.filter
def sees_signals(user) -> bool:
    """The county office and commanders: signals that figures may be gamed (decision 1593)."""
    return may(user, Action.SEE_SIGNALS)


@register.filter
def sees_rosters(user) -> bool:
    """The county office, commanders, first secretaries and departments: department rosters (decision 1542)."""
    return may(user, Action.SEE_ROSTERS)


@register.filter
def works_in_field(user) -> bool:
    """Cadres and first secretaries: the offline phone app for visits (decision 1565)."""
    return may(user, Action.USE_FIELD_APP)


@register.filter
def sees_campaigns(user) -> bool:
    """The county office, commanders and villages: the campaigns with targets in their area (decision 1535)."""
    return may(user, Action.SEE_CAMPAIGNS)


@register.inclusion_tag("web/_no_records.html")
def no_records(year, years, of: str = "area") -> dict:
    """{% no_records year years %} (or `… "household"`): no yearly records for the year asked, and which years
    there are (decision 1251)."""
    years = list(years or [])
    if not years:
        if of == "household":
            return {"message": _("No yearly records.")}
        return {"message": _("No village has a yearly record in this area yet, so there is nothing to assess.")}
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if of == "household":
        message = _("This household has no yearly record for %(year)s. Its records cover %(span)s: pick one of "
                    "those years.")
    else:
        message = _("There are no yearly records for %(year)s in this area, so there is nothing to assess for that "
                    "year. The area's records cover %(span)s: pick one of those years.")
    return {"message": message % {"year": year, "span": span}}


@register.inclusion_tag("web/_line_note.html")
def line_note(code: str, year) -> dict:
    """{% line_note region.code year %}: the poverty line the year is judged by, and how sure it is."""
    from tuopin.apps.assessment.figures import line_note as note

    return note(str(code), year)


@register.filter
def housing_state(record) -> str:
    """{{ y|housing_state }}: the housing grade of a yearly record, or — once its renovation is finished — that it
    was renovated, how and when, with the grade it had (decision 1252)."""
    grade = labels.label("HousingGrade", record.housing_grade)
    if not record.renovation_finished:
        return grade
    return _("renovated: %(how)s, %(year)s (was %(grade)s)") % {
        "how": labels.label("Renovation", record.renovation), "year": record.renovation_year, "grade": grade}
