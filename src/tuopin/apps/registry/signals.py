"""What the registry announces to the apps above it, which it does not import (the layers: decision 1300)."""

from django.dispatch import Signal

# Announced status events changed households' status (an announcement of a procedure, or a status change that needs
# none): sent once per write, inside its transaction, after the permission check, with household_ids, kind (the
# events' kind), on (the day they took effect), by and source. A receiver's error rolls the announcement back.
# Monitoring answers a return to poverty by ending the household's open case (decision 1442).
status_announced = Signal()
