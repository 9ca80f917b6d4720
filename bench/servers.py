"""gunicorn as a studio runs it, started for a benchmark or a reliability test:
production settings on a free port of 127.0.0.1, its own process group so
stopping it takes the workers too, and its workers found through /proc.

Imported as `servers` by the bench scripts (run from this folder) and as
`bench.servers` by the tests; it imports nothing of the project."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    log, *, workers, worker_class="sync", threads=1, timeout=120, env=None, app="zou_site.wsgi:application", ready=("/api/", 200)
):
    """Start gunicorn on a free port and wait until GET /api/ answers 200
    (`ready`: another path and status, for zou_site.events_wsgi).
    `env` is added to this process's environment (DATABASE_URL above all).
    Answers (process, base URL)."""
    port = free_port()
    full_env = dict(os.environ)
    full_env.pop("DEBUG", None)  # production settings: DEBUG off, as a studio runs it
    full_env.update(
        DJANGO_SETTINGS_MODULE="zou_site.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        HTTPS_ONLY="false",  # plain HTTP on loopback, as on a studio LAN; TLS is a proxy's job
        ALLOWED_HOSTS="127.0.0.1",
    )
    full_env.update(env or {})
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn", app,
        "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout), "--chdir", str(ROOT),
        "--log-level", "warning",
    ]
    proc = subprocess.Popen(command, env=full_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            try:
                if requests.get(base + ready[0], timeout=10).status_code == ready[1]:
                    return proc, base
            except requests.RequestException:  # bound but still booting its workers
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer GET {ready[0]} within 60 s")
    except BaseException:
        stop_gunicorn(proc)  # the caller never gets it to stop
        raise


def stop_gunicorn(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def children(pid):
    """Child pids from /proc/<pid>/task/*/children, else by scanning every /proc/<n>/stat."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
        return found
    except OSError:
        pass
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found
