from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "web"
# Households, persons and yearly records are addressed by primary key only: never by ID number or name.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", authentication_form=LoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("regions/<int:pk>/", views.region, name="region"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("household-years/<int:pk>/edit/", views.household_year_edit, name="household_year_edit"),
    path("search/", views.search, name="search"),
]
