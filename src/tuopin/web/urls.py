from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from . import views
from .converters import (FieldFormConverter, HousingStageConverter, IdConverter, OrganisationKindConverter,
                         RosterKindConverter, YearConverter)
from .views import field_api, field_review
from .views import administration, after_exit, aid, asset_income, campaigns, coverage, evaluation, field, housing, integrity, monitoring, projects, rectification, registration, risk, rosters, village_figures, what_if
from .views import field_forms
from .views import login as login_views
from .views import password as password_views
from .views import organisation as org
from .views import organisation_edit as org_edit
from .views import second_factor as second_factor_views
from .views import wall as wall_views

app_name = "web"
register_converter(IdConverter, "id")  # record ids: 1 to 2^63 − 1, else 404 (decision 1140)
register_converter(OrganisationKindConverter, "orgkind")  # the organisation workbook's kinds
register_converter(HousingStageConverter, "housingstage")  # the stages a renovation's page records
register_converter(RosterKindConverter, "rosterkind")  # the department rosters' kinds
register_converter(FieldFormConverter, "fieldform")  # the forms exported as XLSForms
register_converter(YearConverter, "year")  # four digits; the views check the years the registry holds
# Households, persons and yearly records are addressed by primary key only: never by ID number or name.
urlpatterns = [
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("login/code/", login_views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # 三员分立: accounts (system administrator), roles and scopes (security), audit trail (audit).
    path("admin/accounts/", administration.accounts, name="admin_accounts"),
    path("admin/accounts/<id:pk>/disable/", administration.account_disable, name="admin_account_disable"),
    path("admin/accounts/<id:pk>/reset-password/", administration.password_reset, name="admin_password_reset"),
    path("admin/roles/", administration.roles, name="admin_roles"),
    path("admin/roles/<id:pk>/", administration.role_edit, name="admin_role_edit"),
    path("admin/audit/", administration.audit_trail, name="admin_audit"),
    path("admin/lockouts/", administration.lockouts_page, name="admin_lockouts"),
    path("admin/lockouts/<id:pk>/release/", administration.lockout_release, name="admin_lockout_release"),
    path("account/second-factor/", second_factor_views.totp_enrol, name="totp_enrol"),
    path("account/password/", password_views.password_change_page, name="password_change"),
    path("", views.home, name="home"),
    path("regions/<id:pk>/", views.region, name="region"),
    path("regions/<id:pk>/trend/", views.region_trend, name="region_trend"),
    path("wall/", wall_views.wall, name="wall"),
    path("wall/data.json", wall_views.wall_data, name="wall_data"),
    path("households/<id:pk>/", views.household, name="household"),
    path("households/<id:pk>/edit/", views.household_edit, name="household_edit"),
    path("persons/<id:pk>/edit/", views.person_edit, name="person_edit"),
    path("household-years/<id:pk>/edit/", views.household_year_edit, name="household_year_edit"),
    path("search/", views.search, name="search"),
    # Documents: codes, keys and years in the path, never a name or an ID number.
    path("regions/<id:pk>/report-<year:year>.xlsx", views.area_report_xlsx, name="area_report_xlsx"),
    path("regions/<id:pk>/report-<year:year>.pdf", views.area_report_pdf, name="area_report_pdf"),
    path("regions/<id:pk>/notice-list-<year:year>.pdf", views.notice_list_pdf, name="notice_list_pdf"),
    path("households/<id:pk>/file.pdf", views.household_file_pdf, name="household_file_pdf"),
    # The household procedures (exit, identification, return): lists by stage, batch actions, one procedure with
    # its objections. The posted forms name the procedure (`kind`).
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/identification/", views.procedures, {"kind": "identification"},
         name="identification_procedures"),
    path("procedures/returns/", views.procedures, {"kind": "returns"}, name="return_procedures"),
    path("procedures/identification/register/", registration.household_register_page, name="household_register"),
    path("procedures/propose/", views.procedure_propose, name="procedure_propose"),
    path("procedures/advance/", views.procedure_advance, name="procedure_advance"),
    path("procedures/<id:pk>/", views.procedure_event, name="procedure_event"),
    path("procedures/<id:pk>/objections/", views.objection_record, name="objection_record"),
    path("procedures/<id:pk>/objections/<id:objection_pk>/resolve/", views.objection_resolve,
         name="objection_resolve"),
    # Village and county exits (贫困村退出, 贫困县摘帽): the areas with the engine's verdict, one procedure, its notice.
    path("area-exits/villages/", views.area_exits, {"kind": "village"}, name="village_exits"),
    path("area-exits/county/", views.area_exits, {"kind": "county"}, name="county_exits"),
    path("area-exits/villages/figures/", village_figures.village_figures_page, name="village_figures"),
    path("area-exits/villages/figures/template.csv", village_figures.village_figures_template,
         name="village_figures_template"),
    path("area-exits/propose/", views.area_exit_propose, name="area_exit_propose"),
    path("area-exits/case/<id:pk>/", views.area_exit_detail, name="area_exit"),
    path("area-exits/case/<id:pk>/advance/", views.area_exit_advance, name="area_exit_advance"),
    path("area-exits/case/<id:pk>/objections/", views.area_objection_record, name="area_objection_record"),
    path("area-exits/case/<id:pk>/objections/<id:objection_pk>/resolve/", views.area_objection_resolve,
         name="area_objection_resolve"),
    path("area-exits/case/<id:pk>/notice.pdf", views.area_exit_notice_pdf, name="area_exit_notice_pdf"),
    # Accountability: tasks, visits, the zone and county boards (decision 0800).
    path("tasks/", views.task_list, name="tasks"),
    # Field work (decision 1560): the sheets the phone caches offline, the visits it sends back.
    path("field/api/households/", field_api.households, name="field_api_households"),
    path("field/api/visits/", field_api.visits, name="field_api_visits"),
    path("field/changes/", field_review.changes, name="field_changes"),
    path("field/changes/<id:pk>/", field_review.change_review, name="field_change"),
    path("tasks/<id:pk>/", views.task_detail, name="task"),
    path("tasks/<id:pk>/complete/", views.task_complete, name="task_complete"),
    path("households/<id:pk>/visit/", views.visit_record, name="visit_record"),
    # The phone app for field visits, offline first (decision 1565): the page and its service worker.
    path("field/", field.field_app, name="field"),
    path("field/sw.js", field.field_worker, name="field_worker"),
    path("zone/", views.zone_home, name="zone_home"),
    path("zones/<id:pk>/", views.zone_board, name="zone_board"),
    path("accountability/", views.county_board, name="county_board"),
    path("assessments/<id:pk>/propose/", views.assessment_propose, name="assessment_propose"),
    path("assessments/<id:pk>/veto/", views.assessment_veto, name="assessment_veto"),
    # The evaluation round (第三方评估) and rectification items (问题整改), decisions 1240 and 1241.
    path("evaluation/", evaluation.evaluation_list, name="evaluation_list"),
    path("evaluation/<id:pk>/", evaluation.evaluation_round, name="evaluation_round"),
    path("evaluation/<id:pk>/samples/<id:sample_pk>/", evaluation.evaluation_finding, name="evaluation_finding"),
    path("evaluation/<id:pk>/survey/", evaluation.evaluation_survey, name="evaluation_survey"),
    path("evaluation/<id:pk>/sample.xlsx", evaluation.evaluation_export, name="evaluation_export"),
    path("rectification/", rectification.rectification_list, name="rectification_list"),
    path("rectification/new/", rectification.rectification_new, name="rectification_new"),
    path("rectification/check/", rectification.rectification_check, name="rectification_check"),
    path("rectification/<id:pk>/reopen/", rectification.rectification_reopen, name="rectification_reopen"),
    # After exit (四个不摘): the four-not-removes check of a year, made into rectification items (decision 1412).
    path("after-exit/", after_exit.four_not_removes, name="four_not_removes"),
    # Funds and projects (decisions 1500–1505): the ledger with its import, the projects.
    path("funds/", projects.funds, name="funds"),
    path("funds/template.xlsx", projects.funds_template, name="funds_template"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<id:pk>/", projects.project_detail, name="project"),
    path("projects/<id:pk>/record/", projects.project_record, name="project_record"),
    path("after-exit/rectify/", after_exit.four_not_removes_rectify, name="four_not_removes_rectify"),
    # The organisation, kept by people (decisions 1220–1225): lists, record pages with history, import, templates.
    path("organisation/", org.org_index, name="org_index"),
    path("organisation/templates/<orgkind:kind>.xlsx", org.org_template, name="org_template"),
    path("organisation/missing/", org.org_missing, name="org_missing"),
    path("organisation/units/", org.unit_list, name="org_units"),
    path("organisation/units/new/", org_edit.unit_edit, name="org_unit_new"),
    path("organisation/units/<id:pk>/", org_edit.unit_edit, name="org_unit"),
    path("organisation/cadres/", org.cadre_list, name="org_cadres"),
    path("organisation/cadres/new/", org_edit.cadre_edit, name="org_cadre_new"),
    path("organisation/cadres/<id:pk>/", org_edit.cadre_edit, name="org_cadre"),
    path("organisation/groups/", org.group_list, name="org_groups"),
    path("organisation/groups/new/", org_edit.group_edit, name="org_group_new"),
    path("organisation/groups/<id:pk>/", org_edit.group_edit, name="org_group"),
    path("organisation/war-zones/", org.war_zone_list, name="org_zones"),
    path("organisation/war-zones/<id:pk>/", org_edit.zone_edit, name="org_zone"),
    path("organisation/unit-villages/", org.pairing_list, name="org_pairings"),
    path("organisation/unit-villages/new/", org_edit.pairing_edit, name="org_pairing_new"),
    path("organisation/unit-villages/<id:pk>/", org_edit.pairing_edit, name="org_pairing"),
    path("organisation/work-teams/", org.work_team_list, name="org_teams"),
    path("organisation/work-teams/new/", org_edit.team_edit, name="org_team_new"),
    path("organisation/work-teams/<id:pk>/", org_edit.team_edit, name="org_team"),
    path("organisation/work-teams/<id:team_pk>/members/new/", org_edit.member_edit, name="org_member_new"),
    path("organisation/work-team-members/<id:pk>/", org_edit.member_edit, name="org_member"),
    path("organisation/mutual-groups/", org.mutual_group_list, name="org_mutual_groups"),
    path("organisation/mutual-groups/new/", org_edit.mutual_group_edit, name="org_mutual_group_new"),
    path("organisation/mutual-groups/<id:pk>/", org_edit.mutual_group_edit, name="org_mutual_group"),
    path("organisation/mutual-groups/<id:group_pk>/trips/new/", org_edit.trip_edit, name="org_trip_new"),
    path("organisation/trips/<id:pk>/", org_edit.trip_edit, name="org_trip"),
    path("organisation/households/<id:pk>/pair/", org_edit.household_pairing_new, name="org_household_pair"),
    path("organisation/responsibility/", org.item_list, name="org_items"),
    path("organisation/responsibility/new/", org_edit.item_new, name="org_item_new"),
    path("organisation/responsibility/<id:pk>/", org_edit.item_edit, name="org_item"),
    # Monitoring after exit (防返贫动态监测, decisions 1400–1403): cases in scope, one case and its stages, a clue from
    # the household page, a department's alert, the village notice; the public application form needs no login.
    path("asset-income/", asset_income.station_list, name="asset_income"),
    path("asset-income/import/", asset_income.generation_import_page, name="asset_income_import"),
    path("asset-income/import/template/", asset_income.generation_template, name="asset_income_template"),
    path("asset-income/<id:pk>/", asset_income.station, name="asset_income_station"),
    path("asset-income/<id:pk>/income/", asset_income.income, name="asset_income_income"),
    path("asset-income/<id:pk>/plan/", asset_income.plan, name="asset_income_plan"),
    path("asset-income/<id:pk>/payments/", asset_income.payment, name="asset_income_payment"),
    path("asset-income/<id:pk>/payments/<id:payment_pk>/reverse/", asset_income.reverse_payment,
         name="asset_income_reverse"),
    path("asset-income/<id:pk>/posting/", asset_income.posting, name="asset_income_posting"),
    path("monitoring/", monitoring.case_list, name="monitoring"),
    path("housing/", housing.renovation_list, name="housing"),
    path("housing/find/", housing.renovation_find, name="housing_find"),
    path("housing/<id:pk>/", housing.renovation_detail, name="housing_renovation"),
    path("housing/<id:pk>/<housingstage:stage>/", housing.renovation_stage, name="housing_stage"),
    path("households/<id:pk>/housing/new/", housing.renovation_new, name="housing_new"),
    path("monitoring/risk/", risk.risk_list, name="risk"),
    path("monitoring/<id:pk>/", monitoring.case_detail, name="monitoring_case"),
    path("monitoring/<id:pk>/stage/", monitoring.case_stage, name="monitoring_stage"),
    path("monitoring/<id:pk>/measures/", monitoring.case_measure, name="monitoring_measure"),
    path("households/<id:pk>/monitoring/new/", monitoring.clue_new, name="monitoring_clue"),
    path("monitoring/alert/", monitoring.alert_new, name="monitoring_alert"),
    path("regions/<id:pk>/monitoring/clues/", monitoring.village_clues, name="monitoring_village_clues"),
    path("monitoring/notice/<id:pk>/", monitoring.notice, name="monitoring_notice"),
    path("apply/", monitoring.apply, name="monitoring_apply"),
    path("apply/sent/", monitoring.apply_sent, name="monitoring_apply_sent"),
    # Education and medical aid paid per person (decisions 1530, 1531) and campaigns (decision 1535).
    path("aid/", aid.aid_county, name="aid"),
    # Every policy to every eligible person (倒查正推, decision 1554).
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("what-if/", what_if.what_if_page, name="what_if"),
    path("what-if/runs/", what_if.what_if_runs, name="what_if_runs"),
    path("what-if/runs/<id:pk>/", what_if.what_if_run, name="what_if_run"),
    path("what-if/compare/", what_if.what_if_compare, name="what_if_compare"),
    path("coverage/tasks/", coverage.coverage_tasks, name="coverage_tasks"),
    path("signals/", integrity.signals_page, name="signals"),
    path("signals/run/", integrity.signals_run_page, name="signals_run"),
    path("aid/import/", aid.aid_import_page, name="aid_import"),
    path("aid/template.xlsx", aid.aid_template, name="aid_template"),
    # The forms field teams use on ODK and KoboToolbox, and their submissions (decisions 1570, 1571).
    path("field/forms/<fieldform:form>.xlsx", field_forms.form_xlsx, name="field_form_xlsx"),
    path("field/forms/import/", field_forms.forms_import_page, name="field_forms_import"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<id:pk>/", campaigns.campaign_board, name="campaign"),
    path("campaigns/<id:pk>/log/", campaigns.progress_new, name="campaign_log"),
    path("campaigns/<id:pk>/log/<id:log>/correct/", campaigns.progress_correct, name="campaign_log_correct"),
    path("campaigns/<id:pk>/targets/", campaigns.target_set, name="campaign_target"),
    path("campaigns/<id:pk>/participants/", campaigns.participant_add, name="campaign_participant"),
    path("campaigns/<id:pk>/participants/<id:participant>/remove/", campaigns.participant_remove,
         name="campaign_participant_remove"),
    # Department rosters (倒查正推), decisions 1540–1542.
    path("rosters/", rosters.roster_list, name="rosters"),
    path("rosters/<id:pk>/", rosters.roster_detail, name="roster"),
    path("rosters/<id:pk>/entries/<id:entry>/review/", rosters.entry_review, name="roster_entry_review"),
    path("rosters/template/<rosterkind:kind>.xlsx", rosters.roster_template, name="roster_template"),
]
