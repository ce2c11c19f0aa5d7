"""Writes of the accountability domain, one import away. Each lives in the module named for its topic:

- sync.py            tasks_sync: the year's gaps become tasks, closed and reopened with the gaps
- tasks.py           task_create, task_complete, task_evidence_add, tasks_generate_templates ("4+4")
- visits.py          visit_record, mutual_group_trip_record ("1+1", "1×5")
- responsibility.py  responsibility_item_create, responsibility_item_complete (six levels)
- scoring.py         assessments_compute, assessment_propose, assessment_veto
"""

from .responsibility import responsibility_item_complete, responsibility_item_create  # noqa: F401
from .scoring import assessment_propose, assessment_veto, assessments_compute  # noqa: F401
from .sync import tasks_sync  # noqa: F401
from .tasks import task_complete, task_create, task_evidence_add, tasks_generate_templates  # noqa: F401
from .visits import FollowUp, mutual_group_trip_record, visit_record  # noqa: F401
