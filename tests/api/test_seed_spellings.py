"""The seed document's own spellings of a few routes (issue 15): each answers
as the route it spells (the Shotgun error read is in tests/imports/test_shotgun_routes.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from production.models import Asset, Task


def post_sheet(client, url, text):
    upload = SimpleUploadedFile("sheet.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"file": upload}, format="multipart")


def test_assets_types_is_asset_types(api_client, production):
    rows = api_client.get("/api/data/assets_types").json()
    assert sorted(row["name"] for row in rows) == ["Characters", "Props"]
    assert rows == api_client.get("/api/data/asset_types").json()
    props = production["asset_types"][0]
    assert api_client.get(f"/api/data/assets_types/{props.id}").json()["name"] == "Props"


def test_a_sheet_posted_to_the_singular_kind_or_under_its_file_name(api_client, production):
    body = post_sheet(api_client, "/api/data/import/csv/asset", "Project,Category,Name\nCosmos Landromat,Props,Lamp\n").json()
    assert (body["created"], [row["name"] for row in body["data"]]) == (1, ["Lamp"])
    assert Asset.objects.get(name="Lamp").entity_type.name == "Props"

    sheet = "Project,Task Type,Episode,Sequence,Shot,Name,Estimation\nCosmos Landromat,Animation,E01,S01,P01,main,4\n"
    body = post_sheet(api_client, "/api/data/import/csv/tasks.csv", sheet).json()
    assert (body["updated"], body["data"][0]["id"]) == (1, str(production["tasks"][0].id))
    assert Task.objects.get(pk=production["tasks"][0].pk).estimation == 4 * 3600
    refused = post_sheet(api_client, "/api/data/import/csv/tasks.csv", "Project,Task Type,Shot,Name\nNope,Animation,P01,main\n")
    assert refused.status_code == 400 and refused.json()["errors"][0]["line"] == 2
    assert post_sheet(api_client, "/api/data/import/csv/widget", "Name\nx\n").status_code == 404
