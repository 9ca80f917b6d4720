"""The live stream of events that `gazu.events` listens to: a Socket.IO server
on namespace /events, and `publish(events)`, the sink production.events calls
with each committed batch of events.

Who receives what: every listener joins the room of its person when it
connects (with the same bearer token as the API); `publish` sends each event
to the rooms of the active persons who see its project at that moment
(production.querysets.persons_seeing_projects: admins and managers, and the
project's team). An event of no project (a person, a status, a task type)
reaches admins and managers only. So a team change or a deactivation counts
from the next event on, without the listener reconnecting. A listener whose
token is revoked (logout, password change, deactivation) is disconnected by
the server holding it within EVENTS_RECHECK_SECONDS: every listener's token is
checked again in two queries, whatever their number, and reconnecting is
refused with the reason.

How events travel: with REDIS_URL set, `publish` writes each event once on a
Redis pub/sub channel (EVENTS_REDIS_CHANNEL) from whichever API worker made the
change, and the events server (zou_site/events_wsgi.py, its own gunicorn)
listens there and sends it to its listeners. Without REDIS_URL there is one
process: the server of zou_site/wsgi.py (runserver, the README's demo) sends it
itself. Publishing never fails the write that caused it: a Redis outage is
logged and the events of that moment are lost to the stream (they stay stored).
"""

import logging
import threading
import time
from contextlib import contextmanager, nullcontext

import socketio
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from rest_framework import exceptions

from production.auth.authentication import BearerTokenAuthentication
from production.auth.tokens import SESSION_CLAIM, revoked_sessions, token_issued_at
from production.querysets import persons_seeing_projects

NAMESPACE = "/events"
logger = logging.getLogger(__name__)

# A Redis that does not answer must not hold an API worker for the kernel's
# TCP timeout: past these seconds the publish fails. After a failure the
# process stops trying for REDIS_PAUSE_SECONDS, so a write during an outage
# pays one timeout at most, not one per event.
REDIS_TIMEOUT_SECONDS = 2
REDIS_PAUSE_SECONDS = 10

_lock = threading.Lock()
_servers = {}
_publishers = {}
_redis_down_until = {}  # per (REDIS_URL, channel): monotonic time to try again


def person_room(person_id):
    return f"person:{person_id}"


class RedisPublisher(socketio.RedisManager):
    """The API workers' write-only side. Inside `pipelined()` the messages go
    to Redis in pipelines of PIPELINE_SIZE, one round trip each instead of one
    per event (measured: 0.7 ms an event one by one, so 70 s after a 100k-task
    import). One attempt and its error raised (python-socketio's own retries
    once per message and only logs), so `publish` stops at the first failure."""

    PIPELINE_SIZE = 1000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._buffer = threading.local()

    @contextmanager
    def pipelined(self):
        self._buffer.messages = []
        try:
            yield
            self._flush()
        finally:
            self._buffer.messages = None

    def _publish(self, data):
        messages = getattr(self._buffer, "messages", None)
        if messages is None:
            return self._send([self.json.dumps(data)])
        messages.append(self.json.dumps(data))
        if len(messages) >= self.PIPELINE_SIZE:
            self._flush()

    def _flush(self):
        messages, self._buffer.messages = self._buffer.messages, []
        if messages:
            self._send(messages)

    def _send(self, messages):
        try:
            if not self.connected:
                self._redis_connect()
            pipeline = self.redis.pipeline(transaction=False)
            for message in messages:
                pipeline.publish(self.channel, message)
            pipeline.execute()
        except Exception:
            self.connected = False
            raise


