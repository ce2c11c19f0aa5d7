"""The policy catalogue as data, and the rule files saying what it says."""

import re

from tuopin import rules
from tuopin.standards import policies

DOMAINS = {"education", "health", "medical_insurance", "civil_affairs", "hr", "disabled_persons", "housing",
           "agriculture", "poverty"}
# rosters.toml's kinds (the roster import, decision 1541) that prove a policy delivered
ROSTER_KINDS = {"death", "dibao", "tekun", "medical", "pension", "enrolment", "disability"}


def test_every_policy_names_a_known_domain_a_roster_kind_or_column_and_a_source():
    catalogue = policies.catalogue()
    assert len(catalogue) == 14
    for code, policy in catalogue.items():
        assert policy.domain in DOMAINS, code
        assert policy.roster is None or policy.roster in ROSTER_KINDS, code
        assert policy.column is None or policy.column in policies.REGISTRY_COLUMNS, code
        assert policy.source and policy.status in ("verified", "partial", "unverified"), code
    assert policies.of_domain("civil_affairs") == ("dibao", "tekun")
    assert set(policies.roster_kinds()) == {"enrolment", "medical", "dibao", "tekun", "pension", "disability"}


def test_the_ages_are_rule_parameters():
    assert policies.ages() == {"policy_pension_from": 16, "policy_pension_drawing_from": 60, "policy_labour_from": 16,
                               "policy_labour_to": 59}
    for name in policies.ages():
        assert name in rules.placeholders("policy_eligible")


def test_every_policy_has_one_eligibility_branch_and_every_branch_is_a_policy():
    branches = re.findall(r"'(\w+)' AS policy FROM in_scope", rules.text("policy_eligible"))
    assert sorted(branches) == sorted(policies.catalogue())


def test_the_coverage_rules_read_each_policy_from_its_roster_kind_and_column():
    text = rules.text("policy_basis")
    null = r"CAST\(NULL AS VARCHAR\)"
    stated = {m[0]: (m[1] or None, m[2] or None) for m in re.findall(
        rf"SELECT '(\w+)' AS policy, (?:'(\w+)'|{null}) AS roster_kind, (?:'(\w+)'|{null}) AS registry_column", text)}
    assert stated == {code: (p.roster, p.column) for code, p in policies.catalogue().items()}
    text = rules.text("policy_coverage")
    columns = {policy: column for policy, column in re.findall(
        r"SELECT person_id, '(\w+)' AS policy FROM scope WHERE (\w+)", text)}
    assert columns == {code: p.column for code, p in policies.catalogue().items() if p.column}
