"""Fixtures of the production tests: the demo production and browsers of the admin."""

import io

import pytest
from django.core.management import call_command

from tests.factories import make_person
from tests.helpers import browser_for


@pytest.fixture
def demo(db):
    """The demo production of `manage.py seed_demo`, loaded the way an operator
    would; answers what the command printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def admin_browser(admin_person):
    return browser_for(admin_person)


@pytest.fixture
def manager_browser(db):
    return browser_for(make_person("manager"))
