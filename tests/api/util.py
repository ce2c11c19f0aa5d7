"""Small helpers shared by the API tests."""

HOUSEHOLDS = ["220821100201001", "220821100201002", "220821100202001", "220821200201001"]
# What each role should see of the small county (tests/factories.py); the others see nothing.
VISIBLE = {
    "county_admin": HOUSEHOLDS,
    "commander": HOUSEHOLDS[:3],
    "first_secretary": HOUSEHOLDS[:2],
    "cadre": HOUSEHOLDS[:1],
}
BLIND = ("department", "evaluator", "system_admin", "security_admin", "audit_admin")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]
