"""A real Celery worker for the tests that need one: `celery -A zou_site
worker` in a subprocess, on the test database and a Redis queue of its own.

Each pytest-xdist worker gets its own queue and Redis key prefix, so two
test processes never take each other's tasks (a task naming a row of another
test database would find nothing). The worker's log is kept in a file and
shown when a test fails waiting for it."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Short, so that the tests killing a worker see its task handed out again quickly.
VISIBILITY_TIMEOUT = 3


def redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {REDIS_URL} (TEST_REDIS_URL): {error}")


def database_url(settings_dict):
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    def __init__(self, *, settings_dict, media_root, log_dir, name, extra_env=None):
        self.name = name
        self.redis_url = REDIS_URL
        self.queue = f"zou-test-{name}"
        self.prefix = f"zou-test-{name}:"
        self.media_root = media_root
        self.log_path = log_dir / f"celery-{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zou_site.settings_test",
            "DATABASE_URL": database_url(settings_dict),
            "REDIS_URL": REDIS_URL,
            "CELERY_QUEUE": self.queue,
            "CELERY_KEY_PREFIX": self.prefix,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MEDIA_ROOT": str(media_root),
            "DB_CONN_MAX_AGE": "0",
            # The webhook receivers of the tests listen on the loopback; retries come quickly.
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "WEBHOOK_TIMEOUT_SECONDS": "1",
            "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
            **(extra_env or {}),
        }
        self.process = None
        self.starts = 0

    @property
    def transport_options(self):
        return {"visibility_timeout": VISIBILITY_TIMEOUT, "global_keyprefix": self.prefix}

    def start(self, timeout=60):
        self.starts += 1
        log = self.log_path.open("a")
        log.write(f"\n--- start {self.starts} ---\n")
        log.flush()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "zou_site", "worker", "--pool", "solo", "--loglevel", "INFO",
                "-Q", self.queue, "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        marker = f"--- start {self.starts} ---"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text()
            if " ready." in text[text.rindex(marker):]:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"the Celery worker did not start:\n{self.log()}")

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, as a crash or an OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def purge(self):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{self.prefix}*"))
        if keys:
            client.delete(*keys)

    def log(self, tail=6000):
        return self.log_path.read_text()[-tail:] if self.log_path.exists() else "(no log)"


def wait_for(condition, timeout, worker, what, interval=0.1):
    """Poll `condition()` until it is truthy; on timeout fail with the worker's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}; the Celery worker's log:\n{worker.log()}")
