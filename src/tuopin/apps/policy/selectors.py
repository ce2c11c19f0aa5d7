"""Reading rosters, always through the scoping layer (decision 1542): the rosters an account may see, the kinds it may
upload, and a roster's entries with ID numbers masked unless the account may see them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import roster_entries_visible_to, rosters_visible_to
from tuopin.common.masking import mask_id
from tuopin.standards.rosters import layouts

from .models import HOW, Roster

HOWS = tuple(code for code, _ in HOW)
FIELD_LABELS = {"id_number": gettext_lazy("ID number"), "name": gettext_lazy("Name"), "sex": gettext_lazy("Sex"),
                "birth_date": gettext_lazy("Date of birth"), "village": gettext_lazy("Village")}


def rosters_for(user):
    return rosters_visible_to(user).select_related("department", "uploaded_by")


def roster_for(user, pk: int) -> Roster | None:
    return rosters_for(user).filter(pk=pk).first()


def upload_kinds(user) -> list[tuple[str, str]]:
    """(kind, label) of the kinds the account may upload."""
    return [(k, lay.label) for k, lay in layouts().items() if may(user, Action.IMPORT_ROSTER, lay.departments)]


def departments():
    """The county's departments, for the county office to name the one whose roster it keys in."""
    Unit = Roster._meta.get_field("department").related_model  # organisation sits above policy
    return Unit.objects.filter(kind="department").order_by("name")


def label(kind: str) -> str:
    lay = layouts().get(kind)
    return lay.label if lay else kind


def entries(user, roster: Roster, how: str = ""):
    """The roster's entries the account may see, in file order (of one `how` when given), as a queryset."""
    qs = roster_entries_visible_to(user).filter(roster=roster).select_related("person__household")
    return qs.filter(how=how) if how in HOWS else qs


def _shown(value, type_: str) -> str:
    if value is None:
        return ""
    if type_ == "money":
        return f"{value / 100:,.2f}"
    if type_ == "bool":
        return "是" if value else "否"
    return str(value)


def entry_rows(user, roster: Roster, page) -> list[dict]:
    """The page's entries for the table: the ID number (masked unless the account may see it; what the file held
    where it is not a valid one), the kind's own columns as text (money in yuan) and the matched household."""
    unmasked = may(user, Action.SEE_ID_NUMBERS)
    lay = layouts().get(roster.kind)
    own = lay.own if lay else ()
    rows = []
    for e in page:
        number = e.id_number or e.id_given
        rows.append({"entry": e, "id_number": number if unmasked else mask_id(number),
                     "extras": [_shown(e.extra.get(c.name), c.type) for c in own],
                     "household": e.person.household if e.person_id else None,
                     "reviewable": e.how in ("likeness", "review") and e.person_id is not None,
                     "agreed": [FIELD_LABELS.get(f, f) for f, same in e.agreement.items() if same is True],
                     "close": [FIELD_LABELS.get(f, f) for f, same in e.agreement.items() if same == "close"],
                     "differed": [FIELD_LABELS.get(f, f) for f, same in e.agreement.items() if same is False]})
    return rows