def _redis_manager(manager_class, **options):
    return manager_class(
        settings.REDIS_URL,
        channel=settings.EVENTS_REDIS_CHANNEL,
        logger=logger,
        redis_options={"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        **options,
    )


def _allowed_origin(origin, environ):
    """Browsers from this host or a CORS_ALLOWED_ORIGINS origin; scripts (gazu)
    send the origin of the URL they connect to, so they pass as same-origin."""
    if not origin:
        return False
    if origin in settings.CORS_ALLOWED_ORIGINS:
        return True
    host = environ.get("HTTP_X_FORWARDED_HOST", environ.get("HTTP_HOST", "")).split(",")[0].strip()
    return bool(host) and origin.split("://", 1)[-1] == host


def server():
    """This process's Socket.IO server, one per Redis configuration (the
    tests change it): Redis-backed when REDIS_URL is set, else in memory."""
    key = (settings.REDIS_URL, settings.EVENTS_REDIS_CHANNEL, settings.EVENTS_PING_SECONDS)
    with _lock:
        if key not in _servers:
            _servers[key] = _make_server()
        return _servers[key]


class EventsServer(socketio.Server):
    """Refuses a listener at the Engine.IO handshake, before any session
    exists: the client gets a 401 with the reason at once (gazu's
    connect_error handler logs it), instead of a session whose namespaces are
    refused one by one while a long poll keeps it open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # sid on /events → (person id, session, issued at) of its token.
        self.listeners = {}
        self.sweeper = None

    def _handle_eio_connect(self, eio_sid, environ):
        try:
            environ["zou.person"], environ["zou.token"] = _person_of(environ)
        except exceptions.AuthenticationFailed as error:
            return {"message": str(error.detail)}
        return super()._handle_eio_connect(eio_sid, environ)

    def listener_joined(self, sid, person, token):
        self.listeners[sid] = (person.pk, token.get(SESSION_CLAIM), token_issued_at(token))
        with _lock:
            if self.sweeper is None:
                self.sweeper = self.start_background_task(self.sweep_revoked)

    def sweep_revoked(self):
        """Forever, in the background of the process holding the listeners."""
        checked = time.monotonic()
        while True:
            # Short naps, so a changed setting counts within a second.
            self.sleep(min(1, settings.EVENTS_RECHECK_SECONDS))
            if time.monotonic() - checked < settings.EVENTS_RECHECK_SECONDS:
                continue
            checked = time.monotonic()
            try:
                self.disconnect_revoked()
            except Exception:  # the sweep must outlive any one failure
                logger.exception("The sweep of revoked listeners failed")

    def disconnect_revoked(self):
        """Closes the whole connection of each listener whose token no longer
        holds (gazu's client then tries again and is told why it is refused)."""
        listeners = dict(self.listeners)
        if not listeners:
            return
        try:
            revoked = revoked_sessions(listeners.values())
        except Exception:
            logger.exception("Could not check the tokens of %d listener(s)", len(listeners))
            return
        finally:
            connection.close()
        for sid, held in listeners.items():
            if held in revoked:
                self.listeners.pop(sid, None)
                self.close_connection(self.manager.eio_sid_from_sid(sid, NAMESPACE))

    def close_connection(self, eio_sid):
        """Engine.IO's disconnect(), without waiting for the client to read
        the close packet (a long-polling client may never come back for it,
        which would hold the sweep forever)."""
        socket = self.eio.sockets.pop(eio_sid, None) if eio_sid is not None else None
        if socket is not None:
            socket.close(wait=False, reason=self.eio.reason.SERVER_DISCONNECT)


def _make_server():
    manager = _redis_manager(socketio.RedisManager) if settings.REDIS_URL else None
    sio = EventsServer(
        # threading: one thread per listener, under runserver and gunicorn's
        # gthread worker alike (simple-websocket takes gunicorn's socket).
        async_mode="threading",
        client_manager=manager,
        # Without Redis the stream shares the API's process, runserver's in the
        # demo, which cannot hand a request's socket over to a websocket:
        # listeners stay on long-polling there (gazu's client does both).
        transports=["polling", "websocket"] if settings.REDIS_URL else ["polling"],
        allow_upgrades=bool(settings.REDIS_URL),
        cors_allowed_origins=_allowed_origin,
        cors_credentials=False,
        ping_interval=settings.EVENTS_PING_SECONDS,
    )

    # gazu's client also connects the default namespace (its connect_error
    # handler lives there); only /events gets events.
    @sio.on("connect", namespace=NAMESPACE)
    def connect_events(sid, environ, auth=None):
        sio.enter_room(sid, person_room(environ["zou.person"].pk), namespace=NAMESPACE)
        sio.listener_joined(sid, environ["zou.person"], environ["zou.token"])

    @sio.on("disconnect", namespace=NAMESPACE)
    def disconnect_events(sid, *args):
        sio.listeners.pop(sid, None)

    return sio


def _emitter():
    """Where `publish` sends: the Redis channel, else this process's server."""
    if not settings.REDIS_URL:
        return server()
    key = (settings.REDIS_URL, settings.EVENTS_REDIS_CHANNEL)
    with _lock:
        if key not in _publishers:
            _publishers[key] = _redis_manager(RedisPublisher, write_only=True)
        return _publishers[key]


def _person_of(environ):
    """A listener is the person of a valid bearer token, read as the API reads
    it: a missing, malformed, expired or revoked token, or a deactivated
    person, is AuthenticationFailed."""
    try:
        found = BearerTokenAuthentication().authenticate(WSGIRequest(environ))
    finally:
        # The handshake may run in a listener's thread, which lives as long
        # as its websocket: no database connection may stay open with it.
        connection.close()
    if found is None:
        raise exceptions.AuthenticationFailed("Send the access token as 'Authorization: Bearer <token>'.")
    return found


def publish(events):
    """EVENT_SINKS entry: send each event, as Zou does (its name, its data with
    the project id), to the listeners allowed to see it. Never raises: the
    events stay stored whatever happens to their streaming."""
    events = list(events)
    if not events:
        return
    redis_key = (settings.REDIS_URL, settings.EVENTS_REDIS_CHANNEL)
    if settings.REDIS_URL and time.monotonic() < _redis_down_until.get(redis_key, 0):
        logger.warning("%d event(s) not streamed: Redis failed less than %d s ago", len(events), REDIS_PAUSE_SECONDS)
        return
    try:
        emitter = _emitter()
        if not settings.REDIS_URL and not emitter.manager.rooms.get(NAMESPACE):
            return  # one process and nobody listening: nothing to read or send
        project_ids = {event.project_id for event in events if event.project_id is not None}
        managers, teams = persons_seeing_projects(project_ids)
        with emitter.pipelined() if isinstance(emitter, RedisPublisher) else nullcontext():
            _emit_all(emitter, events, managers, teams)
    except Exception:
        if settings.REDIS_URL:
            _redis_down_until[redis_key] = time.monotonic() + REDIS_PAUSE_SECONDS
        logger.exception("The live stream could not send %d event(s); they stay stored", len(events))


def _emit_all(emitter, events, managers, teams):
    rooms = {}  # per project id (None: no project), worked out once per batch (an import's may be 100k events)
    for event in events:
        project_id = None if event.project_id is None else str(event.project_id)
        if project_id not in rooms:
            persons = managers | teams.get(project_id, set()) if project_id is not None else managers
            rooms[project_id] = sorted(person_room(p) for p in persons)
        if not rooms[project_id]:
            continue
        data = dict(event.data)
        if project_id is not None:
            data.setdefault("project_id", project_id)
        emitter.emit(event.name, data, namespace=NAMESPACE, room=rooms[project_id])
