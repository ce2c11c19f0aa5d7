"""The what-if on the web (decisions 1601–1603): change a standard or a budget line for a year and an area, see
today's figures and the what-if's side by side with the households and villages that would move; nothing is
stored unless the run is kept by name. Kept runs are listed and compared two by two, or one beside today's.
The engine and the checks are the command's (`tuopin assess --what-if`, apps.assessment.what_if)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin import standards
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.assessment import services, what_if
from tuopin.apps.assessment.models import WhatIfRun
from tuopin.apps.geo.models import Level, Region
from tuopin.common.masking import mask_id
from tuopin.standards import what_if as standards_what_if

from ..access import forbidden, not_found
from ..params import one_named
from .actions import run

ENTITY = "assessment.whatifrun"
WEIGHTS = ("income", "food_clothing", "water", "education", "medical", "housing")
# The figures shown side by side, in order; each (key path in a summary, label, kind).
SCOPE_ROWS = (
    (("rural_population",), gettext_lazy("Rural population"), "int"),
    (("poor_households",), gettext_lazy("Poor households"), "int"),
    (("poor_persons",), gettext_lazy("Poor persons"), "int"),
    (("incidence",), gettext_lazy("Incidence"), "pct"),
    (("households_eligible",), gettext_lazy("Households meeting the exit standard"), "int"),
    (("poor_villages",), gettext_lazy("Poor villages"), "int"),
    (("poor_villages_meeting_exit",), gettext_lazy("Poor villages meeting the exit standard"), "int"),
    (("fgt", "p0"), gettext_lazy("Income poverty headcount (FGT P0)"), "pct"),
    (("fgt", "p1"), gettext_lazy("Income poverty gap (FGT P1)"), "pct"),
    (("mpi", "H"), gettext_lazy("Multidimensional headcount H"), "pct"),
    (("mpi", "M0"), gettext_lazy("Adjusted headcount M0"), "ratio"),
    (("monitoring", "candidates"), gettext_lazy("Households proposed for monitoring"), "int"),
    (("gaps", "income"), gettext_lazy("Poor households with an income gap"), "int"),
)
AREA_ROWS = (("incidence", "pct"), ("households_eligible", "int"), ("poor_villages_meeting_exit", "int"))
STANDINGS = {"income_poor": gettext_lazy("income at or below the line"),
             "eligible": gettext_lazy("meets the exit standard"),
             "monitored": gettext_lazy("proposed for monitoring")}
CHANGES = {"becomes": gettext_lazy("becomes"), "stops": gettext_lazy("stops")}
BUDGET_LABELS = {"dibao_per_person": gettext_lazy("低保: yuan a year added per person on it"),
                 "subsidy_per_person": gettext_lazy("Subsidy: yuan a year per member of a poor household"),
                 "dividend_without_labour": gettext_lazy("Dividend: yuan a year per poor household without labour")}


class WhatIfForm(forms.Form):
    """The common keys as fields; any other key of the standards as TOML text (docs/what-if.md)."""
    region = forms.TypedChoiceField(label=gettext_lazy("Area"), coerce=int)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    poverty_line = forms.IntegerField(label=gettext_lazy("Poverty line (yuan a person a year)"), required=False,
                                      min_value=0)
    monitoring_line = forms.IntegerField(label=gettext_lazy("Monitoring line (yuan a person a year)"),
                                         required=False, min_value=0)
    trip_minutes = forms.IntegerField(label=gettext_lazy("Water: longest trip to fetch it (minutes)"),
                                      required=False, min_value=0)
    school_from = forms.IntegerField(label=gettext_lazy("School age from"), required=False, min_value=0,
                                     max_value=30)
    school_to = forms.IntegerField(label=gettext_lazy("School age to"), required=False, min_value=0, max_value=30)
    mpi_k = forms.CharField(label=gettext_lazy("Multidimensional cut-off k (a fraction, as 1/3)"), required=False,
                            max_length=20)
    dibao_per_person = forms.DecimalField(label=BUDGET_LABELS["dibao_per_person"], required=False, min_value=0,
                                          decimal_places=2)
    subsidy_per_person = forms.DecimalField(label=BUDGET_LABELS["subsidy_per_person"], required=False,
                                            min_value=0, decimal_places=2)
    dividend_without_labour = forms.DecimalField(label=BUDGET_LABELS["dividend_without_labour"], required=False,
                                                 min_value=0, decimal_places=2)
    text = forms.CharField(label=gettext_lazy("Any other key (TOML, as in a what-if file)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "class": "mono", "spellcheck": "false"}),
                           max_length=20_000)
    name = forms.CharField(label=gettext_lazy("Keep as (name)"), required=False,
                           max_length=WhatIfRun._meta.get_field("name").max_length)

    def __init__(self, *args, places, years, today: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(p.pk, p.name) for p in places]
        self.fields["year"].choices = [(y, y) for y in years]
        for name in WEIGHTS:
            self.fields[f"w_{name}"] = forms.CharField(label=_("Weight: %(indicator)s") % {"indicator": name},
                                                       required=False, max_length=20)
        for name, value in (today or {}).items():  # today's values as placeholders
            if name in self.fields and value is not None:
                self.fields[name].widget.attrs["placeholder"] = str(value)

    def common(self) -> list:
        return [self[n] for n in ("poverty_line", "monitoring_line", "trip_minutes", "school_from", "school_to",
                                  "mpi_k")]

    def weights(self) -> list:
        return [self[f"w_{n}"] for n in WEIGHTS]

    def budget(self) -> list:
        return [self[n] for n in ("dibao_per_person", "subsidy_per_person", "dividend_without_labour")]

    def over(self, base: standards.Standards) -> dict:
        """The what-if the fields and the text give (a key set both ways is refused, naming it)."""
        d, year = self.cleaned_data, str(self.cleaned_data["year"])
        fields: dict = {}
        if d["poverty_line"] is not None:
            fields["poverty_line"] = {year: {"yuan": d["poverty_line"]}}
        if d["monitoring_line"] is not None:
            fields["monitoring_line"] = {year: {"yuan": d["monitoring_line"]}}
        if d["trip_minutes"] is not None:
            fields["water"] = {"trip_minutes": d["trip_minutes"]}
        if d["school_from"] is not None or d["school_to"] is not None:
            now = base.data["household"]["compulsory_school_age"]
            fields["household"] = {"compulsory_school_age": [
                d["school_from"] if d["school_from"] is not None else now[0],
                d["school_to"] if d["school_to"] is not None else now[1]]}
        mpi: dict = {}
        if d["mpi_k"].strip():
            mpi["k"] = d["mpi_k"].strip()
        weights = {n: d[f"w_{n}"].strip() for n in WEIGHTS if d[f"w_{n}"].strip()}
        if weights:
            mpi["weights"] = weights
        if mpi:
            fields["mpi"] = mpi
        budget = {n: float(d[n]) for n in standards_what_if.BUDGET_LINES if d[n] is not None}
        if budget:
            fields["budget"] = budget
        text = standards_what_if.loads(d["text"], where=_("the text")) if d["text"].strip() else {}
        both = set(standards_what_if.changed_keys(fields)) & set(standards_what_if.changed_keys(text))
        if both:
            raise standards_what_if.WhatIfError([_("%(key)s: set both in a field and in the text: keep one")
                                                 % {"key": key} for key in sorted(both)])
        return standards_what_if.merged(fields, text)


def _refuse_unless_allowed(request) -> None:
    if not may(request.user, Action.RUN_WHAT_IF):
        raise forbidden(request, entity=ENTITY)


def _places(user) -> list[Region]:
    """The county and townships the account may try a what-if on (decision 1601)."""
    return [r for r in regions_visible_to(user).filter(level__in=(Level.COUNTY, Level.TOWNSHIP)).order_by("level", "code")
            if may(user, Action.RUN_WHAT_IF, r)]


def _place(request, places: list[Region], raw) -> Region:
    if raw not in (None, ""):
        return one_named(request, raw, places, entity="geo.region")
    if not places:
        raise not_found(request, entity="geo.region", entity_id="")
    return places[0]


def _today(place: Region, year: int | None) -> dict:
    """Today's standards for the form's placeholders."""
    if year is None:
        return {}
    data = standards.load(place.code).data
    school = data.get("household", {}).get("compulsory_school_age", [None, None])
    mpi = data.get("mpi", {})
    out = {"poverty_line": data.get("poverty_line", {}).get(str(year), {}).get("yuan"),
           "monitoring_line": data.get("monitoring_line", {}).get(str(year), {}).get("yuan"),
           "trip_minutes": data.get("water", {}).get("trip_minutes"), "school_from": school[0],
           "school_to": school[1], "mpi_k": mpi.get("k")}
    out.update({f"w_{n}": mpi.get("weights", {}).get(n) for n in WEIGHTS})
    return out


@login_required
def what_if_page(request):
    """GET: the form; POST: the what-if run and shown (nothing stored), or run and kept when named."""
    _refuse_unless_allowed(request)
    user = request.user
    places = _places(user)
    place = _place(request, places, request.POST.get("region") if request.method == "POST"
                   else request.GET.get("region"))
    years = services.recorded_years(place)
    year = years[-1] if years else None
    if request.method == "POST":
        try:
            asked = int(request.POST.get("year", ""))
        except ValueError:
            asked = None
        year = asked if asked in years else year
    form = WhatIfForm(request.POST if request.method == "POST" else None, places=places, years=years,
                      today=_today(place, year), initial={"region": place.pk, "year": year})
    context = {"form": form, "place": place, "year": year, "years": years, "summary": None}
    if request.method == "POST" and form.is_valid():
        keep = "keep" in request.POST
        if keep and not form.cleaned_data["name"].strip():
            form.add_error("name", _("name the what-if to keep it"))
        else:
            summary = _run(form, place, user, keep=keep, request=request)
            if summary is not None and keep:
                return redirect("web:what_if_run", summary["saved"]["id"])
            if summary is not None:
                context.update(_shown(user, summary), summary=summary)
    return render(request, "web/what_if.html", context)


def _run(form: WhatIfForm, place: Region, user, *, keep: bool, request) -> dict | None:
    """The what-if for the form (kept when asked), or None with the refusals on the form."""
    year = form.cleaned_data["year"]
    try:
        over = form.over(standards.load(place.code))
        summary = what_if.assess_live(year=year, region=place, over=over, where=_("what-if"))
    except standards_what_if.WhatIfError as exc:
        for error in exc.errors:
            form.add_error(None, error)
        return None
    except ValidationError as exc:
        form.add_error(None, "; ".join(exc.messages))
        return None
    if not keep:
        return summary
    done = run(request, lambda: what_if.save(name=form.cleaned_data["name"], text=standards_what_if.dumps(over),
                                             summary=summary, by=user, source="web"),
               form=form, entity=ENTITY)
    if not done:
        return None
    return {**summary, "saved": {"id": done.value.pk, "name": done.value.name}}


def _value(figures: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _minus(a, b):
    return None if a is None or b is None else a - b


def side_by_side(left: dict, right: dict, difference: dict) -> dict:
    """The rows the templates show: the scope's figures and each area's, left, right and right − left."""
    rows = [{"label": label, "kind": kind, "left": _value(left, path), "right": _value(right, path),
             "difference": _value(difference["scope"], path)}
            for path, label, kind in SCOPE_ROWS if _value(left, path) is not None]
    # the areas one level down (a delta's `villages` is the villages whose exit eligibility moves: the
    # differences by area are taken here from both sides)
    key = next((k for k in ("townships", "villages", "counties") if isinstance(left.get(k), list)), None)
    after = {a["code"]: a for a in right.get(key, [])} if key else {}
    areas = [{"name": a["name"], "code": a["code"],
              "cells": [{"kind": kind, "left": a.get(name), "right": after[a["code"]].get(name),
                         "difference": _minus(after[a["code"]].get(name), a.get(name))} for name, kind in AREA_ROWS]}
             for a in (left.get(key, []) if key else []) if a["code"] in after]
    chart = {"kind": "hbars", "categories": [a["name"] for a in areas],
             "series": [{"name": str(_("today")), "data": [a["cells"][1]["left"] for a in areas]},
                        {"name": str(_("what-if")), "data": [a["cells"][1]["right"] for a in areas]}]}
    return {"rows": rows, "areas": areas, "areas_level": key, "chart": chart if areas else None}


def _shown(user, summary: dict) -> dict:
    """What the page shows of a what-if's JSON: side by side, the households that move within the account's
    scope (head's name, masked ID number, a link) and the villages that change."""
    d = summary["delta"]
    moved = d["households"].get("moved", [])
    visible = {h.number: h for h in households_visible_to(user).filter(number__in={m["number"] for m in moved})
               .select_related("village")}
    heads = {p.household_id: p for p in _heads(visible.values())}
    rows = []
    for m in moved:
        h = visible.get(m["number"])
        if h is None:
            continue  # outside the account's scope
        head = heads.get(h.pk)
        rows.append({"household": h, "village": h.village.name if h.village_id else m["village"],
                     "head": head.name if head else "", "id_number": mask_id(head.id_number) if head else "",
                     "standing": STANDINGS.get(m["standing"], m["standing"]),
                     "change": CHANGES.get(m["change"], m["change"]), "becomes": m["change"] == "becomes"})
    villages = {r.code: r for r in Region.objects.filter(code__in=[c for codes in d["villages"].values()
                                                                  for c in codes])}
    counts = [{"standing": STANDINGS[flag], "becomes": d["households"][flag]["becomes"],
               "stops": d["households"][flag]["stops"]} for flag in STANDINGS if flag in d["households"]]
    budget = d.get("budget")
    return {"sides": side_by_side(summary, summary["what_if"], d), "moved": rows, "counts": counts,
            "moved_cap": d["households"].get("moved_cap"), "moved_total": len(moved),
            "starts": [villages.get(c) or c for c in d["villages"]["starts_meeting_exit"]],
            "stops": [villages.get(c) or c for c in d["villages"]["stops_meeting_exit"]],
            "changed": d["changed"],
            "budget": [(BUDGET_LABELS[k], v) for k, v in budget["lines"].items()] if budget else None,
            "budget_total": budget}


def _heads(households):
    from tuopin.apps.registry.choices import Relation
    from tuopin.apps.registry.models import Person

    return Person.objects.filter(household__in=list(households), relation=Relation.HEAD)


@login_required
def what_if_runs(request):
    """The kept what-ifs the account reaches, newest first, with a form to compare two (or one and today)."""
    _refuse_unless_allowed(request)
    runs = list(what_if.runs_visible_to(request.user).select_related("created_by")[:500])
    return render(request, "web/what_if_runs.html", {"runs": runs})


def _kept(request, raw) -> WhatIfRun:
    return one_named(request, raw, what_if.runs_visible_to(request.user).select_related("created_by"), entity=ENTITY)


@login_required
def what_if_run(request, pk: int):
    """One kept what-if: its text, its figures beside today's as they were when it ran, and what moved."""
    _refuse_unless_allowed(request)
    kept = _kept(request, pk)
    others = what_if.runs_visible_to(request.user).filter(scope_code=kept.scope_code, year=kept.year) \
        .exclude(pk=kept.pk)
    return render(request, "web/what_if_run.html", {"run": kept, "summary": kept.summary, "others": others,
                                                    **_shown(request.user, kept.summary)})


@login_required
def what_if_compare(request):
    """Two kept what-ifs of an area and year side by side with their difference (`b` − `a`), or one (`a`) beside
    the figures of today kept with it (`b` = "today")."""
    _refuse_unless_allowed(request)
    a = _kept(request, request.GET.get("a", ""))
    raw_b = request.GET.get("b", "today")
    b = None if raw_b == "today" else _kept(request, raw_b)
    try:
        out = what_if.compare(a, b)
    except ValidationError as exc:
        return render(request, "web/what_if_compare.html", {"refused": "; ".join(exc.messages), "a": a, "b": b},
                      status=400)
    return render(request, "web/what_if_compare.html", {
        "out": out, "a": a, "b": b, "sides": side_by_side(out["figures"]["a"], out["figures"]["b"], out["difference"]),
        "back": reverse("web:what_if_run", args=[a.pk])})
