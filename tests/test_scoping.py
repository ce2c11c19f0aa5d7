from tuopin.apps.accounts.scoping import households_visible_to, persons_visible_to, regions_visible_to


def numbers(qs):
    return sorted(qs.values_list("number", flat=True))


def test_each_role_sees_its_own_households(county):
    a = county["accounts"]
    all_numbers = numbers(county["households"][0].__class__.objects.all())
    assert numbers(households_visible_to(a["county_admin"])) == all_numbers
    assert numbers(households_visible_to(a["commander"])) == ["220821100201001", "220821100201002",
                                                                "220821100202001"]
    assert numbers(households_visible_to(a["first_secretary"])) == ["220821100201001", "220821100201002"]
    assert numbers(households_visible_to(a["cadre"])) == ["220821100201001"]
    for role in ("department", "evaluator", "system_admin", "security_admin", "audit_admin"):
        assert not households_visible_to(a[role]).exists(), role


def test_persons_follow_their_household(county):
    cadre = county["accounts"]["cadre"]
    assert {p.household.number for p in persons_visible_to(cadre)} == {"220821100201001"}


def test_commander_regions_stay_in_the_zone(county):
    codes = set(regions_visible_to(county["accounts"]["commander"]).values_list("code", flat=True))
    assert "220821100201" in codes and "220821200201" not in codes


def test_disabled_account_sees_nothing(county):
    admin = county["accounts"]["county_admin"]
    admin.is_active = False
    assert not households_visible_to(admin).exists()
