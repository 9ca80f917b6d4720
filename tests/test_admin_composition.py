"""Each production admin page carries what every app adds to it: the thumbnail
section (files) and CSV import/export (imports), composed once by zou_site.admin.
Two apps re-registering the same admin used to drop the first one's part."""

import pytest

from tests.helpers import THUMBNAIL, browser_for


@pytest.mark.parametrize("kind, index", [("shots", 0), ("assets", 0)])
def test_shot_and_asset_admin_show_the_thumbnail_and_the_csv_import_export_buttons(
    kind, index, production, admin_person, api_client, media_root
):
    row = production[kind][index]
    uploaded = api_client.post(
        f"/api/pictures/thumbnails/{kind}/{row.id}", {"file": THUMBNAIL.open("rb")}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    browser = browser_for(admin_person)
    model = row._meta.model_name

    page = browser.get(f"/admin/production/{model}/{row.id}/change/").content.decode()
    assert 'class="fieldset-heading">Thumbnail</h2>' in page
    assert '<img src="data:image/png;base64,' in page and f'alt="{kind} thumbnail"' in page

    # django-import-export puts the Import and Export buttons on the list page.
    listing = browser.get(f"/admin/production/{model}/").content.decode()
    assert f"<a href='/admin/production/{model}/import/' class=\"import_link\">Import</a>" in listing
    assert f'<a href="/admin/production/{model}/export/' in listing and 'class="export_link">Export</a>' in listing

