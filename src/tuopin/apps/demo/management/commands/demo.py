"""`tuopin demo [--seed N] [--reset] [--no-serve] [--no-risk-model]`: build the demo county, write the accounts,
train the risk score, serve.

Refuses a database that holds data (exit code 2) unless --reset, which empties every table first.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE
from tuopin.progress import progress_bar


def database_has_data() -> bool:
    """True when any table of the project's own apps holds a row."""
    return any(model._default_manager.exists() for model in apps.get_models()
               if model._meta.app_config.name.startswith("tuopin."))


class Command(BaseCommand):
    help = gettext_noop("Build the demo county (镇赉县-shaped, synthetic) into the database, then serve it.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="the same seed builds the same county (default 1)")
        parser.add_argument("--reset", action="store_true", help="empty every table first")
        parser.add_argument("--no-serve", action="store_true", help="build and exit")
        parser.add_argument("--no-risk-model", action="store_true",
                            help="do not train the risk score (`tuopin risk train` trains it later)")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="population scale (tests use 0.02); the geography and organisation stay whole")

    def handle(self, *args, seed, reset, no_serve, scale, no_risk_model=False, **options):
        from tuopin.apps.accounts.passwords import write_accounts_file
        from tuopin.apps.demo.load import demo_build

        if not 0 < scale <= 1:
            raise CommandError("--scale must be in (0, 1]", returncode=EXIT_USAGE)
        call_command("migrate", interactive=False, verbosity=0)
        if database_has_data():
            if not reset:
                raise CommandError(
                    "the database already holds data; `tuopin demo --reset` empties every table and rebuilds "
                    "the demo county (this deletes everything in it)", returncode=EXIT_USAGE)
            call_command("flush", interactive=False, verbosity=0)  # lifts the audit triggers (decision 0905)
            from tuopin.apps.audit.services import audit_event

            audit_event(actor=None, action="reset", source="cli",
                        summary="database emptied by `tuopin demo --reset` before rebuilding the demo county")
        with progress_bar(gettext("building the demo county")) as progress:
            result = demo_build(seed=seed, scale=scale, progress=progress)
        path = write_accounts_file(result["accounts"], settings.DEMO_ACCOUNTS_FILE)
        self._summary(result, path)
        self._assess()
        if not no_risk_model:
            self._train_risk()
        if not no_serve:
            call_command("serve")

    def _assess(self) -> None:
        """The engine's view of every year of the demo, from the data just written."""
        from tuopin.apps.assessment.services import assess

        from tuopin.apps.assessment.services import default_scope, recorded_years
        from tuopin.apps.monitoring.figures import monitoring_summary

        self.stdout.write("assessed by the engine (docs/data-formats.md definitions):")
        county = default_scope()
        years = recorded_years(county)
        for year in years:
            s, _ = assess(year=year)
            self.stdout.write(
                f"  {year}: incidence {s['incidence']:.2%} ({s['poor_persons']:,} of {s['rural_population']:,}), "
                f"exited {s['households_exited']:,} households / {s['persons_exited']:,} persons, poor villages "
                f"meeting the exit standard {s['poor_villages_meeting_exit']}/{s['poor_villages']}")
        self.stdout.write("monitoring after exit (防返贫), by the engine's rules and the cases (tuopin monitor):")
        for year in (y for y in years if y >= 2020):
            m = monitoring_summary(county, year, on=dt.date(year, 12, 31))
            kinds = m["monitored_households"]
            self.stdout.write(
                f"  {year}: {m['candidates']:,} candidates; monitored at the year's end {sum(kinds.values()):,} "
                f"({kinds['unstable']:,} unstable / {kinds['marginal']:,} marginal / {kinds['sudden']:,} sudden); "
                f"{m['risk_removed']:,} risks removed; {m['returned_households']:,} households "
                f"({m['returned_persons']:,} persons) returned to poverty")
        from tuopin.apps.evaluation.models import EvaluationRound
        from tuopin.apps.evaluation.services import county_exit_result

        for round_ in EvaluationRound.objects.all():
            r = county_exit_result(round_)
            self.stdout.write(
                f"  {round_.name} ({round_.data_year} data): 综合贫困发生率 {r['comprehensive_incidence']:.2%}, "
                f"错退率 {r['wrong_exit_rate'] or 0:.2%}, 漏评率 {r['omission_rate'] or 0:.2%}, "
                f"群众认可度 {r['recognition'] or 0:.1%} — {'passes' if r['passes'] else 'fails'}")

    def _train_risk(self) -> None:
        """The risk score of the commanders' ranked list (/monitoring/risk/), trained as the county office would
        with `tuopin risk train`, so the demo shows it from the start."""
        from tuopin.apps.accounts.models import Role, User
        from tuopin.apps.monitoring import risk

        self.stdout.write("risk score beside the monitoring rules (tuopin risk train):")
        try:
            card = risk.risk_train(account=User.objects.get(role=Role.COUNTY_ADMIN), source="demo")
        except risk.RiskModelMissing as exc:
            self.stdout.write(f"  not trained: {exc}")
            return
        self.stdout.write("  " + risk.outcome_text("train", card).replace("\n", "\n  "))

    def _summary(self, result: dict, path) -> None:
        c, h, s = result["counts"], result["headline"], result["seconds"]
        w = self.stdout.write
        w(f"demo county built (seed {result['seed']}, scale {result['scale']:g}) in {s['total']:.1f} s "
          f"(registry {s['registry']:.1f} s, organisation {s['organisation']:.1f} s)")
        w(f"  households {c['household']:,}, persons {c['person']:,}, yearly records {c['householdyear']:,} "
          f"+ {c['personyear']:,}, status events {c['statusevent']:,}")
        w(f"  end 2015: {h['registered_households_2015']:,} registered households, {h['poor_persons_2015']:,} poor "
          f"persons of {h['rural_population_2015']:,} (incidence {h['incidence_2015']:.2%})")
        w(f"  2016–2018: {h['exited_households_2016_2018']:,} households / {h['exited_persons_2016_2018']:,} persons "
          f"exited; end 2018 incidence {h['incidence_2018']:.2%} ({h['poor_persons_2018']} persons)")
        w(f"  organisation: {c['unit']} units, {c['cadre']:,} cadres, {c['cadrehouseholdpairing']:,} household "
          f"pairings, {c['workteam']} work teams, {c['mutualgroup']:,} mutual groups")
        work = result["work"]["counts"]
        w(f"  work 2016–2020 ({s['work']:.1f} s): {work.get('visits', 0):,} visits (to 2025), {work.get('tasks_created', 0):,} "
          f"gap tasks, {work.get('tasks_done', 0):,} reported done, {work.get('assessments', 0):,} assessments "
          f"2016–2018")
        w("  monitoring 2021–2025 (防返贫, the story's events): taken in as unstable / marginal / sudden, "
          "risk removed, returned to poverty")
        for year, m in result["monitoring"].items():
            k = m["included"]
            w(f"    {year}: {sum(k.values()):,} taken in ({k['unstable']:,} / {k['marginal']:,} / {k['sudden']:,}), "
              f"{m['risk_removed']:,} risk removed, {m['returned']:,} returned, {m['re_exited']:,} exited again")
        housing = result["housing"]
        options = ", ".join(f"{name} {n:,}" for name, n in housing["options"].items())
        w(f"  housing renovation (危房改造, see /housing/): {housing['renovations']:,} finished ({options}), "
          f"cost {housing['cost_fen'] // 100:,} yuan, subsidy {housing['subsidy_fen'] // 100:,} yuan; "
          f"{housing['open']:,} under way")
        after = result["after_exit"]
        w(f"  after the exit (2019): {after['funds']} fund lines 2016–2025, not cut (see /funds/), "
          f"{after['work_teams_withdrawn']} work teams "
          f"withdrawn, {after['unit_pairings_ended']} paired unit ended, policies lapsed for "
          f"{after['households_with_policies_lapsed']} exited households in 2020 (see /after-exit/)")
        rosters = result["rosters"]
        w(f"  department rosters 2018 and 2020 ({s['rosters']:.1f} s, see /rosters/): {rosters['rosters']} rosters, "
          f"{rosters['entries']:,} rows, matched as uploads (some by likeness, some queued for review)")
        w(f"  accounts ({len(result['accounts'])}, one per role): {path}")
