"""A pipeline script listening to the live event stream with gazu.events,
and the stand-in event the stream tests publish (what publish reads of a
production.ApiEvent)."""

import threading
import time
from dataclasses import dataclass, field

import gazu

from tests.factories import PASSWORD


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
        self.events = gazu.events.init(client=self.client, reconnection=False)
        for name in names:
            gazu.events.add_listener(self.events, name, lambda data, name=name: self.received.append((name, data)))
        self.thread = threading.Thread(target=gazu.events.run_client, args=(self.events,), daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def close(self):
        self.events.disconnect()

    def join(self):
        # run_client returns about a second after the disconnection (socketio's
        # Client.wait): listeners are closed first, then joined together.
        self.thread.join(10)
        self.client.session.close()
