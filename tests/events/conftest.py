import pytest

from production.models import ApiEvent

RECEIVED = []


def collect(events):
    """A sink: what it receives, in order."""
    RECEIVED.append([(event.name, dict(event.data)) for event in events])


def explode(events):
    raise RuntimeError("a broken sink")


@pytest.fixture
def sink(settings):
    """The events the sinks received, per call; a raising sink comes first and stops nothing."""
    RECEIVED.clear()
    settings.EVENT_SINKS = ["tests.events.conftest.explode", "tests.events.conftest.collect"]
    yield RECEIVED
    RECEIVED.clear()


def stored(**filters):
    """(name, data) of the stored events, oldest first."""
    return [(e.name, e.data) for e in ApiEvent.objects.filter(**filters).order_by("created_at", "id")]


@pytest.fixture
def admin_browser(admin_person):
    from tests.helpers import browser_for

    return browser_for(admin_person)
