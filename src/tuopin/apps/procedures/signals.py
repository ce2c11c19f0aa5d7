"""What the procedures announce to the apps above them, which they do not import (the layers: decision 1300)."""

from django.dispatch import Signal

# A household exit refused at a stage (passed=False): sent once per event inside the procedure's transaction,
# after its permission check, with event, stage, note, by and source. A receiver's error rolls the refusal back.
# Assistance answers it with a rectification item (decision 1237).
exit_sent_back = Signal()
