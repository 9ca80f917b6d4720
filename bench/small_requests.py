"""The small requests in-process: where a request's time goes (issue 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sbs .venv/bin/python bench/small_requests.py [--profile shot]

Runs inside one process with production settings (DEBUG off) through Django's
whole handler (middleware, URL resolving, authentication, the view, the
rendered body), on a production seeded by bench/seed_large.py (side_by_side.py's
fixture or the studio-scale one): no HTTP, no gunicorn, so what it prints is
the server's own cost per request. For each route: the median and p10 of
`--repeat` requests in ms and the queries each one sends. `--profile KEY`
prints cProfile's 40 costliest functions (cumulative) over the requests of
that route.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")
os.environ.pop("DEBUG", None)
os.environ.setdefault("HTTPS_ONLY", "false")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from production.auth.tokens import issue_tokens  # noqa: E402
from production.models import Person, Project, Shot, Task  # noqa: E402
from zou_site.api import compiled  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project-name", help="default: the project with the most shots")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", help="comma-separated route keys")
    parser.add_argument("--profile", help="a route key: print its cProfile")
    parser.add_argument("--plans", action="store_true", help="PostgreSQL's planning and execution ms of each query")
    return parser.parse_args()


def routes(project, shot):
    return [
        ("projects", "data/projects"),
        ("shot", f"data/shots/{shot.id}"),
        ("shot_tasks", f"data/shots/{shot.id}/tasks"),
        ("shots_name", f"data/shots?name={shot.name}"),
        ("entities_name", f"data/entities?name={shot.name}"),
        ("tasks_page", "data/tasks?page=1"),
        ("task", f"data/tasks/{Task.objects.filter(entity=shot).values_list('id', flat=True).first()}"),
    ]


def plan_ms(sql, params, runs=5):
    """Median planning and execution ms over `runs` EXPLAIN ANALYZE (with
    the planner setting a reused query is sent with, zou_site.api.compiled)."""
    setting = compiled.WRITTEN_ORDER if sql.startswith(compiled.WRITTEN_ORDER) else ""
    sql = sql.removeprefix(setting)
    planning, execution = [], []
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute(setting + "EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            planning.append(plan["Planning Time"])
            execution.append(plan["Execution Time"])
    return f"planning {statistics.median(planning):6.2f} ms, execution {statistics.median(execution):6.2f} ms"


def main():
    args = parse_args()
    admin = Person.objects.filter(role="admin", active=True).order_by("created_at").first()
    if admin is None:
        sys.exit("No active admin: run bench/api_bench.py or side_by_side.py once (they make one).")
    if args.project_name:
        project = Project.objects.get(name=args.project_name)
    else:
        project = max(Project.objects.all(), key=lambda p: Shot.objects.filter(project=p).count())
    shot = Shot.objects.filter(project=project, tasks__isnull=False).order_by("name", "id").first()
    token, _ = issue_tokens(admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    print(f"project {project.name!r}, shot {shot.name}, {args.repeat} requests per route, in-process")
    print(f"{'route':<16}{'median ms':>10}{'p10 ms':>8}{'queries':>8}")
    for key, path in routes(project, shot):
        if args.only and key not in args.only.split(","):
            continue
        url = "/api/" + path

        def get():
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            assert response.status_code == 200, (url, response.status_code, body[:300])
            return body

        for _ in range(5):
            get()
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, *rest: queries.append((sql, params)) or execute(sql, params, *rest)):
            get()
        times = []
        profiler = cProfile.Profile() if key == args.profile else None
        for _ in range(args.repeat):
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            get()
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{key:<16}{statistics.median(times):>10.2f}{times[len(times) // 10]:>8.2f}{len(queries):>8}")
        if args.plans:
            for sql, params in queries:
                print(f"    plan {plan_ms(sql, params)}  {sql[:90]}")
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", "40")))
            for sql, _ in queries:
                print(sql if os.environ.get("FULL_SQL") else sql[:300])


if __name__ == "__main__":
    main()
