"""Fixtures of the production tests: the demo production and browsers of the admin."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from tests.conftest import make_person


@pytest.fixture
def demo(db):
    """The demo production of `manage.py seed_demo`, loaded the way an operator
    would; answers what the command printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows of every production table, many-to-many links included."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_app_config("production").get_models(include_auto_created=True)
    }


def browser_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def admin_browser(admin_person):
    return browser_for(admin_person)


@pytest.fixture
def manager_browser(db):
    return browser_for(make_person("manager"))
