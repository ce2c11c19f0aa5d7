from .edit import household_edit, household_year_edit, person_edit
from .pages import home, household, region
from .search import search

__all__ = ["home", "region", "household", "household_edit", "person_edit", "household_year_edit", "search"]
