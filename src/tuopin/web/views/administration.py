"""三员分立 pages: the system administrator's accounts, the security administrator's roles and scopes, the
audit administrator's read-only audit trail. Who may open each page and take each step is the permission
layer's decision (403, audited, for everyone else); each write goes through an accounts service, which asks the
same layer and audits it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuopin.apps.accounts import lockouts, services
from tuopin.apps.accounts.models import Role, User
from tuopin.apps.accounts.permissions import ADMINISTRATIVE_ROLES, Action, Refused, may
from tuopin.apps.audit import selectors as audit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import Cadre, Unit

from .. import audit_labels
from ..access import forbidden
from .actions import run


def _only(request, action: str) -> None:
    if not may(request.user, action):
        raise forbidden(request, entity="accounts.user")


class AccountCreateForm(forms.Form):
    """No role here: a new account has none until the security administrator gives it one."""

    username = forms.CharField(label=gettext_lazy("Account"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


@login_required
def accounts(request):
    _only(request, Action.CREATE_ACCOUNT)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if User.objects.filter(username=data["username"]).exists():
            form.add_error("username", _("An account with this name exists."))
        else:
            try:
                services.account_create(username=data["username"], password=data["password"], by=request.user)
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                messages.success(request, _("Account created."))
                return redirect("web:admin_accounts")
    rows = User.objects.order_by("username").only("username", "role", "is_active", "last_login")
    disable = {a.pk for a in rows if a.is_active and may(request.user, Action.DISABLE_ACCOUNT, a)}
    reset = {a.pk for a in rows if a.is_active and may(request.user, Action.RESET_PASSWORD, a)}
    return render(request, "web/admin_accounts.html", {"accounts": rows, "form": form, "may_disable": disable,
                                                       "may_reset": reset})


@login_required
@require_POST
def account_disable(request, pk: int):
    _only(request, Action.DISABLE_ACCOUNT)
    target = get_object_or_404(User, pk=pk)
    if target.is_active:
        run(request, lambda: services.account_disable(account=target, by=request.user), entity="accounts.user",
            entity_id=pk, done=_("Account disabled; its sessions have ended."))
    return redirect("web:admin_accounts")


@login_required
@require_POST
def password_reset(request, pk: int):
    """The one-time password is shown on this answer only (pages are never cached) and written nowhere else."""
    _only(request, Action.RESET_PASSWORD)
    target = get_object_or_404(User, pk=pk)
    outcome = run(request, lambda: services.password_reset(account=target, by=request.user, source="web"),
                  entity="accounts.user", entity_id=pk)
    if not outcome:
        return redirect("web:admin_accounts")
    return render(request, "web/admin_password_reset.html", {"account": target, "password": outcome.value})


# The security administrator grants the working roles only; administrative roles are not granted from inside.
GRANTABLE = [(r.value, r.label) for r in Role if r not in ADMINISTRATIVE_ROLES]


class ScopeForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=GRANTABLE)
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), required=False,
                                    queryset=Region.objects.order_by("code"))
    cadre = forms.ModelChoiceField(label=gettext_lazy("Cadre"), required=False, queryset=Cadre.objects.order_by("pk"))
    department = forms.ModelChoiceField(label=gettext_lazy("Department"), required=False,
                                        queryset=Unit.objects.order_by("pk"))


@login_required
def roles(request):
    _only(request, Action.ASSIGN_ROLE)
    rows = User.objects.order_by("username").select_related("region", "department")
    editable = {a.pk for a in rows if may(request.user, Action.ASSIGN_ROLE, (a, Role.UNASSIGNED))}
    return render(request, "web/admin_roles.html", {"accounts": rows, "editable": editable})


@login_required
def role_edit(request, pk: int):
    _only(request, Action.ASSIGN_ROLE)
    target = get_object_or_404(User, pk=pk)
    if not may(request.user, Action.ASSIGN_ROLE, (target, Role.UNASSIGNED)):
        raise forbidden(request, entity="accounts.user", entity_id=pk)
    initial = {"role": target.role, "region": target.region_id, "cadre": target.cadre_id,
               "department": target.department_id}
    form = ScopeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_scope(account=target, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error("role", exc.reason)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role and scope saved."))
            return redirect("web:admin_roles")
    return render(request, "web/admin_role_edit.html", {"target": target, "form": form})


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=gettext_lazy("Account"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    entity = forms.ChoiceField(label=gettext_lazy("Entity"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ip_address = forms.GenericIPAddressField(label=gettext_lazy("IP address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Codes in the value (what the trail stores and `tuopin audit` filters on), words in the list.
        present = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        self.fields["action"].choices = [("", _("all"))] + audit_labels.action_choices(present)
        entities = set(audit_labels.ENTITY_LABELS) | set(
            AuditEvent.objects.order_by().values_list("entity", flat=True).distinct())
        self.fields["entity"].choices = [("", _("all"))] + sorted(
            ((e, audit_labels.entity_label(e)) for e in entities if e), key=lambda kv: kv[1])


@login_required
def audit_trail(request):
    """Read-only: the page has no form that writes, and the table refuses UPDATE and DELETE anyway. Who, when,
    from where, what and to which record — never personal values (audit.selectors, decision 1151)."""
    _only(request, Action.READ_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = audit.events(**{k: v for k, v in filters.items() if v})
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/admin_audit.html", {
        "form": form, "page": page, "events": [_labelled(audit.as_page_row(e), e) for e in page.object_list],
        "query": query.urlencode(), "utc_offset": _utc_offset()})


def _labelled(row: dict, event) -> dict:
    """The page's words for the row's codes, and its time as a local date and time (settings.TIME_ZONE)."""
    row["action_label"] = audit_labels.action_label(row["action"])
    row["source_label"] = audit_labels.source_label(row["source"])
    row["entity_label"] = audit_labels.entity_label(row["entity"]) if row["entity"] else ""
    row["at_local"] = timezone.localtime(event.at)
    return row


def _utc_offset() -> str:
    """"UTC+08:00" for Asia/Shanghai: the zone the page's times are in."""
    offset = timezone.localtime().strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


@login_required
def lockouts_page(request):
    """The security administrator's list of login lockouts (django-axes), each with a release button."""
    _only(request, Action.RELEASE_LOCKOUT)
    return render(request, "web/admin_lockouts.html", {"attempts": lockouts.locked_out()})


@login_required
@require_POST
def lockout_release(request, pk: int):
    _only(request, Action.RELEASE_LOCKOUT)
    attempt = lockouts.locked_out().filter(pk=pk).first()
    if attempt is None:
        messages.error(request, _("That lock has already been lifted."))
    else:
        lockouts.lockout_release(attempt=attempt, by=request.user)
        messages.success(request, _("Lock released: %(username)s can log in from %(address)s again.") % {
            "username": attempt.username, "address": attempt.ip_address or "-"})
    return redirect("web:admin_lockouts")
