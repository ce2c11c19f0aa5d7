"""Eligibility per policy, coverage from the registry's columns and from rosters, and the roll-ups, on the small
county (tests/coverage/conftest.py says who lives there)."""

import datetime as dt

from tuopin.apps.assessment import live_inputs
from tuopin.apps.policy import coverage

COUNTS = ("eligible", "covered", "eligible_not_covered", "covered_not_eligible")


def _county(result, county):
    return {code: tuple(f[k] for k in COUNTS) + (f["basis"],)
            for code, f in coverage.figures(result, level="county", code=int(county["county"].code)).items()}


def test_eligibility_and_registry_coverage_per_policy(covered_county):
    result = coverage.run(year=2018, region=covered_county["county"], rows=[])
    assert _county(result, covered_county) == {
        "two_exemptions": (1, 0, 1, 0, "none"),  # the pupil; no roster, no column: not checked
        "grant_senior": (2, 0, 2, 0, "none"),  # senior high and vocational
        "yulu": (1, 0, 1, 0, "none"),  # vocational
        "basic_medical": (13, 13, 0, 0, "registry"),
        "serious_illness_insurance": (13, 13, 0, 0, "registry"),
        "medical_assistance": (13, 1, 12, 0, "registry"),  # owed to all; the disabled man has it
        "family_doctor": (13, 0, 13, 0, "registry"),
        "dibao": (7, 3, 4, 0, "registry"),  # h2 made 低保; h3's 低保 is outside the scope
        "tekun": (0, 0, 0, 0, "registry"),
        # 16–59 out of school; the man of 68 holds the column but draws (its sibling): not counted against it
        "pension_contribution": (9, 0, 9, 0, "registry"),
        "pension_drawing": (1, 1, 0, 0, "registry"),
        "disability_living": (1, 0, 1, 0, "none"),
        "disability_nursing": (1, 0, 1, 0, "none"),
        "employment": (8, 0, 8, 0, "registry"),  # the disabled man has no labour; students and the elder are out
    }


def test_a_current_roster_replaces_the_column_and_proves_the_policies_of_its_kind(covered_county):
    h1, h2, h3, _ = covered_county["households"]
    p = covered_county["persons"]
    head1, head2 = h1.members.get(relation="01"), h2.members.get(relation="01")
    rows = [(2018, "dibao", None, None, None), (2018, "dibao", head2.pk, None, None),
            (2018, "dibao", head1.pk, None, None), (2018, "dibao", h3.members.first().pk, None, None),
            (2018, "enrolment", None, None, None), (2018, "enrolment", p["pupil"].pk, None, None),
            (2018, "enrolment", p["senior"].pk, None, None), (2018, "enrolment", head1.pk, None, None),
            (2017, "medical", None, None, None)]  # another year's roster: the column stays the basis
    figures = _county(coverage.run(year=2018, region=covered_county["county"], rows=rows), covered_county)
    # the column's three are not read any more; h2's head is; h1's head is not eligible; h3 is outside the scope
    assert figures["dibao"] == (7, 1, 6, 1, "roster")
    # each pupil proves the policy they are eligible for; h1's head, eligible for neither, counts against both
    assert figures["two_exemptions"] == (1, 1, 0, 1, "roster")
    assert figures["grant_senior"] == (2, 1, 1, 1, "roster")
    assert figures["basic_medical"] == (13, 13, 0, 0, "registry")


def test_per_person_rows_say_who_is_owed_what(covered_county):
    result = coverage.run(year=2018, region=covered_county["county"], rows=[])
    rows = [r for r in result.persons.to_pylist() if r["person_id"] == covered_county["persons"]["disabled"].pk]
    owed = {r["policy"]: (r["eligible"], r["covered"]) for r in rows}
    assert owed["disability_nursing"] == (True, False) and owed["medical_assistance"] == (True, True)
    assert "employment" not in owed and "dibao" not in owed


def test_townships_and_villages_add_up_to_the_county(covered_county):
    county, (t1, t2) = covered_county["county"], covered_county["townships"]
    result = coverage.run(year=2018, region=county, rows=[])
    by_township = {t.code: coverage.figures(result, level="township", code=int(t.code)) for t in (t1, t2)}
    assert by_township[t1.code]["family_doctor"]["eligible_not_covered"] == 10
    assert by_township[t2.code]["family_doctor"]["eligible_not_covered"] == 3
    assert by_township[t2.code]["disability_nursing"]["eligible"] == 1
    assert by_township[t1.code]["disability_nursing"]["eligible"] == 0
    township = coverage.run(year=2018, region=t2, rows=[])
    assert coverage.summary(township, t2)["policies"][3] == {
        "code": "basic_medical", "name": "城乡居民基本医疗保险 (资助参保)", "eligible": 3, "covered": 3,
        "eligible_not_covered": 0, "covered_not_eligible": 0}
    village = covered_county["villages"][2]
    assert coverage.figures(result, level="village", code=int(village.code))["family_doctor"]["eligible"] == 3


def test_signals_from_death_and_asset_rosters(covered_county):
    h1, h2, h3, h4 = covered_county["households"]
    head1, head4 = h1.members.get(relation="01"), h4.members.get(relation="01")
    member2 = h2.members.exclude(relation="01").first()
    rows = [(2017, "death", head1.pk, dt.date(2017, 5, 1), None),  # died before the year: still on the record
            (2018, "death", head4.pk, dt.date(2018, 6, 1), None),  # died in it, still an active member
            (2018, "dibao", head1.pk, None, dt.date(2016, 1, 1)),  # paid in a year after the death's
            (2018, "dibao", head4.pk, None, dt.date(2018, 1, 1)),  # paid from before the death: no signal
            (2018, "vehicle", member2.pk, None, None), (2018, "vehicle", member2.pk, None, None),
            (2018, "business", h3.members.first().pk, None, None),  # not registered: not a signal
            (2019, "property", head1.pk, None, None)]  # another year
    result = coverage.run(year=2018, region=covered_county["county"], rows=rows)
    assert coverage.signal_counts(result) == {"deceased_registered": 2, "deceased_paid": 1, "vehicle": 1,
                                              "property": 0, "business": 0, "public_employee": 0}
    h4.members.filter(pk=head4.pk).update(active=False)  # the registry caught up with the death
    result = coverage.run(year=2018, region=covered_county["county"], rows=rows)
    assert coverage.signal_counts(result)["deceased_registered"] == 1


def test_roster_matches_from_rows_are_typed_as_the_layout(db):
    empty = live_inputs.roster_matches([])
    assert empty.num_rows == 0 and empty.schema.field("died_on").type.bit_width == 32
    table = live_inputs.roster_matches([(2018, "death", 7, dt.date(2018, 1, 2), None), (2018, "death", None, None, None)])
    assert table.to_pylist()[0] == {"year": 2018, "kind": "death", "person_id": 7, "died_on": dt.date(2018, 1, 2),
                                    "started_on": None}
