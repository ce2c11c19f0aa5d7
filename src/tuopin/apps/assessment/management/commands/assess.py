"""`tuopin assess`: the year's figures under the definitions of docs/data-formats.md, from the live registry or a snapshot."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_noop

from tuopin import rules, standards
from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, refusal
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.geo.models import Region
from tuopin.apps.revenue import figures as asset_income
from tuopin.engine import duckdb_runner, spark_runner
from tuopin.engine.spark_runner import SparkMissing, SparkUnavailable

from tuopin.apps.projects.ledger import funds_figures

from tuopin.standards import what_if as standards_what_if

from ... import services, what_if

LEVELS = ("province", "city", "county", "township", "village")


class Command(AccountCommand):
    help = gettext_noop("Assess a year against the standard: incidence, exits, eligible households, village exit, FGT.")
    requires_system_checks: list[str] = []  # no web app here: its checks (2 s) skipped (decision 1626)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--county", metavar="CODE", help="12-digit code of the county (or a township)")
        parser.add_argument("--data", metavar="DIR", help="a snapshot folder (Parquet) instead of the live registry")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument("--level", choices=LEVELS, help="the level of the areas listed under the top")
        parser.add_argument("--json", action="store_true", help="print the JSON object of docs/data-formats.md")
        parser.add_argument("--save", action="store_true", help="keep the inputs and results as an immutable snapshot")
        parser.add_argument("--what-if", metavar="FILE", dest="what_if",
                            help="a TOML file of standards to compare with today's (docs/what-if.md); stores nothing")
        parser.add_argument("--save-as", metavar="NAME", dest="save_as",
                            help="with --what-if: keep the run (the file and its figures) under NAME")
        parser.add_argument("--what-if-compare", metavar="NAME", dest="compare", nargs="+",
                            help="two kept what-ifs of the year side by side (one: it beside today's figures)")

    def handle(self, *args, **o):
        user = self.acting_user(o)
        # a what-if (run, kept or compared) is for those who propose a change of standard (decision 1601)
        action = Action.RUN_WHAT_IF if o["what_if"] or o["compare"] else Action.RUN_ASSESSMENT
        reason = refusal(user, action)
        if reason:
            raise CommandError(f"{user.username}: {reason}", returncode=EXIT_USAGE)
        if o["compare"]:
            return self._compare(o, user)
        if o["what_if"]:
            return self._what_if(o, user)
        if o["save_as"] is not None:
            raise CommandError(gettext("--save-as keeps a what-if: give --what-if FILE"), returncode=EXIT_USAGE)
        try:
            if o["data"]:
                summary = self._from_folder(o)
            else:
                region = self._region(o, user)
                years = services.recorded_years(region)
                if o["year"] not in years:
                    raise InputRefused(services.no_records_message(region, o["year"], years))
                if o["save"]:
                    summary = services.assessment_save(year=o["year"], region=region, by=user,
                                                       engine=o["engine"]).summary
                else:
                    summary, _ = services.assess(year=o["year"], region=region, child_level=o["level"],
                                                 engine=o["engine"])
                # The ledgers' figures beside the assessment, in yuan as the JSON's contract has them (decision 1507).
                summary = {**summary, "pv": pv_in_yuan(asset_income.pv(region, o["year"])),
                           "funds": funds_in_yuan(funds_figures(region, o["year"]))}
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        except SparkMissing:
            raise CommandError(gettext("the Spark engine needs PySpark, which is not installed: pip install "
                                       "'tuopin[spark]' (and Java 17 or later to run it)"),
                               returncode=EXIT_USAGE) from None
        except SparkUnavailable as exc:
            raise CommandError(str(exc)) from None
        if o["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self._print(summary)

    def _what_if(self, o, user) -> None:
        """Both standards side by side and the delta (decision 1580): nothing saved, whatever else was asked."""
        if o["save"] or o["engine"] != "duckdb":
            raise CommandError(gettext("--what-if runs on the DuckDB engine and saves nothing: leave out --save "
                                       "and --engine spark"), returncode=EXIT_USAGE)
        try:
            over = standards_what_if.read(o["what_if"])
            if o["data"]:
                summary = what_if.assess_folder(folder=o["data"], year=o["year"], level=o["level"] or "province",
                                                over=over, where=o["what_if"])
            else:
                region = self._region(o, user)
                years = services.recorded_years(region)
                if o["year"] not in years:
                    raise InputRefused(services.no_records_message(region, o["year"], years))
                summary = what_if.assess_live(year=o["year"], region=region, over=over, where=o["what_if"],
                                              child_level=o["level"])
                # no standard changes the ledgers: today's, as `assess` gives them
                summary = {**summary, "pv": pv_in_yuan(asset_income.pv(region, o["year"])),
                           "funds": funds_in_yuan(funds_figures(region, o["year"]))}
            if o["save_as"] is not None:
                text = Path(o["what_if"]).read_text(encoding="utf-8")
                run = what_if.save(name=o["save_as"], text=text, summary=summary, by=user)
                summary = {**summary, "saved": {"id": run.pk, "name": run.name}}
        except standards_what_if.WhatIfError as exc:
            raise InputRefused("; ".join(exc.errors)) from None
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        if o["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self._print(summary)
        d = summary["delta"]
        self.stdout.write(gettext("what-if (%(keys)s):") % {"keys": ", ".join(d["changed"])})
        self._print(summary["what_if"])
        self.stdout.write(gettext("difference: ") + ", ".join(
            f"{k} {v:+,}" if isinstance(v, int) else f"{k} {v:+.4%}"
            for k, v in d["scope"].items() if isinstance(v, (int, float))))
        self.stdout.write(gettext("households: ") + "; ".join(
            f"{flag} +{d['households'][flag]['becomes']:,} / -{d['households'][flag]['stops']:,}"
            for flag in ("income_poor", "eligible", "monitored")))
        v = d["villages"]
        self.stdout.write(gettext("poor villages starting to meet the exit standard %(starts)d, stopping %(stops)d")
                          % {"starts": len(v["starts_meeting_exit"]), "stops": len(v["stops_meeting_exit"])})
        if "budget" in d:
            self.stdout.write(gettext("budget lines: %(yuan)s yuan a year to %(households)s households (%(lines)s)")
                              % {"yuan": f"{d['budget']['yuan']:,.2f}", "households": f"{d['budget']['households']:,}",
                                 "lines": ", ".join(f"{k} {v['yuan']:,.2f}" for k, v in d["budget"]["lines"].items())})

    def _compare(self, o, user) -> None:
        """Kept what-ifs side by side with their difference (decision 1602): reads what was kept, runs nothing."""
        if len(o["compare"]) > 2 or o["what_if"] or o["save"] or o["save_as"] is not None or o["data"]:
            raise CommandError(gettext("--what-if-compare takes one or two names of kept what-ifs and no --what-if, "
                                       "--save, --save-as or --data"), returncode=EXIT_USAGE)
        region = self._region(o, user)
        reason = refusal(user, Action.RUN_WHAT_IF, region)
        if reason:
            raise CommandError(f"{user.username}: {reason}", returncode=EXIT_USAGE)
        try:
            runs = [what_if.run_named(user, name=name, year=o["year"], region=region) for name in o["compare"]]
            out = what_if.compare(*runs)
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        if o["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        a, b = out["a"], out["b"]
        self.stdout.write(f"{out['scope']['name']} {out['year']}: "
                          + (gettext("today") if a["today"] else a["name"]) + " → " + b["name"])
        self._print(out["figures"]["a"])
        self._print(out["figures"]["b"])
        self.stdout.write(gettext("difference: ") + ", ".join(
            f"{k} {v:+,}" if isinstance(v, int) else f"{k} {v:+.4%}"
            for k, v in out["difference"]["scope"].items() if isinstance(v, (int, float))))

    def _region(self, o, user) -> Region:
        if not o["county"]:
            region = services.default_scope()
        else:
            region = Region.objects.filter(code=o["county"]).first()
            if region is None:
                raise CommandError(f"no region with code {o['county']}", returncode=EXIT_USAGE)
        if not regions_visible_to(user).filter(pk=region.pk).exists():
            raise CommandError(f"{region} is outside the scope of {user.username}", returncode=EXIT_USAGE)
        return region

    def _from_folder(self, o) -> dict:
        """A whole snapshot folder: the top is the data set (the nation), listed by province unless --level."""
        level = o["level"] or "province"
        params = rules.parameters(standards.load("000000"), o["year"])
        if o["engine"] == "spark":
            con = spark_runner.connect()
            spark_runner.register_parquet(con, o["data"], year=o["year"])
            result = spark_runner.run(con, params, year=o["year"], levels=("nation", level) if level != "village"
                                      else ("nation",), households=False)
            return services.summarise(result, scope_level="nation", scope_code=None, child_level=level,
                                      names=spark_runner.region_names(con, LEVELS.index(level)))
        con = duckdb_runner.connect_for_folder()
        duckdb_runner.register_parquet(con, o["data"], year=o["year"])
        result = duckdb_runner.run(con, params, year=o["year"], levels=("nation", level) if level != "village"
                                   else ("nation",), households=False, folder=o["data"])
        return services.summarise(result, scope_level="nation", scope_code=None, child_level=level,
                                  names=duckdb_runner.region_names(con, LEVELS.index(level)))

    def _print(self, s: dict) -> None:
        self.stdout.write(f"{s['scope']['name']} {s['year']}: rural population {s['rural_population']:,}, "
                          f"poor persons {s['poor_persons']:,}, incidence {s['incidence']:.4%}")
        self.stdout.write(f"exited {s['households_exited']:,} households / {s['persons_exited']:,} persons; "
                          f"eligible {s['households_eligible']:,}; poor villages meeting the exit standard "
                          f"{s['poor_villages_meeting_exit']}/{s['poor_villages']}")
        self.stdout.write("gaps of poor households: " + ", ".join(f"{k} {v:,}" for k, v in s["gaps"].items()))
        if "monitoring" in s:
            w = s["monitoring"]
            self.stdout.write(f"monitoring warnings: {w['candidates']:,} households / {w['candidate_persons']:,} "
                              "persons (" + ", ".join(f"{k} {v:,}" for k, v in w["by_kind"].items())
                              + f"); monitored at risk {w['monitored_at_risk']:,}")
        if s.get("pv", {}).get("stations"):
            pv = s["pv"]
            self.stdout.write(f"PV stations {pv['stations']}: {pv['kwh']:,} kWh, revenue {pv['revenue']:,.2f} yuan, "
                              f"paid to welfare posts {pv['paid_to_posts']:,.2f}, as dividends "
                              f"{pv['paid_as_dividends']:,.2f}, balance {pv['balance']:,.2f}")
        if "funds" in s:
            f = s["funds"]
            self.stdout.write(f"funds (yuan): allocated {f['allocated']:,.2f}, spent {f['spent']:,.2f}, "
                              f"balance {f['balance']:,.2f}")
        if "mpi" in s:
            m = s["mpi"]
            self.stdout.write(f"multidimensional (Alkire–Foster, k = {m['k']:.4g}): H {m['H']:.4%}, A {m['A']:.4%}, "
                              f"M0 {m['M0']:.4f}; contributions " + ", ".join(
                                  f"{k} {v:.1%}" for k, v in m["contribution"].items()))


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def pv_in_yuan(pv: dict) -> dict:
    """`pv` of the JSON: the ledgers' `*_fen` figures as `revenue`, `paid_to_posts`, … in yuan."""
    return {key.removesuffix("_fen"): _yuan(value) if key.endswith("_fen") else value for key, value in pv.items()}


def funds_in_yuan(funds: dict) -> dict:
    """`funds` of the JSON: every amount of the ledger's figures (fen) in yuan, at every depth; the year stays."""
    return {key: funds_in_yuan(value) if isinstance(value, dict) else value if key == "year" else _yuan(value)
            for key, value in funds.items()}
