"""The live event stream as a pipeline script meets it: gazu.events connects to
the events server with its login's token and receives the events of the
projects its person sees, nothing else. One process, no Redis: the events
server runs in a thread beside the live server (as in the README's demo).
tests/production/test_events_stream_redis.py crosses processes through Redis."""

import logging
import socket
import threading
import time

import gazu
import pytest
import socketio
from django.contrib.contenttypes.models import ContentType
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from production import events_stream
from production.auth.tokens import issue_tokens, session_revoke
from production.models import ApiEvent, Project, Shot, TaskStatus
from tests.factories import PASSWORD, make_person, make_production
from tests.helpers import browser_for, client_for, shot_page_with_task_status
from tests.production.listeners import Listener, StandInEvent, close_all, two_teams

# serialized_rollback: the flush between transactional tests would otherwise
# take the reference rows (project and task statuses) of the data migrations.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def events_url(live_server, settings):
    """The events server of one process, on a port of its own."""
    settings.REDIS_URL = ""
    # A closing long-polling client may lose its close packet (python-engineio's
    # write loop can stop before sending it) and then waits for the server's
    # next ping: short pings keep such a teardown short.
    settings.EVENTS_PING_SECONDS = 2
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(socketio.WSGIApp(events_stream.server()))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def listen(live_server, events_url):
    opened = []

    def open_listener(person=None, **options):
        listener = Listener(live_server.url, events_url, person, **options)
        opened.append(listener)
        return listener

    yield open_listener
    close_all(opened)


def test_a_status_changed_through_the_api_reaches_the_team_within_a_second_and_no_other(listen, live_server):
    teams = two_teams()
    project, task, other, artist, outsider = (teams[key] for key in ("project", "task", "other", "artist", "outsider"))
    todo, done = TaskStatus.objects.get(short_name="todo"), TaskStatus.objects.get(short_name="done")
    names = ("task:update", "task:status-changed")
    coordinator = make_person("manager")
    on_team, off_team, manager = listen(artist, names=names), listen(outsider, names=names), listen(coordinator, names=names)

    # The change, as a TD's script makes it.
    script = gazu.client.create_client(f"{live_server.url}/api")
    gazu.log_in(coordinator.email, PASSWORD, client=script)
    gazu.task.update_task({"id": str(task.pk), "task_status_id": str(done.pk)}, client=script)
    answered = time.monotonic()
    script.session.close()

    received = on_team.wait_for(2)
    assert [name for name, _ in received] == ["task:update", "task:status-changed"]
    assert on_team.times[1] - answered < 1
    update, status_changed = (data for _, data in received)
    assert (update["task_id"], update["project_id"]) == (str(task.pk), str(project.pk))
    assert update["changes"]["task_status_id"] == {"old": str(todo.pk), "new": str(done.pk)}
    assert status_changed == {
        "task_id": str(task.pk), "project_id": str(project.pk), "person_id": str(coordinator.pk),
        "previous_task_status_id": str(todo.pk), "new_task_status_id": str(done.pk),
    }
    assert manager.wait_for(2) == received

    # Events reach a listener in order: once the outsider has the event of its
    # own project, one of the first project would have come before it.
    events_stream.publish([StandInEvent("task:update", {"task_id": "t2", "project_id": str(other.pk)}, other.pk)])
    assert off_team.wait_for(1) == [("task:update", {"task_id": "t2", "project_id": str(other.pk)})]
    assert manager.wait_for(3)[2:] == off_team.received
    assert len(on_team.received) == 2


def test_a_status_changed_in_the_admin_reaches_the_team(listen):
    """A coordinator changes a task row's status on its shot's admin page."""
    # The flush between transactional tests may have given the content types
    # new ids; the admin's history line must not use ids cached before.
    ContentType.objects.clear_cache()
    teams = two_teams()
    project, task, outsider = teams["project"], teams["task"], teams["outsider"]
    shot = Shot.objects.get(pk=task.entity_id)
    todo, wip = TaskStatus.objects.get(short_name="todo"), TaskStatus.objects.get(short_name="wip")
    coordinator = make_person("manager")
    names = ("task:update", "task:status-changed")
    on_team, off_team = listen(teams["artist"], names=names), listen(outsider, names=names)

    page = reverse("admin:production_shot_change", args=[shot.pk])
    assert browser_for(coordinator).post(page, shot_page_with_task_status(shot, task, wip)).status_code == 302
    answered = time.monotonic()
    received = on_team.wait_for(2)
    assert [name for name, _ in received] == ["task:update", "task:status-changed"]
    assert on_team.times[1] - answered < 1
    assert all((data["task_id"], data["project_id"]) == (str(task.pk), str(project.pk)) for _, data in received)
    assert received[1][1]["previous_task_status_id"] == str(todo.pk)
    assert received[1][1]["new_task_status_id"] == str(wip.pk)
    assert received[1][1]["person_id"] == str(coordinator.pk)
    assert off_team.wait_for(1, timeout=0.5) == []


def test_an_event_of_no_project_reaches_admins_and_managers_only(listen):
    production = make_production()
    artist = make_person("user")
    production["project"].team.add(artist)
    artist_listener, admin_listener = listen(artist, names=("person:update", "task:update")), listen(make_person("admin"), names=("person:update",))

    events_stream.publish([StandInEvent("person:update", {"person_id": str(artist.pk)})])
    assert admin_listener.wait_for(1) == [("person:update", {"person_id": str(artist.pk)})]
    events_stream.publish([StandInEvent("task:update", {"task_id": "t"}, production["project"].pk)])
    assert artist_listener.wait_for(1) == [("task:update", {"task_id": "t", "project_id": str(production["project"].pk)})]


