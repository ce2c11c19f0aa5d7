"""The generator's monitoring cases (`synth/cases.py`, on each household's `cases`) as the monitoring procedure's
rows: the case, its stages (clue, village review, notice, township decision, risk removed or returned) and its
measures. Cases the village turned down are loaded when a person brought them (a visit, an application, a
department's alert); the engine's candidates the village did not take are not cases: the rules list them anew
every time."""

from __future__ import annotations

import datetime as dt

from tuopin.apps.monitoring.choices import RISK_WORDS, MeasureKind, Risk, Stage
from tuopin.synth.county import Registry

CASE_COLUMNS = ("id", "household_id", "village_id", "kind", "risks", "channel", "stage", "clue_on", "decided_on",
                "included_on", "removed_on", "returned_on", "monitoring_event_id", "removal_event_id", "note",
                "not_included_reason")
STEP_COLUMNS = ("id", "case_id", "stage", "on", "ends_on", "by_name", "by_role", "passed", "note", "at")
MEASURE_COLUMNS = ("id", "case_id", "kind", "description", "responsible", "on", "created_at")

CHANNEL = {"engine": "engine_candidate", "cadre_visit": "cadre_visit", "self_report": "self_application",
           "department_alert": "department_alert"}
MEASURE = {"健康": (MeasureKind.HEALTH, "健康帮扶：医疗救助、慢病签约服务"),
           "教育": (MeasureKind.EDUCATION, "教育帮扶：助学金、生源地助学贷款"),
           "产业": (MeasureKind.INDUSTRY, "产业帮扶：种养殖项目、技术指导"),
           "就业": (MeasureKind.EMPLOYMENT, "就业帮扶：技能培训、公益岗位"),
           "兜底": (MeasureKind.SOCIAL, "兜底保障：纳入低保或特困供养"),
           "临时救助": (MeasureKind.SOCIAL, "临时救助")}
NOTICE_DAYS = 5


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing


def case_rows(reg: Registry) -> tuple[list[tuple], list[tuple], list[tuple]]:
    village_of = {row[0]: row[2] for row in reg.tables["household"][1]}
    events = {(row[1], row[2], row[5]): row[0] for row in reg.tables["statusevent"][1] if row[4] == "announced"}
    cases, steps, measures = [], [], []

    def step(case_id, stage, on, by, *, ends_on=None, passed=True, note=""):
        steps.append((len(steps) + 1, case_id, stage, on, ends_on, by, "", passed, note, _at(on)))

    for h in reg.households:
        for c in h.cases:
            brought_by_a_person = c.channel != "engine"
            if not c.included and not brought_by_a_person:
                continue
            case_id = len(cases) + 1
            risks = "," + ",".join(str(RISK_WORDS.get(r, Risk.OTHER)) for r in c.risks) + ","
            if c.returned_on:
                stage = Stage.RETURNED
            elif c.removed_on:
                stage = Stage.RISK_REMOVED
            else:
                stage = Stage.ASSISTANCE if c.included else Stage.NOT_INCLUDED
            cases.append((case_id, h.id, village_of[h.id], c.kind, risks, CHANNEL[c.channel], stage, c.clue_on,
                          c.decided_on, c.decided_on if c.included else None, c.removed_on, c.returned_on,
                          events.get((h.id, "monitoring_in", c.decided_on)) if c.included else None,
                          events.get((h.id, "risk_removed", c.removed_on)) if c.removed_on else None,
                          "、".join(c.risks), "" if c.included else "村级评议：收入稳定，风险可控，不纳入"))
            step(case_id, Stage.CLUE, c.clue_on, "系统预警" if c.channel == "engine" else "帮扶责任人")
            review = min(c.clue_on + dt.timedelta(days=1), c.decided_on)
            if not c.included:
                step(case_id, Stage.VILLAGE_REVIEW, review, "村民代表会议", passed=False, note="收入稳定，风险可控")
                continue
            step(case_id, Stage.VILLAGE_REVIEW, review, "村民代表会议")
            ends = max(review, c.decided_on - dt.timedelta(days=1))
            step(case_id, Stage.VILLAGE_NOTICE, review, "村委会", ends_on=ends)
            step(case_id, Stage.TOWNSHIP_APPROVAL, c.decided_on, "乡镇人民政府")
            for word in c.measures:
                kind, text = MEASURE.get(word, (MeasureKind.OTHER, word))
                measures.append((len(measures) + 1, case_id, kind, text, "帮扶责任人", c.decided_on,
                                 _at(c.decided_on)))
            if c.removed_on:
                step(case_id, Stage.RISK_REMOVED, c.removed_on, "乡镇人民政府", note="收入持续稳定，两不愁三保障及饮水安全有保障")
            if c.returned_on:
                step(case_id, Stage.RETURNED, c.returned_on, "县扶贫开发领导小组", note="返贫，转入贫困户帮扶")
    return cases, steps, measures
