"""Which of gazu 1.3.1's public functions work against this server (issue 15,
acceptance 4): every function of the modules project, shot, asset, task,
person, files, casting, context, user, client and sync that reads or writes
the seed's data types, called with arguments built from the demo production.

    .venv/bin/python bench/gazu_coverage.py                 # a throwaway server
    .venv/bin/python bench/gazu_coverage.py --base-url http://127.0.0.1:8000 --email E --password P

Without --base-url it makes a temporary folder (SQLite database, media,
secret key), runs migrate, seed_demo and create_admin there, starts gunicorn
on a free port of 127.0.0.1 and removes everything at the end: nothing outside
that folder is touched. With --base-url it plays against a running server
(which it changes: it adds rows and removes some of those it added) as the
admin given.

Prints, per module: functions called, working, failing, and each failure
with the HTTP method, status and route of the last refused request (or the
exception when gazu failed on an answer). Functions out of the seed's scope
(budgets, playlists, day offs, chats...) or that never reach the server
(URL builders of helpers) are listed in OUT_OF_SCOPE with the reason, and
counted apart. Exit status 0 whatever fails: this is a measure, not a test.
"""

import argparse
import inspect
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import gazu
from gazu import asset, casting, client, context, files, person, project, shot, sync, task, user

from gazu_coverage_calls import OUT_OF_SCOPE, calls, demo_context
from servers import ROOT, start_gunicorn, stop_gunicorn

MODULES = [project, shot, asset, task, person, files, casting, context, user, client, sync]
PASSWORD = "coverage-not-a-secret-8"
ADMIN = "coverage-admin@example.com"

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running server, e.g. http://127.0.0.1:8000 (seeded with seed_demo)")
    parser.add_argument("--email", default=ADMIN, help="with --base-url: an admin's email")
    parser.add_argument("--password", default=PASSWORD, help="with --base-url: that admin's password")
    parser.add_argument("--verbose", action="store_true", help="print a traceback for each failure")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server log)")
    return parser.parse_args()


# --- the server ---------------------------------------------------------------------------------

def prepare_throwaway(folder):
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(folder / "static"),
    }
    full = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "zou_site.settings"}
    full.pop("DEBUG", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["seed_demo"], ["create_admin", "--email", ADMIN, "--password", PASSWORD]):
        subprocess.run(manage + command, env=full, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return env


# --- recording ----------------------------------------------------------------------------------

class Recorder:
    """Every answer gazu gets, through a requests hook: a failure names the
    last refused request (method, status, route), else the last request."""

    def __init__(self):
        self.last = self.refused = None

    def hook(self, response, *args, **kwargs):
        path = response.request.path_url.split("/api/", 1)[-1]
        entry = (response.request.method, response.status_code, path)
        self.last = entry
        if response.status_code >= 400:
            self.refused = entry
        return response

    def reset(self):
        self.last = self.refused = None


def public_functions(module):
    return sorted(
        name for name, fn in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == module.__name__
    )


def describe(error, recorder):
    if recorder.refused:
        method, status, path = recorder.refused
        return f"{method} {path} -> {status} ({type(error).__name__})"
    where = f" after {recorder.last[0]} {recorder.last[2]} -> {recorder.last[1]}" if recorder.last else ""
    return f"{type(error).__name__}: {str(error)[:120]}{where}"


def run(c, recorder, verbose):
    specs = calls()
    results = {}
    for module in MODULES:
        short = module.__name__.split(".")[1]
        names = public_functions(module)
        results[short] = {"ok": [], "failed": [], "out": [], "missing": []}
        for name in names:
            key = f"{short}.{name}"
            if key in OUT_OF_SCOPE:
                results[short]["out"].append(key)
            elif key not in specs:
                results[short]["missing"].append(key)
    for key, fn in specs.items():
        short = key.split(".")[0]
        recorder.reset()
        try:
            fn(c)
        except Exception as error:  # a measure: every failure is recorded, none stops the run
            results[short]["failed"].append((key, describe(error, recorder)))
            if verbose:
                traceback.print_exc()
        else:
            results[short]["ok"].append(key)
    return results


def report(results):
    print(f"\ngazu {gazu.__version__}: public functions on the seed's scope\n")
    print(f"{'module':<10} {'called':>6} {'working':>7} {'failing':>7}   (out of scope, not called)")
    totals = [0, 0, 0, 0]
    for module, r in results.items():
        called = len(r["ok"]) + len(r["failed"])
        row = [called, len(r["ok"]), len(r["failed"]), len(r["out"])]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"{module:<10} {row[0]:>6} {row[1]:>7} {row[2]:>7}   ({row[3]})")
    print(f"{'total':<10} {totals[0]:>6} {totals[1]:>7} {totals[2]:>7}   ({totals[3]})")
    print("\nFailing:")
    for module, r in results.items():
        for key, why in r["failed"]:
            print(f"  {key:<48} {why}")
    missing = [key for r in results.values() for key in r["missing"]]
    if missing:
        print("\nNeither called nor listed out of scope (add them):", ", ".join(missing))


def main():
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gazu-coverage-"))
    server = None
    try:
        base = args.base_url
        if not base:
            env = prepare_throwaway(folder)
            with open(folder / "gunicorn.log", "w") as log:
                # sync workers close each connection: no kept-alive socket goes stale between calls
                server, base = start_gunicorn(log, workers=2, env=env)
        base = base.rstrip("/")
        recorder = Recorder()
        gazu.set_host(f"{base}/api")
        gazu.client.default_client.session.hooks["response"].append(recorder.hook)
        gazu.log_in(args.email, args.password)
        c = demo_context(folder, args.email, PASSWORD, base)
        c.artist_client.session.hooks["response"].append(recorder.hook)
        report(run(c, recorder, args.verbose))
    finally:
        stop_gunicorn(server)
        if server is not None and server.returncode not in (0, -15, None):
            print((folder / "gunicorn.log").read_text()[-3000:])
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
