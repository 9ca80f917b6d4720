#!/usr/bin/env bash
# The two commands of the README's Quick start.
#   ./dev.sh serve   install, migrate, load the demo, create an admin, serve on :8000
#   ./dev.sh test    install and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

install() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
}

case "${1:-}" in
  serve)
    install
    export DEBUG="${DEBUG:-true}"
    "$VENV/bin/python" manage.py migrate --no-input
    "$VENV/bin/python" manage.py seed_demo
    "$VENV/bin/python" manage.py create_admin --email "${ADMIN_EMAIL:-admin@example.com}"
    echo "Serving on http://127.0.0.1:8000/admin/ and http://127.0.0.1:8000/api/ (Ctrl+C to stop)"
    exec "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
    ;;
  test)
    install
    shift
    exec "$VENV/bin/python" -m pytest -n "${TEST_WORKERS:-2}" "$@"
    ;;
  *)
    echo "usage: ./dev.sh serve | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
