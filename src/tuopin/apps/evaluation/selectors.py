"""Reads of evaluation rounds: an account reaches the rounds of the county it works on, and only if its role
may see evaluations at all (the county office, the evaluator)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tuopin.apps.accounts.permissions import Action, may

from .models import EvaluationRound, Finding, SampledHousehold


def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    if not may(user, Action.SEE_EVALUATION):
        return EvaluationRound.objects.none()
    return EvaluationRound.objects.filter(county_id=user.region_id)


def round_for(user, pk: int) -> EvaluationRound:
    """The round, or EvaluationRound.DoesNotExist when it is out of the account's reach."""
    return rounds_visible_to(user).select_related("county", "created_by").get(pk=pk)


def with_progress(rounds: QuerySet[EvaluationRound]) -> QuerySet[EvaluationRound]:
    return rounds.annotate(sampled=Count("households", distinct=True),
                           checked=Count("households", filter=~Q(households__finding=Finding.PENDING),
                                         distinct=True))


def samples_of(round_: EvaluationRound, *, village_id: int | None = None,
               pending_only: bool = False) -> QuerySet[SampledHousehold]:
    qs = (round_.households.select_related("household", "household__village", "checked_by")
          .order_by("household__village__code", "kind", "household__number"))
    if village_id:
        qs = qs.filter(household__village_id=village_id)
    if pending_only:
        qs = qs.filter(finding=Finding.PENDING)
    return qs
