"""The README's production set-up for a studio LAN, followed literally: migrate,
collectstatic, create_admin, then gunicorn with DEBUG off and HTTPS_ONLY=false.
One server for the module: the admin's static files come from WhiteNoise, the
API docs load nothing from another origin, and gazu logs in over plain HTTP."""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import gazu
import pytest
import requests

from bench.servers import start_gunicorn, stop_gunicorn

# One worker runs the whole module, so gunicorn starts once.
pytestmark = [pytest.mark.live, pytest.mark.xdist_group("lan_server")]

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL, ADMIN_PASSWORD = "it@lanternfish.studio", "Lan-only-pass-2026"
CSP = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
}


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lan")
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{folder / 'zou.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS_ONLY": "false",
    }
    manage_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zou_site.settings", **env}
    manage_env.pop("DEBUG", None)
    for command in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["create_admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=manage_env, check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w+", prefix="lan-gunicorn-", suffix=".log") as log:
        proc, base = start_gunicorn(log, workers=2, env=env)
        try:
            yield {"base": base, "static_root": folder / "static"}
        finally:
            stop_gunicorn(proc)


def urls_of(html, tag, attribute):
    return re.findall(rf'<{tag}\b[^>]*\b{attribute}="([^"]+)"', html)


def test_admin_css_and_js_are_served_compressed_with_hashed_names(lan):
    session = requests.Session()
    login_page = session.get(f"{lan['base']}/admin/login/", timeout=30)
    assert login_page.status_code == 200
    stylesheets = urls_of(login_page.text, "link", "href")
    base_css = next(url for url in stylesheets if re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", url))

    css = session.get(lan["base"] + base_css, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]  # a hashed name never changes content
    assert "#header" in css.text

    manifest = json.loads((lan["static_root"] / "staticfiles.json").read_text())["paths"]
    js = session.get(f"{lan['base']}/static/{manifest['admin/js/core.js']}", timeout=30)
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("text/javascript")

    # Signing in over plain HTTP works: the CSRF and session cookies are not marked Secure.
    form = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "next": "/admin/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    index = session.post(f"{lan['base']}/admin/login/", data=form, timeout=30)
    assert index.url == f"{lan['base']}/admin/" and "<title>Production data | Zou production</title>" in index.text
    assert set(index.headers["Content-Security-Policy"].split("; ")) == CSP
    assets = urls_of(index.text, "link", "href") + urls_of(index.text, "script", "src")
    assert assets and all(url.startswith("/static/") for url in assets)
    assert all(session.get(lan["base"] + url, timeout=30).status_code == 200 for url in assets)


def test_api_docs_load_everything_from_this_server(lan):
    page = requests.get(f"{lan['base']}/api/docs", timeout=30)
    assert page.status_code == 200
    assert set(page.headers["Content-Security-Policy"].split("; ")) == CSP
    scripts, links = urls_of(page.text, "script", "src"), urls_of(page.text, "link", "href")
    assert len(scripts) == 3 and len(links) == 3  # Swagger UI's bundle, preset and start-up script; CSS, ours, icon
    # No inline script or style: the policy would refuse them.
    assert page.text.count("<script") == 3 and "<style" not in page.text
    for url in scripts + links:
        assert url.startswith("/") and not url.startswith("//"), url
        answer = requests.get(lan["base"] + url, timeout=30)
        assert answer.status_code == 200, url
    start_up = requests.get(lan["base"] + next(url for url in scripts if url.startswith("/api/docs")), timeout=30)
    assert start_up.headers["Content-Type"].startswith("application/javascript")
    assert '"/api/openapi.json"' in start_up.text
    assert requests.get(f"{lan['base']}/api/openapi.json", timeout=30).json()["info"]["title"] == "Zou on Django"


def test_gazu_logs_in_over_plain_http(lan):
    gazu.set_host(f"{lan['base']}/api")
    try:
        gazu.log_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        assert gazu.client.get_current_user()["email"] == ADMIN_EMAIL
        assert gazu.project.new_project("Harbour Lights")["name"] == "Harbour Lights"
        assert [p["name"] for p in gazu.project.all_projects()] == ["Harbour Lights"]
    finally:
        gazu.client.default_client.tokens = {"access_token": None, "refresh_token": None}
        gazu.client.default_client.session.close()
    api = requests.get(f"{lan['base']}/api/data/projects", timeout=30)
    assert api.status_code == 401 and "Strict-Transport-Security" not in api.headers
