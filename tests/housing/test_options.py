"""The options compared as the seed county compared them (decision 1521): cost and the floor area lived in
afterwards, from the standards file — reinforcement wins for a house of a fair size, rebuilding for a cramped one."""

from decimal import Decimal

from tuopin.apps.housing import options

ZHENLAI = "220821"


def _by_code(**kw):
    return {o.code: o for o in options.compare(code=ZHENLAI, **kw)}


def test_a_d_house_of_a_fair_size_is_reinforced():
    found = _by_code(grade="D", floor_area_m2=Decimal("60"), members=3)
    assert [c for c, o in found.items() if o.open] == ["reinforce", "rebuild", "relocate"]
    assert (found["reinforce"].cost_fen, found["reinforce"].area_m2, found["reinforce"].keeps_area) == (
        1_200_000, Decimal("60"), True)
    assert (found["rebuild"].cost_fen, found["rebuild"].area_m2) == (2_500_000, Decimal("40"))  # 3 persons: 40 ㎡
    assert found["relocate"].area_m2 == Decimal("75")  # 25 ㎡ a person
    assert found["reinforce"].fen_per_m2 == 20_000  # 200 yuan a ㎡ against 625 rebuilt
    assert options.proposed(list(found.values())).code == "reinforce"
    assert found["reinforce"].status == "unverified" and found["rebuild"].status == "verified"


def test_a_cramped_house_is_better_rebuilt_and_a_c_house_only_repaired_or_moved():
    found = _by_code(grade="D", floor_area_m2=Decimal("15"), members=5)
    assert found["rebuild"].area_m2 == Decimal("65")  # 13 ㎡ a person above three
    assert options.proposed(list(found.values())).code == "rebuild"
    c_house = _by_code(grade="C", floor_area_m2=Decimal("50"), members=2)
    assert [c for c, o in c_house.items() if o.open] == ["repair", "relocate"]
    assert options.proposed(list(c_house.values())).code == "repair"


def test_the_subsidy_is_the_grades_and_never_more_than_the_cost():
    assert options.subsidy_fen("D", 3_000_000, code=ZHENLAI) == 1_400_000
    assert options.subsidy_fen("C", 400_000, code=ZHENLAI) == 400_000
    assert options.subsidy_fen("A", 400_000, code=ZHENLAI) == 0
    assert options.standard_area(1, code=ZHENLAI) == Decimal("20")
