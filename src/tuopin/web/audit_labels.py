"""The audit trail's codes in the reader's language (decision 1263).

The trail stores codes — `login`, `exit:township_review`, `registry.household`, `cli` — which `tuopin audit`
prints as they are (its JSON is a contract). The audit page shows each as words; a code added later without a
label here is shown as the code itself, never hidden, so the page stays complete while the list catches up.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy as p

from . import labels

ACTION_LABELS = {
    # accounts and sessions
    "login": p("audit action", "login"),
    "logout": p("audit action", "logout"),
    "login_failed": p("audit action", "failed login"),
    "locked_out": p("audit action", "account locked after failed logins"),
    "lockout_release": p("audit action", "lock released"),
    "access_refused": p("audit action", "access refused"),
    "refused": p("audit action", "request refused"),
    "id_number_refused": p("audit action", "ID-number lookup refused"),
    "account_create": p("audit action", "account created"),
    "account_disable": p("audit action", "account disabled"),
    "password_reset": p("audit action", "password reset"),
    "account_scope": p("audit action", "role and scope set"),
    "grant_personal_data": p("audit action", "access to personal data granted"),
    "totp_enrol": p("audit action", "second factor enrolled"),
    "totp_enrol_failed": p("audit action", "second factor enrolment failed"),
    # reads, documents, commands, the database
    "read": p("audit action", "personal data read"),
    "export": p("audit action", "export"),
    "command": p("audit action", "command run"),
    "backup": p("audit action", "backup"),
    "restore": p("audit action", "restore"),
    "reset": p("audit action", "database emptied"),
    "demo_build": p("audit action", "demo data built"),
    "regions_load": p("audit action", "divisions loaded"),
    # records
    "create": p("audit action", "created"),
    "update": p("audit action", "changed"),
    "delete": p("audit action", "deleted"),
    "end": p("audit action", "ended"),
    "leave": p("audit action", "member left the household"),
    "merge": p("audit action", "households merged"),
    "register": p("audit action", "family registered to apply for identification"),
    "village_figures_load": p("audit action", "village figures loaded"),
    "import": p("audit action", "registry import"),
    "org_import": p("audit action", "pairings imported"),
    # accountability
    "complete": p("audit action", "completed"),
    "evidence": p("audit action", "evidence added"),
    "tasks_sync": p("audit action", "gap tasks synchronised"),
    "tasks_templates": p("audit action", "\"4+4\" tasks generated"),
    "tasks_completed": p("audit action", "tasks reported done"),
    "mutual_group_trip": p("audit action", "1×5 group visit"),
    "assessments_compute": p("audit action", "assessments scored"),
    "assessment_proposal": p("audit action", "commander's proposal"),
    "assessment_veto": p("audit action", "assessment vetoed"),
    "assessment_save": p("audit action", "assessment saved"),
    # procedures and evaluation
    "exit_procedure": p("audit action", "exit procedure"),
    "evaluation_sample": p("audit action", "evaluation sample drawn"),
    "evaluation_finding": p("audit action", "evaluation finding recorded"),
    "evaluation_findings": p("audit action", "evaluation findings recorded"),
    "evaluation_survey": p("audit action", "evaluation survey recorded"),
}

# "<prefix>:<code>" actions: a procedure's stage, a household's status change.
PREFIX_LABELS = {
    "exit": (p("audit action", "household exit"), "Stage"),
    "village_exit": (p("audit action", "village exit"), "Stage"),
    "county_exit": (p("audit action", "county exit"), "Stage"),
    "identification": (p("audit action", "identification"), "Stage"),
    "event": (p("audit action", "status change"), "EventKind"),
}

SOURCE_LABELS = {
    "web": p("audit source", "web page"),
    "api": p("audit source", "API"),
    "cli": p("audit source", "command line"),
    "import": p("audit source", "import"),
    "demo": p("audit source", "demo generator"),
}

ENTITY_LABELS = {
    "accounts.user": p("audit entity", "account"),
    "registry.household": p("audit entity", "household"),
    "registry.person": p("audit entity", "person"),
    "registry.householdyear": p("audit entity", "household's yearly record"),
    "registry.personyear": p("audit entity", "person's yearly record"),
    "registry.statusevent": p("audit entity", "status event"),
    "registry.noticeobjection": p("audit entity", "objection to a notice"),
    "registry.procedurestep": p("audit entity", "procedure stage"),
    "geo.region": p("audit entity", "region"),
    "organisation.unit": p("audit entity", "unit"),
    "organisation.cadre": p("audit entity", "cadre"),
    "organisation.cadrehouseholdpairing": p("audit entity", "cadre–household pairing"),
    "organisation.unitvillagepairing": p("audit entity", "unit–village pairing"),
    "organisation.workteam": p("audit entity", "work team"),
    "organisation.mutualgroup": p("audit entity", "1×5 mutual group"),
    "organisation.warzone": p("audit entity", "war zone"),
    "assistance.task": p("audit entity", "task"),
    "assistance.visit": p("audit entity", "visit"),
    "assistance.assessment": p("audit entity", "assessment"),
    "assistance.responsibilityitem": p("audit entity", "responsibility item"),
    "assessment.assessmentrun": p("audit entity", "assessment run"),
    "evaluation.evaluationround": p("audit entity", "evaluation round"),
    "evaluation.sampledhousehold": p("audit entity", "sampled household"),
    "audit.auditevent": p("audit entity", "audit trail"),
}


def action_label(code: str) -> str:
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    prefix, _, rest = (code or "").partition(":")
    if rest and prefix in PREFIX_LABELS:
        name, enum = PREFIX_LABELS[prefix]
        known = rest in labels.LABELS[enum]
        return str(p("audit action", "%(what)s: %(detail)s") % {
            "what": name, "detail": labels.label(enum, rest) if known else rest})
    return code


def source_label(code: str) -> str:
    return str(SOURCE_LABELS.get(code, code))


def entity_label(code: str) -> str:
    return str(ENTITY_LABELS.get(code, code))


def action_choices(present) -> list[tuple[str, str]]:
    """The action filter's choices: every code in the trail (`present`) and every labelled one, by label."""
    codes = set(ACTION_LABELS) | {c for c in present if c}
    return sorted(((c, action_label(c)) for c in codes), key=lambda kv: kv[1])
