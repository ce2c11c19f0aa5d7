"""Who may do what: the one permission layer (decision 1100).

Every service that writes, every page, API endpoint, document and command that reads personal data asks
`may(account, action, obj)` here, or calls `require(...)`, which raises `Refused`. Pages and the API only
translate a refusal (403, or 404 where the record is out of scope); they never decide. Scope — *which*
households, villages and tasks an account reaches — stays in `scoping.py`; this module decides *what* a role
may do with what it reaches, and asks `scoping` whether an object is within reach.

`account=None` is the system itself (the demo builder, the gap sync, a restore): internal code with no user
input. No page, API request or command runs without a named account, so no user reaches that branch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Role

R = Role
BUSINESS_ROLES = frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE, R.DEPARTMENT, R.EVALUATOR})
# 三员分立: these roles administer the system and never read household data.
ADMINISTRATIVE_ROLES = frozenset({R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDIT_ADMIN})
# Roles whose accounts read personal data: granting one is shown to the audit administrator.
PERSONAL_DATA_ROLES = BUSINESS_ROLES


class Action:
    """The actions. A string each, so that an audit event and a test can name them."""

    # the registry
    SEE_HOUSEHOLDS = "see_households"            # household, person and document pages in scope
    SEE_ID_NUMBERS = "see_id_numbers"            # full ID and phone numbers
    SEE_AREA_FIGURES = "see_area_figures"        # the engine's figures of an area (decision 0601)
    EDIT_REGISTRY = "edit_registry"              # household and person records (obj: household)
    EDIT_YEARLY_RECORD = "edit_yearly_record"    # income, housing, water: the assessment's inputs (obj: household)
    REGISTER_HOUSEHOLD = "register_household"    # new households, by import
    IMPORT_REGISTRY = "import_registry"
    EXPORT_REGISTRY = "export_registry"
    EXPORT_UNMASKED = "export_unmasked"
    # procedures
    PRINT_NOTICE_LIST = "print_notice_list"
    PROPOSE_EXIT = "propose_exit"
    PROPOSE_IDENTIFICATION = "propose_identification"  # record a household's application (建档立卡 新识别)
    PROPOSE_RETURN = "propose_return"            # propose an exited household back into poverty (返贫)
    RECORD_STAGE = "record_stage"                # obj: the stage (of a household procedure)
    PROPOSE_AREA_EXIT = "propose_area_exit"      # obj: "village" or "county" (贫困村退出 / 贫困县摘帽)
    RECORD_AREA_STAGE = "record_area_stage"      # obj: (kind, stage) of a village's or county's exit
    RECORD_OBJECTION = "record_objection"        # objections to a notice, their resolution (obj: household, region)
    # accountability
    WORK_ON_TASKS = "work_on_tasks"              # a task list of one's own
    COMPLETE_TASK = "complete_task"              # obj: the task
    CREATE_TASK = "create_task"
    SYNC_TASKS = "sync_tasks"
    RECORD_VISIT = "record_visit"                # obj: the household
    USE_FIELD_APP = "use_field_app"              # the offline phone app for visits (decision 1565)
    COUNTY_BOARD = "county_board"
    JUDGE_ASSESSMENT = "judge_assessment"        # a commander's proposal and veto; the county office too
    IMPORT_ORGANISATION = "import_organisation"  # the 帮扶责任人 list (cadre ↔ household pairings) in scope
    SEE_ORGANISATION = "see_organisation"        # the organisation's pages (a commander: its own zone)
    EDIT_ORGANISATION = "edit_organisation"      # obj: the record (a commander: its zone's teams, pairings, 1×5 …)
    RUN_ASSESSMENT = "run_assessment"
    RUN_WHAT_IF = "run_what_if"                  # a changed standard beside today's, kept by name (obj: the area)
    # the evaluation round (第三方评估) and rectification (问题整改), decision 1240
    SEE_EVALUATION = "see_evaluation"            # rounds, samples, 三率一度, the masked export (obj: the round)
    DRAW_EVALUATION = "draw_evaluation"          # draw a round's sample (obj: the county)
    RECORD_EVALUATION = "record_evaluation"      # findings and the survey (obj: the round)
    MANAGE_RECTIFICATION = "manage_rectification"  # rectification items by hand, from checks; reopen (obj: region)
    LOAD_VILLAGE_FIGURES = "load_village_figures"  # a year's village population and exit facts (decision 1201)
    # administration (三员分立)
    CREATE_ACCOUNT = "create_account"
    DISABLE_ACCOUNT = "disable_account"          # obj: the account
    RESET_PASSWORD = "reset_password"            # obj: the account
    ASSIGN_ROLE = "assign_role"                  # obj: (the account, the new role)
    READ_AUDIT = "read_audit"
    RELEASE_LOCKOUT = "release_lockout"
    BACKUP = "backup"
    # --- monitoring after exit (防返贫动态监测), decision 1400: clue → village review → notice → township ---
    SEE_MONITORING = "see_monitoring"            # the case list and pages in scope
    RECORD_MONITORING_CLUE = "record_monitoring_clue"  # obj: (channel, household or None)
    REVIEW_MONITORING_CASE = "review_monitoring_case"  # 村级初审 and 村内公示, or 不纳入 there (obj: the case)
    APPROVE_MONITORING_CASE = "approve_monitoring_case"  # 乡镇审核确定, or 不纳入 there (obj: the case)
    RECORD_MONITORING_MEASURE = "record_monitoring_measure"  # 帮扶措施, each routed as a task (obj: the case)
    REMOVE_MONITORING_RISK = "remove_monitoring_risk"  # 风险消除 (obj: the case)
    # the risk score (early warning beside the monitoring rules, decision 1421)
    SEE_RISK_SCORES = "see_risk_scores"          # the ranked list of households and their factors, in scope
    TRAIN_RISK_MODEL = "train_risk_model"        # train and validate the county's model on its registry
    # after exit (四个不摘), decision 1412
    SEE_AFTER_EXIT = "see_after_exit"            # the four-not-removes page of one's county or war zone
    # education and medical aid paid per person (教育资助, 医疗救助), decision 1530
    SEE_AID = "see_aid"                          # payments of the persons in scope (a department: its own)
    RECORD_AID = "record_aid"                    # record or import payments (obj: the kind's paying domains)
    SEE_AID_FIGURES = "see_aid_figures"          # the county's totals by kind, year and township
    # campaigns (攻坚行动, e.g. 653 百日攻坚), decision 1535
    SEE_CAMPAIGNS = "see_campaigns"              # campaigns and their board, for the account's area
    MANAGE_CAMPAIGN = "manage_campaign"          # create a campaign, its targets and participants
    RECORD_CAMPAIGN_PROGRESS = "record_campaign_progress"  # a day's progress of a village (obj: the village)
    # asset income (资产收益): PV stations' and livestock bases' ledgers, decision 1513
    SEE_ASSET_INCOME = "see_asset_income"        # station pages, the county's list, the posting (obj: the project)
    RECORD_ASSET_INCOME = "record_asset_income"  # revenue, plans, payments and reversals (obj: the project)
    # funds and projects (资金和项目), decision 1501
    SEE_PROJECTS = "see_projects"                # the project list and pages in scope (obj: the project)
    SEE_FUNDS = "see_funds"                      # the funds and the ledger (a commander: its zone's projects)
    RECORD_FUNDS = "record_funds"                # funds, allocations, spendings, reversals; their import
    RECORD_PROJECTS = "record_projects"          # projects, budget, progress, checks, handovers (obj: the project)
    # housing renovation (危房改造) as a workflow, decision 1522
    SEE_HOUSING = "see_housing"                  # the renovation list, figures and pages in scope (obj: household)
    RECORD_HOUSING_STAGE = "record_housing_stage"  # obj: (stage, household): HOUSING_STAGE_OWNERS
    # every policy to every eligible person (倒查正推), decision 1554
    SEE_COVERAGE = "see_coverage"                # coverage per policy and area, gaps and signals (obj: a policy code)
    # department rosters (部门数据, 倒查正推), decision 1542
    SEE_ROSTERS = "see_rosters"                  # the rosters and their entries in reach (obj: the kind's domains)
    IMPORT_ROSTER = "import_roster"              # upload a roster (obj: the kind's owning domains)
    REVIEW_ROSTER_MATCH = "review_roster_match"  # confirm or reject a match by likeness (obj: the roster entry)
    # the structured visit (走访), decision 1560: answers that contradict the registry become proposed changes
    REVIEW_PROPOSED_CHANGE = "review_proposed_change"  # accept or reject one (obj: the change)
    # signals that figures may be gamed (数字脱贫), decision 1593
    SEE_SIGNALS = "see_signals"                  # the findings in scope (obj: the finding)
    RUN_SIGNALS = "run_signals"                  # run the signal rules, keep the findings, route verification tasks


A = Action
EDITORS = frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE})
VILLAGE_UP = frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY})

# The roles that may take each action at all; an object-level rule below may narrow it further.
ROLES: dict[str, frozenset] = {
    A.SEE_HOUSEHOLDS: BUSINESS_ROLES,
    A.SEE_ID_NUMBERS: frozenset({R.COUNTY_ADMIN}),
    A.SEE_AREA_FIGURES: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.DEPARTMENT, R.EVALUATOR}),
    A.EDIT_REGISTRY: EDITORS,
    # A pairing cadre is scored on its households meeting the standard, so it does not record the figures that
    # decide it; the village (first secretary), township and county do (decision 1101).
    A.EDIT_YEARLY_RECORD: VILLAGE_UP,
    A.REGISTER_HOUSEHOLD: VILLAGE_UP,
    A.IMPORT_REGISTRY: VILLAGE_UP,  # an import writes yearly records too (decision 1101)
    A.EXPORT_REGISTRY: BUSINESS_ROLES,  # what is exported is the account's scope
    A.EXPORT_UNMASKED: frozenset({R.COUNTY_ADMIN}),
    A.PRINT_NOTICE_LIST: VILLAGE_UP,
    A.PROPOSE_EXIT: VILLAGE_UP,
    A.PROPOSE_IDENTIFICATION: VILLAGE_UP,
    A.PROPOSE_RETURN: VILLAGE_UP,
    A.RECORD_STAGE: VILLAGE_UP,
    A.PROPOSE_AREA_EXIT: VILLAGE_UP,
    A.RECORD_AREA_STAGE: VILLAGE_UP,
    # Objections reach the village, the township, or the county office's complaint line printed on every notice.
    A.RECORD_OBJECTION: VILLAGE_UP,
    A.WORK_ON_TASKS: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE, R.DEPARTMENT}),
    A.COMPLETE_TASK: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE, R.DEPARTMENT}),
    A.CREATE_TASK: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE}),
    A.SYNC_TASKS: frozenset({R.COUNTY_ADMIN}),
    A.RECORD_VISIT: EDITORS,
    # Those who walk to the households: a county's or a township's list would not fit a phone's cache.
    A.USE_FIELD_APP: frozenset({R.FIRST_SECRETARY, R.CADRE}),
    A.COUNTY_BOARD: frozenset({R.COUNTY_ADMIN}),
    # The county office, and a war zone's commanders — the commander account of the township, or the county leader
    # in charge and the Party secretary named in the war zone, who log in with their cadre accounts.
    A.JUDGE_ASSESSMENT: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.CADRE}),
    A.IMPORT_ORGANISATION: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    A.SEE_ORGANISATION: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    # The county office keeps the whole organisation; a war-zone commander keeps what lies in its township (its
    # villages' pairings and work teams, its 1×5 groups and trips, its responsibility lists), not the county-wide
    # records (units, cadres, groups, the war zones themselves) — decision 1220.
    A.EDIT_ORGANISATION: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    A.RUN_ASSESSMENT: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.EVALUATOR, R.DEPARTMENT}),
    # Those who propose a change of standard: the county office for the county or a township, a war zone's commander
    # for its township; not the third party who evaluates the county nor a department (decision 1601).
    A.RUN_WHAT_IF: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    # The county office prepares a round and reads it; only the third party records what it found (decision 1240).
    A.SEE_EVALUATION: frozenset({R.COUNTY_ADMIN, R.EVALUATOR}),
    A.DRAW_EVALUATION: frozenset({R.COUNTY_ADMIN, R.EVALUATOR}),
    A.RECORD_EVALUATION: frozenset({R.EVALUATOR}),
    A.MANAGE_RECTIFICATION: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    # The denominator of the incidence: kept by the county office, not by those whose incidence it decides.
    A.LOAD_VILLAGE_FIGURES: frozenset({R.COUNTY_ADMIN}),
    A.CREATE_ACCOUNT: frozenset({R.SYSTEM_ADMIN}),
    A.DISABLE_ACCOUNT: frozenset({R.SYSTEM_ADMIN}),
    A.RESET_PASSWORD: frozenset({R.SYSTEM_ADMIN}),
    A.ASSIGN_ROLE: frozenset({R.SECURITY_ADMIN}),
    A.READ_AUDIT: frozenset({R.AUDIT_ADMIN}),
    A.RELEASE_LOCKOUT: frozenset({R.SECURITY_ADMIN}),
    A.BACKUP: frozenset({R.SYSTEM_ADMIN}),
    # --- monitoring after exit (decision 1400). A clue comes from a pairing cadre's visit, the village, the township,
    # the county office or a department's data (a department's alert, matched on the ID number it names); the
    # village reviews and posts the notice, the township decides and removes the risk; the county office may
    # record every stage in its county from the paper record.
    A.SEE_MONITORING: EDITORS,
    A.RECORD_MONITORING_CLUE: frozenset({*EDITORS, R.DEPARTMENT}),
    A.REVIEW_MONITORING_CASE: frozenset({R.FIRST_SECRETARY, R.COUNTY_ADMIN}),
    A.APPROVE_MONITORING_CASE: frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
    A.RECORD_MONITORING_MEASURE: EDITORS,
    A.REMOVE_MONITORING_RISK: frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
    # A ranking of households to visit first: for those who send the visits, the county office and the war zones.
    A.SEE_RISK_SCORES: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    A.TRAIN_RISK_MODEL: frozenset({R.COUNTY_ADMIN}),
    # ---- After exit (四个不摘), decision 1412 -------------------------------------------------------------------
    # The four-not-removes page reads the whole county for the county office and one war zone for its commander
    # (the scoping layer); its flags are what they answer for. A village (first secretary) or a cadre answers
    # for the items the flags become, on its task list, not for the county's check: refused (403).
    A.SEE_AFTER_EXIT: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    # ---- Aid paid per person (decision 1530) ----------------------------------------------------------------------
    # A department pays the kinds of its domain (aid.toml) and records those; the county office keys in any kind
    # from the departments' lists. Those who work on households read the payments of the households they reach.
    A.SEE_AID: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.CADRE, R.DEPARTMENT}),
    A.RECORD_AID: frozenset({R.COUNTY_ADMIN, R.DEPARTMENT}),
    A.SEE_AID_FIGURES: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.DEPARTMENT}),
    # The county office sees every policy, a commander its war zone's, a department its domain's (decision 1554).
    A.SEE_COVERAGE: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.DEPARTMENT}),
    # ---- Campaigns (decision 1535) ----------------------------------------------------------------------------------
    # The county office sets a campaign and its targets; the township and the village report their area's progress.
    A.SEE_CAMPAIGNS: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY}),
    A.MANAGE_CAMPAIGN: frozenset({R.COUNTY_ADMIN}),
    A.RECORD_CAMPAIGN_PROGRESS: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY}),
    # ---- Asset income (资产收益), decision 1513 --------------------------------------------------------------------
    # The county office and the village work team keep a station's ledger; a war zone's commanders read those of
    # their zone. A pairing cadre sees its households' payments on the household page (SEE_HOUSEHOLDS), not the
    # ledgers. A base serves several villages: the county office keeps it.
    A.SEE_ASSET_INCOME: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY}),
    A.RECORD_ASSET_INCOME: frozenset({R.COUNTY_ADMIN, R.FIRST_SECRETARY}),
    # ---- Funds and projects, decision 1501 ---------------------------------------------------------------------
    # The county office keeps the funds and the projects (the finance bureau's and the poverty office's books); a
    # war zone's commander reads its zone's projects and what was allocated and spent on them; a village's work
    # team reads the projects serving its village. Departments, cadres and the evaluator: none.
    A.SEE_PROJECTS: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY}),
    A.SEE_FUNDS: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    A.RECORD_FUNDS: frozenset({R.COUNTY_ADMIN}),
    A.RECORD_PROJECTS: frozenset({R.COUNTY_ADMIN}),
    # ---- Housing renovation (危房改造), decision 1522: who records which stage is HOUSING_STAGE_OWNERS ------------
    # A department: only the housing department (住建, HOUSING_DOMAIN), on the county's renovations (decision 1611).
    A.SEE_HOUSING: frozenset({*VILLAGE_UP, R.DEPARTMENT}),
    A.RECORD_HOUSING_STAGE: frozenset({*VILLAGE_UP, R.DEPARTMENT}),
    # ---- Department rosters (倒查正推), decision 1542 ----------------------------------------------------------------
    # A department uploads and reads the kinds its domain owns (rosters.toml); the county office uploads any kind from
    # a department's paper list and reads all. A township (commander) and a village (first secretary) read, not
    # upload: the entries matched to the households they reach. Cadres and the evaluator: none.
    A.SEE_ROSTERS: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.DEPARTMENT}),
    A.IMPORT_ROSTER: frozenset({R.COUNTY_ADMIN, R.DEPARTMENT}),
    # A match by likeness is confirmed or rejected by whoever reads the row (decision 1543): the department that keeps
    # the roster, the county office, or the township and village who know the person the linker proposed.
    A.REVIEW_ROSTER_MATCH: frozenset({R.COUNTY_ADMIN, R.COMMANDER, R.FIRST_SECRETARY, R.DEPARTMENT}),
    # ---- The structured visit (decision 1560) -------------------------------------------------------------------
    # A visit's answers never write the registry: what contradicts it is reviewed by the village's first secretary
    # (who keeps its yearly records), or by the county office from the paper record. A structured visit is
    # recorded under RECORD_VISIT, like the blank form.
    A.REVIEW_PROPOSED_CHANGE: frozenset({R.FIRST_SECRETARY, R.COUNTY_ADMIN}),
    # ---- Signals that figures may be gamed (数字脱贫), decision 1593 ------------------------------------------------
    # The county office runs the rules and reads its county's findings; a war zone's commander reads its township's
    # (its verification tasks reach it as any task). Villages, cadres, departments and the evaluator: none — the
    # signals question the figures those who record them are scored on. No account sees a finding naming its own cadre.
    A.SEE_SIGNALS: frozenset({R.COUNTY_ADMIN, R.COMMANDER}),
    A.RUN_SIGNALS: frozenset({R.COUNTY_ADMIN}),
}

# A renovation's stages (decision 1522): the village work team records the inspector's report, the option chosen
# with the household and the start of the works; the township holds the acceptance (竣工验收) and records the
# re-inspection that makes the house safe, so the team that runs the works does not pass them; the county office
# approves the option and its subsidy (the subsidy is county money) and may record any stage from the paper record.
# The housing department (住建) records its technical stages — the safety inspection (鉴定) and the acceptance of the
# works (竣工验收) — anywhere in its county; not the option (the household's, with the village), the approval (the
# county's money), the works, nor the inspection after them: graded safe, that one writes the household's yearly
# records, which only those who keep the registry edit (decision 1101); the township or the county office enters
# it from the department's report (decision 1611). "department" below means the housing department only: another
# department's account records no stage (`_housing_department`).
HOUSING_DOMAIN = "housing"  # Unit.domain of 住房和城乡建设局 (the organisation import's 住建)
HOUSING_STAGE_OWNERS = {
    "inspected": frozenset({R.FIRST_SECRETARY, R.COMMANDER, R.COUNTY_ADMIN, R.DEPARTMENT}),
    "option_chosen": frozenset({R.FIRST_SECRETARY, R.COMMANDER, R.COUNTY_ADMIN}),
    "approved": frozenset({R.COUNTY_ADMIN}),
    "works": frozenset({R.FIRST_SECRETARY, R.COMMANDER, R.COUNTY_ADMIN}),
    "accepted": frozenset({R.COMMANDER, R.COUNTY_ADMIN, R.DEPARTMENT}),
    "safe": frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
}

# The stage each role records (民主评议 and 公示 in the village, 审核 in the township, 审定 and 公告 in the county).
# The county office keeps the registry and may enter any stage from the paper record of the body that held it
# (the step names that body, `by_name`); a village or township records only its own stages.
# The same owners for identification (its second notice is posted in the village too) and returns (decision 1232).
STAGE_OWNERS = {
    "democratic_review": frozenset({R.FIRST_SECRETARY, R.COUNTY_ADMIN}),
    "public_notice": frozenset({R.FIRST_SECRETARY, R.COUNTY_ADMIN}),
    "township_review": frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
    "second_notice": frozenset({R.FIRST_SECRETARY, R.COUNTY_ADMIN}),
    "county_approval": frozenset({R.COUNTY_ADMIN}),
    "announced": frozenset({R.COUNTY_ADMIN}),
}
# A village's exit: the village applies, the township reviews and posts the notice within the township, the county
# approves and announces. A county's exit: the county office applies and records what the city and the province
# decided (the province's verification with its evaluation round). The county office may enter any stage from the
# paper record, as for households (decision 1233).
AREA_PROPOSERS = {
    "village": frozenset({R.FIRST_SECRETARY, R.COMMANDER, R.COUNTY_ADMIN}),
    "county": frozenset({R.COUNTY_ADMIN}),
}
AREA_STAGE_OWNERS = {
    ("village", "township_review"): frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
    ("village", "public_notice"): frozenset({R.COMMANDER, R.COUNTY_ADMIN}),
    ("village", "county_approval"): frozenset({R.COUNTY_ADMIN}),
    ("village", "announced"): frozenset({R.COUNTY_ADMIN}),
    ("county", "city_review"): frozenset({R.COUNTY_ADMIN}),
    ("county", "province_verification"): frozenset({R.COUNTY_ADMIN}),
    ("county", "public_notice"): frozenset({R.COUNTY_ADMIN}),
    ("county", "announced"): frozenset({R.COUNTY_ADMIN}),
}


class Refused(PermissionDenied):
    """The permission layer said no. `reason` is for the person refused, in plain words."""

    def __init__(self, account, action: str, reason: str):
        super().__init__(reason)
        self.account, self.action, self.reason = account, action, reason


def scope_missing(account) -> str:
    """Why the account's role cannot work yet ("" when it can): every role that reads personal data needs the
    region, cadre or unit it works on. An account without one sees nothing — never everything."""
    return missing_scope_field(account)[1]


def missing_scope_field(account) -> tuple[str, str]:
    """(the account's field that is missing or wrong, why), or ("", "") when the role has its scope."""
    from tuopin.apps.geo.models import Level

    role = account.role
    need_region = {R.COUNTY_ADMIN: Level.COUNTY, R.COMMANDER: Level.TOWNSHIP, R.FIRST_SECRETARY: Level.VILLAGE,
                   R.EVALUATOR: Level.COUNTY, R.DEPARTMENT: Level.COUNTY}.get(role)
    if need_region is not None:
        if account.region_id is None:
            return "region", _("no region assigned")
        if account.region.level != need_region:
            return "region", _("the role works on a %(need)s, not a %(level)s") % {
                "need": Level(need_region).label, "level": account.region.get_level_display()}
    if role == R.CADRE and account.cadre_id is None:
        return "cadre", _("no cadre linked")
    if role == R.DEPARTMENT and account.department_id is None:
        return "department", _("no department linked")
    if role not in BUSINESS_ROLES and role not in ADMINISTRATIVE_ROLES:
        return "role", _("no role assigned")
    return "", ""


def remember_reach(account, household_pk: int) -> None:
    """The scoping layer has just found this household for the account: no need to ask again."""
    if account is not None:
        account.__dict__.setdefault("_households_reached", {})[household_pk] = True


def _reach_household(account, household) -> str:
    from .scoping import households_visible_to

    # One page asks several actions of the same household: the answer is kept on the account object, which
    # lives for one request (or one command).
    reached = account.__dict__.setdefault("_households_reached", {})
    if household.pk not in reached:
        reached[household.pk] = households_visible_to(account).filter(pk=household.pk).exists()
    return "" if reached[household.pk] else _("the household is outside your area")


def _reach_task(account, task) -> str:
    from .scoping import tasks_visible_to

    if not tasks_visible_to(account).filter(pk=task.pk).exists():
        return _("the task is outside your area")
    # A task owned by a cadre is that cadre's to report done: others see it and follow it up, not complete it.
    if task.owner_cadre_id is not None and task.owner_cadre_id != account.cadre_id:
        return _("this task is owned by a pairing cadre; only that cadre reports it done")
    return ""


def _judge(account, assessment) -> str:
    from tuopin.apps.assistance.scoring import zone_townships_of
    from tuopin.apps.organisation.selectors import zone_townships_commanded_by

    if account.role == R.COUNTY_ADMIN or set(zone_townships_commanded_by(account)) & zone_townships_of(assessment):
        return ""
    return _("only a commander of the war zone the unit or team serves in (or the county office) may propose or "
             "veto its assessment")


def _own_county(account, obj) -> str:
    """An evaluation round (or the county drawn) is the account's when it is the county the account works on."""
    county_id = getattr(obj, "county_id", None) or getattr(obj, "pk", None)
    return "" if county_id == account.region_id else _("the evaluation round is of another county")


def _reach_region(account, region) -> str:
    """A region or household inside the account's area (a rectification item's place, a notice's)."""
    from .scoping import regions_visible_to

    if hasattr(region, "village_id"):  # a household
        return _reach_household(account, region)
    return "" if regions_visible_to(account).filter(pk=region.pk).exists() else _("the place is outside your area")


def _organisation_record(account, record) -> str:
    from tuopin.apps.organisation.selectors import township_id_of

    if account.role == R.COUNTY_ADMIN:
        return ""
    township = township_id_of(record)
    if township is None:
        return _("only the county office edits the county-wide organisation (units, cadres, groups, "
                            "war zones)")
    return "" if township == account.region_id else _("the record lies outside your war zone")


def _stage(account, stage) -> str:
    owners = STAGE_OWNERS.get(str(stage), frozenset())
    return "" if account.role in owners else _("your role does not record this stage")


def _area_propose(account, kind) -> str:
    return "" if account.role in AREA_PROPOSERS.get(str(kind), frozenset()) else \
        _("your role does not apply for this exit")


def _area_stage(account, kind_and_stage) -> str:
    kind, stage = kind_and_stage
    owners = AREA_STAGE_OWNERS.get((str(kind), str(stage)), frozenset())
    return "" if account.role in owners else _("your role does not record this stage")


def _disable(account, target) -> str:
    if target.pk == account.pk:
        return _("an administrator cannot disable their own account")
    if target.role in ADMINISTRATIVE_ROLES:
        return _("an administrator's account is not disabled by another administrator (三员分立)")
    return ""


def _reset(account, target) -> str:
    if target.pk == account.pk:
        return _("an administrator changes their own password on the password page, not by a reset")
    if target.role in ADMINISTRATIVE_ROLES:
        return _("an administrator's password is not reset by another administrator (三员分立)")
    return ""


def _assign(account, target_and_role) -> str:
    target, role = target_and_role
    if target.pk == account.pk:
        return _("an administrator cannot change their own role")
    if target.role in ADMINISTRATIVE_ROLES:
        return _("an administrator's role is not changed from inside the system (三员分立)")
    if role in ADMINISTRATIVE_ROLES:
        return _("administrative roles are not granted from inside the system (三员分立)")
    if role not in BUSINESS_ROLES and role != R.UNASSIGNED:
        return _("unknown role %(role)r") % {"role": role}
    return ""


def _monitoring_clue(account, channel_and_household) -> str:
    """A department records only its alerts, matched on an ID number (it reaches no household); the others record
    clues of the households they reach, a department's alert only when the county office keys one in from paper."""
    channel, household = channel_and_household
    if account.role == R.DEPARTMENT:
        return "" if channel == "department_alert" else _("a department records its alerts only")
    if channel == "department_alert" and account.role != R.COUNTY_ADMIN:
        return _("a department's alert is recorded by the department or the county office")
    return _reach_household(account, household) if household is not None else ""


def _reach_case(account, case) -> str:
    from .scoping import monitoring_cases_visible_to

    return "" if monitoring_cases_visible_to(account).filter(pk=case.pk).exists() else \
        _("the case is outside your area")


def _aid_payer(account, domains) -> str:
    """A department records the kinds its domain pays (`domains`: the kind's paying domains, from aid.toml)."""
    if account.role != R.DEPARTMENT:
        return ""
    domain = account.department.domain if account.department_id else ""
    return "" if domain and domain in domains else _("your department does not pay this kind of aid")


def _policy_domain(account, policy: str) -> str:
    """A department sees the coverage of the policies its domain delivers (policies.toml)."""
    if account.role != R.DEPARTMENT:
        return ""
    from tuopin.standards.policies import catalogue

    domain = account.department.domain if account.department_id else ""
    entry = catalogue().get(policy)
    return "" if entry and domain and entry.domain == domain else _("your department does not deliver this policy")


def _roster_owner(account, domains) -> str:
    """A department works on the roster kinds its domain owns (`domains`: the kind's owners, from rosters.toml)."""
    if account.role != R.DEPARTMENT:
        return ""
    domain = account.department.domain if account.department_id else ""
    return "" if domain and domain in domains else _("your department does not keep this kind of roster")


def _reach_roster_entry(account, entry) -> str:
    from .scoping import roster_entries_visible_to

    return "" if roster_entries_visible_to(account).filter(pk=entry.pk).exists() else \
        _("the roster's row is outside your reach")


def _reach_proposed_change(account, change) -> str:
    return _reach_household(account, change.household)


def _reach_project(account, project) -> str:
    from .scoping import projects_visible_to

    return "" if projects_visible_to(account).filter(pk=project.pk).exists() else \
        _("the project is outside your area")


def _reach_ledger(account, project) -> str:
    from .scoping import ledger_projects_visible_to

    return "" if ledger_projects_visible_to(account).filter(pk=project.pk).exists() else \
        _("a village the project serves is outside your area")


def _own_fund(account, fund) -> str:
    return "" if fund.county_id in (None, account.region_id) else _("the fund is another county's")


def _housing_department(account) -> str:
    """Of the departments, only the housing department works on renovations (decision 1611)."""
    if account.role != R.DEPARTMENT:
        return ""
    domain = account.department.domain if account.department_id else ""
    return "" if domain == HOUSING_DOMAIN else _("your department does not work on housing renovations")


def _reach_housing_household(account, household) -> str:
    from .scoping import housing_households_visible_to

    if account.role != R.DEPARTMENT:
        return _reach_household(account, household)
    return "" if housing_households_visible_to(account).filter(pk=household.pk).exists() else \
        _("the household is outside your area")


def _see_housing(account, household_or_region) -> str:
    """The renovations of a household, or of an area (a region: the list), the account reaches."""
    refused = _housing_department(account)
    if refused:
        return refused
    if hasattr(household_or_region, "village_id"):  # a household
        return _reach_housing_household(account, household_or_region)
    if household_or_region.pk == account.region_id:  # the account's own area (the menu asks on every page)
        return ""
    return _reach_region(account, household_or_region)


def _housing_stage(account, stage_and_household) -> str:
    stage, household = stage_and_household
    if account.role not in HOUSING_STAGE_OWNERS.get(str(stage), frozenset()):
        return _("your role does not record this stage")
    refused = _housing_department(account)
    if refused:
        return refused
    return _reach_housing_household(account, household)


def _reach_finding(account, finding) -> str:
    from tuopin.apps.organisation.selectors import code_prefix

    if account.cadre_id and account.cadre_id in (finding.cadres or []):
        return _("the signal is about yourself")
    if account.region is None or not finding.township.code.startswith(code_prefix(account.region)):
        return _("the signal is outside your area")
    return ""


# Object-level rules: (account, obj) → the reason for refusing, or "".
OBJECT_RULES: dict[str, Callable[..., str]] = {
    A.EDIT_REGISTRY: _reach_household,
    A.EDIT_YEARLY_RECORD: _reach_household,
    A.RECORD_VISIT: _reach_household,
    A.SEE_HOUSEHOLDS: _reach_household,
    A.COMPLETE_TASK: _reach_task,
    A.CREATE_TASK: _reach_household,
    A.RECORD_STAGE: _stage,
    A.PROPOSE_AREA_EXIT: _area_propose,
    A.RECORD_AREA_STAGE: _area_stage,
    A.SEE_EVALUATION: _own_county,
    A.DRAW_EVALUATION: _own_county,
    A.RECORD_EVALUATION: _own_county,
    A.MANAGE_RECTIFICATION: _reach_region,
    A.RUN_WHAT_IF: _reach_region,
    A.RECORD_OBJECTION: _reach_region,
    A.EDIT_ORGANISATION: _organisation_record,
    A.JUDGE_ASSESSMENT: _judge,
    A.DISABLE_ACCOUNT: _disable,
    A.RESET_PASSWORD: _reset,
    A.ASSIGN_ROLE: _assign,
    A.RECORD_MONITORING_CLUE: _monitoring_clue,
    A.REVIEW_MONITORING_CASE: _reach_case,
    A.APPROVE_MONITORING_CASE: _reach_case,
    A.RECORD_MONITORING_MEASURE: _reach_case,
    A.REMOVE_MONITORING_RISK: _reach_case,
    A.SEE_MONITORING: _reach_case,
    A.RECORD_AID: _aid_payer,
    A.SEE_COVERAGE: _policy_domain,
    A.RECORD_CAMPAIGN_PROGRESS: _reach_region,
    A.SEE_ASSET_INCOME: _reach_ledger,
    A.RECORD_ASSET_INCOME: _reach_ledger,
    A.SEE_PROJECTS: _reach_project,
    A.RECORD_PROJECTS: _reach_project,
    A.RECORD_FUNDS: _own_fund,
    A.SEE_HOUSING: _see_housing,
    A.RECORD_HOUSING_STAGE: _housing_stage,
    A.SEE_ROSTERS: _roster_owner,
    A.IMPORT_ROSTER: _roster_owner,
    A.REVIEW_ROSTER_MATCH: _reach_roster_entry,
    A.REVIEW_PROPOSED_CHANGE: _reach_proposed_change,
    A.SEE_SIGNALS: _reach_finding,
}


def refusal(account, action: str, obj=None) -> str:
    """The reason `account` may not take `action` (on `obj`), or "" when it may."""
    if action not in ROLES:
        raise KeyError(f"unknown action {action!r}")
    if account is None:
        return ""  # the system's own jobs (see the module's docstring)
    if not getattr(account, "is_authenticated", False) or not account.is_active:
        return _("not logged in")
    if account.role not in ROLES[action]:
        return _("the role %(role)s may not do this") % {"role": account.get_role_display()}
    missing = scope_missing(account)
    if missing:
        return _("the account cannot work yet: %(missing)s") % {"missing": missing}
    rule = OBJECT_RULES.get(action)
    if rule is not None and obj is not None:
        return rule(account, obj)
    return ""


def may(account, action: str, obj=None) -> bool:
    return not refusal(account, action, obj)


def require(account, action: str, obj=None) -> None:
    """Raise `Refused` unless the account may take the action."""
    reason = refusal(account, action, obj)
    if reason:
        raise Refused(account, action, reason)


def roles_for(action: str) -> frozenset:
    return ROLES[action]
