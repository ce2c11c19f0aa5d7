"""/api/: the registry endpoints, the OpenAPI schema (/api/schema/) and its Swagger UI (/api/docs/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import accountability, docs, projects, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("household-years", views.HouseholdYearViewSet, basename="household-year")
router.register("person-years", views.PersonYearViewSet, basename="person-year")
router.register("tasks", accountability.TaskViewSet, basename="task")
router.register("visits", accountability.VisitViewSet, basename="visit")
router.register("projects", projects.ProjectViewSet, basename="project")

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    *router.urls,
]
