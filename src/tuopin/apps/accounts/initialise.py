"""A county's database from nothing (`tuopin init`, decision 1200): its divisions, the three administrators
(三员) and the county office's first account, each with a random first password that its holder must replace at
the first login. This is the only code that creates administrators: inside the application the system
administrator creates accounts without a role and the security administrator never grants an administrative
role (decision 1102).

The passwords exist in clear only in the accounts file, written owner-only (0600) before the transaction
commits: if the file cannot be written, no account exists either. No second-factor secret is provisioned: one in
the same file as the password would make the two factors one, so each holder enrols their own authenticator app
after changing the password (forced in the production profile, decision 0908).

"Initialised" means any account, or any row of the project's tables other than the audit trail (which records
`tuopin migrate` itself) and this county's own regions; such a database is refused and nothing is changed, the
accounts file included. Passwords are 20 random characters from `secrets` with all four character classes, in the
layout of `demo-accounts.json`. Audited: the divisions as a `regions_load` batch, each account as `account_create`
(source `cli`, no actor), and one `county_init` batch naming the county, the file, its sha256 and the usernames."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuopin.apps.audit.services import audit_batch, audit_change
from tuopin.apps.geo.data import DATA_DIR, DivisionFileError, read_divisions

from .models import Role, User
from .passwords import random_password, write_accounts_file

# The accounts `tuopin init` creates, in the order of the accounts file; username = role, as in the demo.
INITIAL_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.COUNTY_ADMIN)
# Tables that hold rows before any county is initialised: the audit trail records `tuopin migrate` itself.
LOG_TABLES = ("audit.auditevent",)


class InitRefused(Exception):
    """The database or the input does not allow an initialisation; the message says why, in the active
    language."""


@dataclass
class InitResult:
    county: object  # geo.Region
    divisions: Path
    regions: dict   # regions_load's counts
    accounts: list[dict]  # the rows of the accounts file
    accounts_file: Path


def default_accounts_file() -> Path:
    return Path(settings.VAR_DIR) / "initial-accounts.json"


def county_code(text: str) -> str:
    """The 12-digit code of a county given as 6 digits (220821) or 12 (220821000000)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) == 6:
        text += "000000"
    if not (text.isascii() and text.isdigit() and len(text) == 12 and text[6:] == "000000"
            and text[4:6] != "00"):
        raise InitRefused(_("%(code)s is not a county's division code: give its 6 digits (220821) or its 12 "
                            "(220821000000).") % {"code": text or "''"})
    return text


def packaged_divisions(code: str) -> Path | None:
    """The division file shipped for a county (src/tuopin/apps/geo/data/<6 digits>-<name>.csv), if any."""
    found = sorted(DATA_DIR.glob(f"{code[:6]}-*.csv"))
    return found[0] if found else None


def initialised_reason(code: str) -> str:
    """Why the database cannot be initialised for county `code`, or "" when it can: it must hold no account and
    no data. Audit events of earlier commands (`tuopin migrate`) do not count; nor do regions of this county's
    own tree alone (loaded by `tuopin regions load` before), since loading them again changes nothing."""
    accounts = User.objects.count()
    if accounts:
        return _("the database is already initialised: it holds %(n)d account(s). `tuopin init` only starts an "
                 "empty database; log in with the accounts it already has (or restore a backup into a new "
                 "database).") % {"n": accounts}
    Region = apps.get_model("geo", "Region")
    other_counties = list(Region.objects.filter(level="county").exclude(code=code).values_list("code", flat=True))
    if other_counties:
        return _("the database already holds the divisions of another county (%(codes)s): one database serves "
                 "one county.") % {"codes": ", ".join(other_counties)}
    for model in apps.get_models():
        label = model._meta.label_lower
        if (model._meta.app_config.name.startswith("tuopin.") and label not in LOG_TABLES
                and label != "geo.region" and model._default_manager.exists()):
            return _("the database already holds data (table %(table)s): `tuopin init` only starts an empty "
                     "database.") % {"table": model._meta.db_table}
    return ""


