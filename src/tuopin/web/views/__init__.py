from .area_exits import (
    area_exit_advance,
    area_exit_detail,
    area_exit_notice_pdf,
    area_exit_propose,
    area_exits,
    area_objection_record,
    area_objection_resolve,
)
from .documents import area_report_pdf, area_report_xlsx, household_file_pdf, notice_list_pdf
from .edit import household_edit, household_year_edit, person_edit
from .pages import home, household, region, region_trend
from .procedures import (
    objection_record,
    objection_resolve,
    procedure_advance,
    procedure_event,
    procedure_propose,
    procedures,
)
from .search import search
from .tasks import task_complete, task_detail, task_list, visit_record
from .boards import assessment_propose, assessment_veto, county_board, zone_board, zone_home

__all__ = ["home", "region", "region_trend", "household", "household_edit", "person_edit", "household_year_edit", "search",
           "area_report_xlsx", "area_report_pdf", "notice_list_pdf", "household_file_pdf",
           "procedures", "procedure_propose", "procedure_advance", "procedure_event", "objection_record",
           "objection_resolve", "task_list", "task_detail", "task_complete", "visit_record", "zone_home",
           "zone_board", "county_board", "assessment_propose", "assessment_veto", "area_exits", "area_exit_propose",
           "area_exit_detail", "area_exit_advance", "area_objection_record", "area_objection_resolve",
           "area_exit_notice_pdf"]
