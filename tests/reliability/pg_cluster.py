"""A private PostgreSQL cluster for the tests that stop, restart or starve
the database server (issue #17): started by the test in a temporary folder,
on its own free port, so the shared server the rest of the suite uses is
never touched.

The cluster runs as the `postgres` system user when the tests run as root
(PostgreSQL refuses to run as root). Durability is off (fsync,
synchronous_commit): a test cluster does not outlive a crash of the machine,
and it makes initdb and migrate several times faster."""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from bench.servers import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
SUPERUSER = "postgres"


def postgres_bin_dir():
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or None."""
    found = [
        Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(Path(d) / "initdb", os.X_OK) and os.access(Path(d) / "pg_ctl", os.X_OK)
    ]
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0) if found else None


def _as_server_user(command):
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--"] + command


class PrivateCluster:
    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="zou-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        if os.geteuid() == 0:
            account = pwd.getpwnam(SUPERUSER)
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool, *args):
        command = _as_server_user([str(self.bin / tool), *args])
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stdout}{done.stderr}\n{self.log_tail()}")
        return done.stdout

    def log_tail(self, lines=20):
        try:
            return "".join(self.log.read_text(errors="replace").splitlines(True)[-lines:])
        except OSError:
            return ""

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname):
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname="postgres"):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=dbname)
        connection.autocommit = True
        return connection

    def execute(self, sql, dbname="postgres"):
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def create_database(self, name, template=None):
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def manage(self, dbname, *args):
        """manage.py <args> against one of the cluster's databases; answers its output."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zou_site.settings", "DATABASE_URL": self.url(dbname),
               "SECRET_KEY": "private-cluster-tests-only"}
        env.pop("DEBUG", None)
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def row_counts(self, dbname):
        """{table: exact row count} of every table of the database."""
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                tables = [row[0] for row in cursor.fetchall()]
                counts = {}
                for table in tables:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')
                    counts[table] = cursor.fetchone()[0]
                return counts
        finally:
            connection.close()

    def wait_for(self, sql, dbname, timeout=30, interval=0.02):
        """Poll `sql` until it answers a row; answer that row (TimeoutError past `timeout`)."""
        connection = self.connect(dbname)
        try:
            deadline = time.monotonic() + timeout
            with connection.cursor() as cursor:
                while time.monotonic() < deadline:
                    cursor.execute(sql)
                    row = cursor.fetchone()
                    if row is not None:
                        return row
                    time.sleep(interval)
            raise TimeoutError(f"nothing answered within {timeout} s: {sql}")
        finally:
            connection.close()
