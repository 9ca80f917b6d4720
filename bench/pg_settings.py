"""The heavy routes' SQL under PostgreSQL's default settings and the README's
recommended ones (issue 16: random_page_cost, work_mem, jit), side by side.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api
    .venv/bin/python bench/seed_large.py            # once
    .venv/bin/python bench/pg_settings.py [--rounds 5] [--only with_tasks,csv_tasks]

Each route of bench/api_bench.py named by --only is answered once in-process
(Django's test client, as the bench admin) while its queries are recorded.
Then, for --rounds rounds, every recorded SELECT is run again under each
configuration in turn, in a transaction with SET LOCAL (nothing changes
outside it: the server may be shared), as EXPLAIN (ANALYZE, TIMING OFF,
FORMAT JSON): what is summed per route is PostgreSQL's own planning +
execution time and JIT time, without the transfer or the app. Printed per
route and configuration: the median over the rounds, in ms, and its ratio
to the defaults. The configurations alternate within each round, each
round starting with the next one, so a load that changes during the run
weighs on all alike; the load average is
printed at the start and the end.
"""

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Django's test client, in-process: plain HTTP from "testserver".
os.environ.setdefault("HTTPS_ONLY", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
from api_bench import ADMIN_EMAIL, bench_ids, ensure_admin, routes  # noqa: E402  (sets Django up)

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from production.auth.tokens import issue_tokens  # noqa: E402
from production.models import Person  # noqa: E402
from seed_large import DEFAULT_PROJECT  # noqa: E402

# PostgreSQL's defaults, set explicitly in case DATABASE_URL's options change them.
CONFIGS = {
    "defaults": {"work_mem": "4MB", "random_page_cost": "4", "jit": "on"},
    "recommended": {"work_mem": "32MB", "random_page_cost": "1.1", "jit": "off"},
    "jit off": {"work_mem": "4MB", "random_page_cost": "4", "jit": "off"},
    "work_mem 32MB": {"work_mem": "32MB", "random_page_cost": "4", "jit": "on"},
    "random_page_cost 1.1": {"work_mem": "4MB", "random_page_cost": "1.1", "jit": "on"},
}
DEFAULT_ROUTES = "project_shots,shots_all,with_tasks,tasks_page,tasks_deep,tasks_filter,tasks_person,csv_tasks"
# A server-side cursor's query is recorded as its DECLARE.
DECLARE = re.compile(r"^DECLARE \S+ (?:NO SCROLL )?CURSOR (?:WITH(?:OUT)? HOLD )?FOR ", re.IGNORECASE)
# Settings sent with a query, for it alone (zou_site/api/compiled.py).
SENT_WITH = re.compile(r"^((?:SET LOCAL [^;]+;\s*)+)(.*)$", re.IGNORECASE | re.DOTALL)


def recorded_selects(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/{path}")
        if response.streaming:
            b"".join(response.streaming_content)
    if response.status_code != 200:
        sys.exit(f"{path}: {response.status_code}")
    selects = []
    for query in captured.captured_queries:
        sql = DECLARE.sub("", query["sql"])
        if SENT_WITH.sub(r"\2", sql).lstrip().upper().startswith(("SELECT", "WITH")):
            selects.append(sql)
    return selects


def server_ms(selects, settings):
    """PostgreSQL's planning + execution (+ JIT) time of the queries, in ms."""
    total = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = %s", [value])
        for sql in selects:
            sent = SENT_WITH.match(sql)
            with transaction.atomic():  # a savepoint, rolled back: what is sent with a query holds for it alone
                if sent:
                    cursor.execute(sent.group(1))
                    sql = sent.group(2)
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
                total += plan["Planning Time"] + plan["Execution Time"]
                transaction.set_rollback(True)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default=DEFAULT_ROUTES)
    parser.add_argument("--project-name", default=DEFAULT_PROJECT)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded by bench/seed_large.py.")
    ensure_admin()
    person = Person.objects.get(email=ADMIN_EMAIL)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(person)[0]}")
    wanted = args.only.split(",")
    chosen = [(key, label, path) for key, label, method, path, _, _ in routes(bench_ids(args.project_name)) if key in wanted]
    print(f"database {connection.settings_dict['NAME']}; load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    recorded = {key: recorded_selects(client, path) for key, _, path in chosen}
    times = {(key, config): [] for key, _, _ in chosen for config in CONFIGS}
    names = list(CONFIGS)
    for round_ in range(args.rounds):
        for key, _, _ in chosen:
            # Each round starts with the next configuration: none always runs first.
            for config in names[round_ % len(names):] + names[:round_ % len(names)]:
                times[key, config].append(server_ms(recorded[key], CONFIGS[config]))
    print(f"{'route':<44} {'queries':>7} " + " ".join(f"{config:>22}" for config in CONFIGS))
    for key, label, _ in chosen:
        medians = {config: statistics.median(times[key, config]) for config in CONFIGS}
        cells = [f"{medians[config]:10.1f} ms x{medians[config] / medians['defaults']:.2f}" for config in CONFIGS]
        print(f"{label:<44} {len(recorded[key]):>7} " + " ".join(f"{cell:>22}" for cell in cells))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