def _check_divisions(path: Path, code: str) -> list[dict]:
    try:
        rows = read_divisions(path)
    except FileNotFoundError:
        raise InitRefused(_("no such file: %(file)s") % {"file": path}) from None
    except (DivisionFileError, UnicodeDecodeError, KeyError, ValueError) as exc:
        raise InitRefused(_("%(file)s is not a usable division file: %(reason)s") % {
            "file": path, "reason": exc}) from None
    county = [r for r in rows if r["code"] == code]
    if not county or county[0]["level"] != "county":
        raise InitRefused(_("%(file)s does not list county %(code)s (a row with that code and level "
                            "\"county\").") % {"file": path, "code": code})
    villages = [r for r in rows if r["level"] == "village" and r["code"][:6] == code[:6]]
    if not villages:
        raise InitRefused(_("%(file)s lists no village of county %(code)s: imports match households to villages "
                            "by name, so the villages are needed.") % {"file": path, "code": code})
    return rows


def _scope_label(role: str, county) -> str:
    if role == Role.COUNTY_ADMIN:
        return f"{county.name} {county.code}"
    return {Role.SYSTEM_ADMIN: _("system administration (no household data)"),
            Role.SECURITY_ADMIN: _("security administration (no household data)"),
            Role.AUDIT_ADMIN: _("audit trail (no household data)")}[role]


def county_initialise(*, county: str, divisions: str | Path | None = None,
                      accounts_file: str | Path | None = None) -> InitResult:
    """Load the county's divisions and create its four first accounts, or raise InitRefused (nothing written).

    `divisions`: a CSV in the layout of docs/data-formats.md; by default the file packaged for the county.
    The caller runs the migrations first."""
    from tuopin.apps.geo.models import Region
    from tuopin.apps.geo.services import regions_load

    code = county_code(county)
    path = Path(divisions) if divisions else packaged_divisions(code)
    if path is None:
        raise InitRefused(_("no division data is packaged for county %(code)s: give the county's divisions with "
                            "--divisions FILE.csv (layout in docs/data-formats.md).") % {"code": code})
    _check_divisions(path, code)
    out = Path(accounts_file) if accounts_file else default_accounts_file()
    try:
        with transaction.atomic():
            reason = initialised_reason(code)
            if reason:
                raise InitRefused(reason)
            counts = regions_load(path=path, by=None, source="cli", extra={"by": "tuopin init"})
            region = Region.objects.get(code=code)
            rows = _create_accounts(region)
            audit_batch(actor=None, action="county_init", entity="accounts.user", source="cli",
                        batch={"county": code, "name": region.name, "divisions": path.name,
                               "divisions_sha256": hashlib.sha256(path.read_bytes()).hexdigest(), **counts,
                               "usernames": [r["username"] for r in rows], "accounts_file": str(out)},
                        summary=f"county {region.name} {code} initialised: {sum(counts.values())} regions in "
                                f"{path.name}, accounts {', '.join(r['username'] for r in rows)}")
            try:
                write_accounts_file(rows, out)  # inside the transaction: no file, no accounts
            except OSError as exc:
                raise InitRefused(_("cannot write the accounts file %(file)s: %(reason)s") % {
                    "file": out, "reason": exc.strerror or exc}) from None
    except IntegrityError:
        # Another `tuopin init` created the same accounts between the check and the insert.
        raise InitRefused(_("the database was initialised by another command at the same time.")) from None
    return InitResult(county=region, divisions=path, regions=counts, accounts=rows, accounts_file=out)


def _create_accounts(county) -> list[dict]:
    rows = []
    for role in INITIAL_ROLES:
        password = random_password()
        account = User(username=str(role), role=role, region=county if role == Role.COUNTY_ADMIN else None,
                       password=make_password(password), must_change_password=True)
        account.save()
        audit_change(actor=None, action="account_create", instance=account, source="cli",
                     changes={"username": [None, account.username], "role": [None, str(role)],
                              "must_change_password": [None, True]},
                     summary=f"tuopin init created account {account.username} ({role})")
        rows.append({"role": str(role), "username": account.username, "password": password, "totp_secret": None,
                     "scope": _scope_label(role, county)})
    return rows
