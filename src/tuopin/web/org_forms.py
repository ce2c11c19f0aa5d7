"""Forms of the organisation pages. They parse what is typed; the services check, write and audit. A cadre is
typed as the import writes it — 姓名, or 姓名（单位） when two share a name — and found the same way."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.apps.assistance.models import Level as ItemLevel
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.imports.reading import Refs, RowError
from tuopin.apps.organisation.models import Cadre, Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"})


def townships():
    return Region.objects.filter(level=Level.TOWNSHIP).order_by("code")


def villages(township_id: int | None = None):
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent").order_by("code")
    return qs.filter(parent_id=township_id) if township_id else qs


MAX_ID = 2**63 - 1


def _plausible(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID  # not "²", which isdigit() accepts


class ModelChoice(forms.ModelChoiceField):
    """A record chosen by id; an id no database could hold is refused as a choice that is not there."""

    def to_python(self, value):
        if value not in self.empty_values and not _plausible(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoice(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for v in value:
            if not _plausible(v):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": v})
        return super()._check_values(value)


class RegionChoice(ModelChoice):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} {obj.name}" if obj.level == Level.VILLAGE and obj.parent_id else obj.name


class OrgForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, township_id=None, **kwargs):
        self.user, self.township_id = user, township_id
        super().__init__(*args, **kwargs)

    def cadre(self, name: str, *, required: bool = True) -> Cadre | None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            if required:
                self.add_error(name, _("This field is required."))
            return None
        try:
            return Refs(self.user).cadre(name, value)
        except RowError as exc:
            self.add_error(name, exc.reason)
            return None


class UnitForm(OrgForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    domain = forms.CharField(label=_("Domain (departments)"), max_length=32, required=False)
    region = RegionChoice(label=_("Township (a township government)"), queryset=townships(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = townships()


class CadreForm(OrgForm):
    name = forms.CharField(label=_("Name"), max_length=32)
    unit = ModelChoice(label=_("Unit"), queryset=Unit.objects.all())
    post = forms.CharField(label=_("Post"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    is_county_leader = forms.BooleanField(label=_("County leader"), required=False)


class GroupForm(OrgForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    is_leading_group = forms.BooleanField(label=_("This is the leading group"), required=False)
    leader = forms.CharField(label=_("Leader"), required=False)
    deputy = forms.CharField(label=_("Deputy"), required=False)
    member_units = ModelMultipleChoice(label=_("Member units"), queryset=Unit.objects.all(), required=False)
    remit = forms.CharField(label=_("Remit"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        data["leader_cadre"] = self.cadre("leader", required=False)
        data["deputy_cadre"] = self.cadre("deputy", required=False)
        return data


class ZoneForm(OrgForm):
    county_leader = forms.CharField(label=_("County leader in charge"))
    party_secretary = forms.CharField(label=_("Township Party secretary"))

    def clean(self):
        data = super().clean()
        data["leader_cadre"] = self.cadre("county_leader")
        data["secretary_cadre"] = self.cadre("party_secretary")
        return data


class PeriodEndForm(OrgForm):
    end = forms.DateField(label=_("Ends on"), widget=DATE, required=False)


class PairingForm(OrgForm):
    unit = ModelChoice(label=_("Unit"), queryset=Unit.objects.all())
    village = RegionChoice(label=_("Village"), queryset=Region.objects.none())
    start = forms.DateField(label=_("Starts on"), widget=DATE)
    end = forms.DateField(label=_("Ends on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages(self.township_id)


class WorkTeamForm(PairingForm):
    unit = ModelChoice(label=_("Sending unit"), queryset=Unit.objects.all(), required=False)


class WorkTeamEditForm(OrgForm):
    unit = ModelChoice(label=_("Sending unit"), queryset=Unit.objects.all(), required=False)
    end = forms.DateField(label=_("Ends on"), widget=DATE, required=False)


class MemberForm(OrgForm):
    cadre_name = forms.CharField(label=_("Cadre"))
    first_secretary = forms.BooleanField(label=_("First secretary"), required=False)
    start = forms.DateField(label=_("Dispatched from"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        data["cadre"] = self.cadre("cadre_name")
        return data


class MemberEditForm(OrgForm):
    first_secretary = forms.BooleanField(label=_("First secretary"), required=False)
    end = forms.DateField(label=_("Until"), widget=DATE, required=False)


class MutualGroupForm(OrgForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    township = RegionChoice(label=_("Township"), queryset=Region.objects.none(), required=False)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=20, required=False)
    members = forms.CharField(label=_("Five members"), help_text=_("Names separated by 、"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = townships()
        self.fields["township"].queryset = qs.filter(pk=self.township_id) if self.township_id else qs

    def clean(self):
        from tuopin.apps.organisation.imports.reading import _LIST

        data = super().clean()
        found = []
        for name in [n.strip() for n in _LIST.split(data.get("members") or "") if n.strip()]:
            try:
                found.append(Refs(self.user).cadre("members", name))
            except RowError as exc:
                self.add_error("members", f"{name}: {exc.reason}")
        data["member_cadres"] = found
        return data


class TripForm(OrgForm):
    on = forms.DateField(label=_("Date"), widget=DATE)
    villages = ModelMultipleChoice(label=_("Villages visited"), queryset=Region.objects.none(),
                                              required=False)
    households = forms.CharField(label=_("Households visited"), required=False,
                                 help_text=_("Household numbers separated by 、"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages(group.township_id)

    def clean(self):
        from tuopin.apps.organisation.imports.reading import _LIST

        data = super().clean()
        found = []
        for number in [n.strip() for n in _LIST.split(data.get("households") or "") if n.strip()]:
            try:
                found.append(Refs(self.user).household("households", number))
            except RowError as exc:
                self.add_error("households", f"{number}: {exc.reason}")
        data["household_list"] = found
        return data


class ItemForm(OrgForm):
    level = forms.ChoiceField(label=_("Level"), choices=ItemLevel.choices)
    region = RegionChoice(label=_("Township or village"), queryset=Region.objects.none())
    owner_unit = ModelChoice(label=_("Owning unit"), queryset=Unit.objects.all(), required=False)
    owner_cadre = forms.CharField(label=_("Owning cadre"), required=False)
    content = forms.CharField(label=_("What it asks for"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Region.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)).select_related("parent").order_by("code")
        if self.township_id:
            qs = qs.filter(pk=self.township_id) | qs.filter(parent_id=self.township_id)
        self.fields["region"].queryset = qs

    def clean(self):
        data = super().clean()
        data["cadre"] = self.cadre("owner_cadre", required=False)
        return data


class HouseholdPairingForm(OrgForm):
    cadre_name = forms.CharField(label=_("Pairing cadre"))
    start = forms.DateField(label=_("Starts on"), widget=DATE)

    def clean(self):
        data = super().clean()
        data["cadre"] = self.cadre("cadre_name")
        return data


class ItemEditForm(OrgForm):
    owner_unit = ModelChoice(label=_("Owning unit"), queryset=Unit.objects.all(), required=False)
    owner_cadre = forms.CharField(label=_("Owning cadre"), required=False)
    content = forms.CharField(label=_("What it asks for"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        data["cadre"] = self.cadre("owner_cadre", required=False)
        return data
