"""A pipeline script listening to the live event stream with gazu.events,
and the stand-in event the stream tests publish (what publish reads of a
production.ApiEvent)."""

import threading
import time
from dataclasses import dataclass, field

import gazu

from production.models import Project
from tests.factories import PASSWORD, make_person, make_production


@dataclass
class StandInEvent:
    """What publish reads of a stored event (production.ApiEvent)."""

    name: str
    data: dict = field(default_factory=dict)
    project_id: object = None


class Listener:
    """A pipeline script: its own gazu client logged in over the API, then
    gazu.events.init / add_listener / run_client in a thread, as Zou's docs show."""

    def __init__(self, api_url, events_url, person=None, names=("task:update",), tokens=None):
        self.client = gazu.client.create_client(f"{api_url}/api")
        if tokens is not None:
            self.client.tokens = tokens
        else:
            gazu.log_in(person.email, PASSWORD, client=self.client)
        gazu.set_event_host(events_url, client=self.client)
        self.received = []
        self.times = []  # time.monotonic() of each receipt
        self.events = gazu.events.init(client=self.client, reconnection=False)
        for name in names:
            gazu.events.add_listener(self.events, name, lambda data, name=name: self._receive(name, data))
        self.thread = threading.Thread(target=gazu.events.run_client, args=(self.events,), daemon=True)
        self.thread.start()

    def _receive(self, name, data):
        self.times.append(time.monotonic())
        self.received.append((name, data))

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def close(self):
        self.events.disconnect()

    def join(self):
        # run_client returns about a second after the disconnection (socketio's
        # Client.wait): close_all closes every listener first, then joins them.
        self.thread.join(10)
        self.client.session.close()


def close_all(listeners):
    for listener in listeners:
        listener.close()
    for listener in listeners:
        listener.join()


def two_teams():
    """make_production's project and first task with an artist on its team,
    and a second project with an outsider on its own."""
    production = make_production()
    project = production["project"]
    other = Project.objects.create(name="Harbour Lights", project_status=project.project_status)
    artist, outsider = make_person("user"), make_person("user")
    project.team.add(artist)
    other.team.add(outsider)
    return {"project": project, "task": production["tasks"][0], "other": other, "artist": artist, "outsider": outsider}