def test_leaving_the_team_or_deactivation_counts_from_the_next_event(listen):
    production = make_production()
    project = production["project"]
    other = Project.objects.create(name="Harbour Lights", project_status=project.project_status)
    leaving, deactivated, staying = make_person("user"), make_person("supervisor"), make_person("user")
    project.team.add(leaving, deactivated)
    other.team.add(leaving, deactivated, staying)
    listeners = [listen(person) for person in (leaving, deactivated)]

    project.team.remove(leaving)
    deactivated.active = False
    deactivated.save()
    events_stream.publish([StandInEvent("task:update", {"task_id": "hidden"}, project.pk)])
    marker = StandInEvent("task:update", {"task_id": "marker", "project_id": str(other.pk)}, other.pk)
    events_stream.publish([marker])
    assert listeners[0].wait_for(1) == [("task:update", marker.data)]
    assert listeners[1].wait_for(1, timeout=0.5) == []


def _refused(live_server, events_url, tokens, caplog):
    with caplog.at_level(logging.ERROR, logger="gazu.events"):
        with pytest.raises(socketio.exceptions.ConnectionError):
            Listener(live_server.url, events_url, tokens=tokens)
    return " ".join(record.getMessage() for record in caplog.records if record.name == "gazu.events")


@pytest.mark.parametrize("case", ["no token", "garbage", "refresh token", "logged out", "password changed", "deactivated"])
def test_a_listener_without_a_valid_token_is_refused_and_told_why(live_server, events_url, caplog, case):
    person = make_person("admin")
    access, refresh = issue_tokens(person)
    tokens = {"access_token": access, "refresh_token": None}
    reason = "This token was revoked."
    if case == "no token":
        tokens["access_token"], reason = None, "Send the access token as 'Authorization: Bearer <token>'."
    elif case == "garbage":
        tokens["access_token"], reason = "not.a.token", "Invalid token"
    elif case == "refresh token":
        tokens["access_token"], reason = refresh, "Invalid token"
    elif case == "logged out":
        session_revoke(AccessToken(access))
    elif case == "password changed":
        person.tokens_valid_after = timezone.now()
        person.save()
    else:
        person.active, reason = False, "This account is deactivated."
        person.save()
    assert reason in _refused(live_server, events_url, tokens, caplog)


def test_the_same_token_connects(live_server, events_url):
    """The refusals above are the token's, not the server's: the same person's
    valid token connects."""
    access, _ = issue_tokens(make_person("user"))
    listener = Listener(live_server.url, events_url, tokens={"access_token": access, "refresh_token": None})
    try:
        assert listener.events.connected and set(listener.events.namespaces) == {"/", "/events"}
    finally:
        close_all([listener])


def test_a_write_succeeds_and_its_event_is_stored_when_redis_is_down(settings, caplog, django_capture_on_commit_callbacks):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/3"
    production = make_production()
    api = client_for(make_person("manager"))
    done = TaskStatus.objects.get(short_name="done")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="production.events_stream"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = api.put(f"/api/data/tasks/{production['tasks'][0].pk}", {"task_status_id": str(done.pk)}, format="json")
        assert answer.status_code == 200 and answer.json()["task_status_id"] == str(done.pk)
        assert ApiEvent.objects.filter(name="task:status-changed", object_id=production["tasks"][0].pk).count() == 1
        assert "could not send 2 event(s); they stay stored" in caplog.text
        # The next writes of the outage pay no Redis timeout at all.
        with django_capture_on_commit_callbacks(execute=True):
            answer = api.put(f"/api/data/tasks/{production['tasks'][1].pk}", {"task_status_id": str(done.pk)}, format="json")
        assert answer.status_code == 200
        assert "2 event(s) not streamed: Redis failed less than 10 s ago" in caplog.text
    assert time.monotonic() - started < 10


def test_a_listener_whose_token_is_revoked_is_disconnected_and_gets_nothing_more(listen, settings):
    """Logging out (gazu.log_out) or a password change ends a running listener
    within EVENTS_RECHECK_SECONDS; a listener of another session stays."""
    settings.EVENTS_RECHECK_SECONDS = 0.2
    production = make_production()
    project = production["project"]
    artist, supervisor, staying = make_person("user"), make_person("supervisor"), make_person("user")
    project.team.add(artist, supervisor, staying)
    logged_out, re_passworded, kept = listen(artist), listen(supervisor), listen(staying)
    server = events_stream.server()

    def held():  # a previous test's listener may linger until its ping times out
        return sorted(str(person_id) for person_id, _, _ in server.listeners.values() if person_id in {artist.pk, supervisor.pk, staying.pk})

    assert held() == sorted(str(person.pk) for person in (artist, supervisor, staying))

    gazu.log_out(client=logged_out.client)
    supervisor.tokens_valid_after = timezone.now()
    supervisor.save()
    deadline = time.monotonic() + 5
    while (logged_out.events.connected or re_passworded.events.connected) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not logged_out.events.connected and not re_passworded.events.connected
    assert kept.events.connected and held() == [str(staying.pk)]

    events_stream.publish([StandInEvent("task:update", {"task_id": "after"}, project.pk)])
    assert kept.wait_for(1) == [("task:update", {"task_id": "after", "project_id": str(project.pk)})]
    assert logged_out.received == [] and re_passworded.received == []
