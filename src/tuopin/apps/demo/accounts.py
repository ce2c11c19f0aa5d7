"""The demo accounts: one per role, with random strong passwords (only these accounts get hashes)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.hashers import make_password

from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import Role, User
from tuopin.apps.accounts.passwords import random_password as strong_password
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.organisation.models import Cadre, Unit

COMMAND_TOWNSHIP = "镇赉镇"  # the commander's war zone


def create_demo_accounts(*, reg, org, region_id: dict, seed: int) -> list[dict]:
    """Create the nine accounts; returns the rows of var/demo-accounts.json (with the clear passwords)."""
    county_code = next(r["code"] for r in reg.geo.regions if r["level"] == "county")
    township = next(t for t in reg.geo.townships if t["name"] == COMMAND_TOWNSHIP)
    secretaries = org.picks["first_secretaries"]
    village = next((v for v in reg.geo.villages if v["township_code"] == township["code"] and v["is_poor_village"]
                    and v["code"] in secretaries), None) or next(
        v for v in reg.geo.villages if v["code"] in secretaries)
    # A pairing cadre with several households, in the commander's township when there is one.
    load, where = org.picks["cadre_load"], org.picks["cadre_village"]
    ranked = sorted(load, key=lambda cid: (where[cid][:9] != township["code"][:9], -min(load[cid], 3), cid))
    cadre_id = ranked[0]
    education = Unit.objects.get(pk=org.picks["departments"]["education"])
    names = {r["code"]: r["name"] for r in reg.geo.regions}

    specs = [
        (Role.COUNTY_ADMIN, {"region_id": region_id[county_code]}, f"{names[county_code]} {county_code}"),
        (Role.COMMANDER, {"region_id": region_id[township["code"]],
                          "cadre_id": org.picks["secretaries"][township["code"]]},
         f"{township['name']} {township['code']}"),
        (Role.FIRST_SECRETARY, {"region_id": region_id[village["code"]], "cadre_id": secretaries[village["code"]]},
         f"{village['name']} {village['code']}"),
        (Role.CADRE, {"cadre_id": cadre_id},
         f"{Cadre.objects.get(pk=cadre_id).name}: {load[cadre_id]} paired households"),
        (Role.DEPARTMENT, {"department": education, "region_id": region_id[county_code]}, education.name),
        (Role.EVALUATOR, {"region_id": region_id[county_code]}, "sampled households of evaluation rounds"),
        (Role.SYSTEM_ADMIN, {}, "system administration (no household data)"),
        (Role.SECURITY_ADMIN, {}, "security administration (no household data)"),
        (Role.AUDIT_ADMIN, {}, "audit trail (no household data)"),
    ]
    passwords = [strong_password() for _ in specs]
    # The default hasher is slow on purpose; hashlib releases the GIL, so hash on both cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(make_password, passwords))
    rows = []
    for (role, links, scope), password, hashed in zip(specs, passwords, hashes):
        # The administrative roles log in with a second factor: a random secret for an authenticator app.
        secret = totp.new_secret() if str(role) in settings.TOTP_REQUIRED_ROLES else ""
        User.objects.create(username=str(role), role=role, password=hashed, totp_secret=secret, **links)
        rows.append({"role": str(role), "username": str(role), "password": password, "totp_secret": secret or None,
                     "scope": scope})
    audit_batch(actor=None, action="demo_build", entity="accounts.user", source="demo",
                batch={"seed": seed, "rows": len(rows), "usernames": [r["username"] for r in rows]},
                summary=f"demo county (seed {seed}): {len(rows)} demo accounts")
    return rows
