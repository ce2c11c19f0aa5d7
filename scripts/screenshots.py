"""The README's screenshots, taken from the demo county as a running server shows it (decision 1264).

    make demo                                   # builds the demo county and serves it on :8000 (other shell)
    .venv/bin/python scripts/screenshots.py     # docs/img/county.png, dashboard.png, household.png, accountability.png,
                                                # wall-1080.png, wall-2160.png

Logs in as the demo's county office (password and second factor from var/demo-accounts.json) with Debian's
chromium through Playwright — the browser the tests drive — and walks the pages a person would: the county in
the year its poverty incidence fell to 0.06 %, the county in 2016 with its charts, a household that left poverty
(from its village's list), the county board of accountability, and the wall screen (大屏) at 1920×1080 and
3840×2160 (decision 1583).

Options: --url (default http://127.0.0.1:8000), --accounts (default var/demo-accounts.json), --out (default
docs/img), --chromium (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tuopin.apps.accounts import totp  # noqa: E402  (standard library only: no Django needed here)

WIDTH, HEIGHT = 1280, 900
PNG = b"\x89PNG\r\n\x1a\n"


def _account(path: Path, role: str) -> dict:
    for account in json.loads(path.read_text(encoding="utf-8")):
        if account["role"] == role:
            return account
    raise SystemExit(f"{path}: no {role} account (was it written by `tuopin demo`?)")


def log_in(page, url: str, account: dict) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", account["username"])
    page.fill("#id_password", account["password"])
    page.click(".login-panel button[type=submit]")
    page.wait_for_load_state("load")
    if "/login/code/" in page.url:
        if not account.get("totp_secret"):
            raise SystemExit(f"{account['username']} asks for a second factor, and the accounts file has none")
        page.fill("#id_code", totp.code_at(account["totp_secret"]))
        page.click("form:has(#id_code) button[type=submit]")
        page.wait_for_load_state("load")
    if "/login/" in page.url or "/second-factor/" in page.url:
        raise SystemExit(f"could not log in as {account['username']} at {url} (still on {page.url})")


def shot(page, out: Path, name: str, height: int | None = None) -> Path:
    """The whole page, or its top `height` pixels (a page with long lists below what the picture is about)."""
    path = out / name
    if height is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    data = path.read_bytes()
    if data[:8] != PNG or len(data) < 20_000:
        raise SystemExit(f"{path}: not a picture of a page ({len(data)} bytes)")
    print(f"{path} ({len(data) // 1024} KB)")
    return path


def charts_drawn(page) -> None:
    page.wait_for_selector(".chart[data-drawn='true'] canvas", timeout=120_000)
    page.wait_for_timeout(500)  # the canvas animation settles


def take(page, url: str, out: Path) -> None:
    page.goto(f"{url}/")
    page.wait_for_selector("h1")
    county_url = page.url.split("?")[0]
    page.goto(f"{county_url}?year=2018", timeout=300_000)  # a year's first figures are computed on demand
    charts_drawn(page)
    shot(page, out, "county.png")

    page.goto(f"{county_url}?year=2016", timeout=300_000)
    charts_drawn(page)
    shot(page, out, "dashboard.png", height=1250)  # the charts; the list of lagging villages runs long

    # A household that left poverty: the first on the first township's first poor village's list.
    page.goto(f"{county_url}?year=2018")
    page.click("table.data tbody a >> nth=0")
    page.wait_for_selector("h1")
    page.click("table.data tbody tr:has(.badge) a >> nth=0")
    page.wait_for_selector("h1")
    row = page.locator("table.data tbody tr", has_text="已脱贫").first
    row.locator("a").first.click()
    page.wait_for_selector("h2:has-text('年度信息')")
    shot(page, out, "household.png")

    page.goto(f"{url}/accountability/?period=2018")
    page.wait_for_selector("table.cadres-ranked")
    shot(page, out, "accountability.png", height=1900)


WALL_SIZES = {"wall-1080.png": (1920, 1080), "wall-2160.png": (3840, 2160)}


def take_wall(page, url: str, out: Path) -> None:
    """The wall screen fills the viewport: one picture per wall size, once its charts drew."""
    for name, (width, height) in WALL_SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{url}/wall/", timeout=300_000)
        page.wait_for_selector("#wall:not([data-refreshes='0'])", timeout=120_000)
        page.wait_for_selector("[data-wall-chart][data-drawn='true'] canvas", timeout=120_000)
        page.wait_for_timeout(500)  # the canvas settles
        path = out / name
        page.screenshot(path=str(path))
        data = path.read_bytes()
        if data[:8] != PNG or len(data) < 20_000:
            raise SystemExit(f"{path}: not a picture of the wall ({len(data)} bytes)")
        print(f"{path} ({len(data) // 1024} KB)")


def run(browser, url: str, accounts: Path, out: Path) -> None:
    """Log in and take the pictures with a launched Playwright browser (the tests pass their own)."""
    account = _account(accounts, "county_admin")
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        log_in(page, url.rstrip("/"), account)
        take(page, url.rstrip("/"), out)
        take_wall(page, url.rstrip("/"), out)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--accounts", type=Path, default=ROOT / "var" / "demo-accounts.json")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    _account(args.accounts, "county_admin")  # a wrong file is said before a browser starts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            run(browser, args.url, args.accounts, args.out)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
