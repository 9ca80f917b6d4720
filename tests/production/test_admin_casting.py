"""The casting in the admin (issue 15): a shot's page edits its assets with
their number of occurrences inline, refusing another project's asset with the
field named; an asset's page lists where it is cast."""

from django.urls import reverse

from production.models import Asset, EntityLink, Project, ProjectStatus, Shot

from tests.helpers import shot_page_with_casting as shot_page


def url(model, view, *args):
    return reverse(f"admin:production_{model._meta.model_name}_{view}", args=args)


def test_the_shot_page_edits_its_casting_with_occurrences(admin_browser, production):
    p01, (tree, victor) = production["shots"][0], production["assets"]
    page = admin_browser.get(url(Shot, "change", p01.pk))
    assert page.status_code == 200 and b"Casting" in page.content

    rows = [{"entity_out": tree.pk, "nb_occurences": 3, "label": "fg"}, {"entity_out": victor.pk, "nb_occurences": 1, "label": ""}]
    response = admin_browser.post(url(Shot, "change", p01.pk), shot_page(p01, rows))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert sorted(EntityLink.objects.filter(entity_in=p01).values_list("entity_out__name", "nb_occurences", "label")) == [
        ("Tree", 3, "fg"),
        ("Victor", 1, ""),
    ]
    assert sorted(a.name for a in p01.entities_out.all()) == ["Tree", "Victor"]

    link = EntityLink.objects.get(entity_in=p01, entity_out=tree)
    page = admin_browser.get(url(Shot, "change", p01.pk))
    assert "Tree" in page.content.decode() and 'value="3"' in page.content.decode()
    changed = [{"id": link.pk, "entity_in": p01.pk, "entity_out": tree.pk, "nb_occurences": 5, "label": "fg"}]
    assert admin_browser.post(url(Shot, "change", p01.pk), shot_page(p01, changed, initial=1)).status_code == 302
    assert EntityLink.objects.get(pk=link.pk).nb_occurences == 5


def test_the_shot_page_refuses_another_projects_asset_and_a_count_of_zero(admin_browser, production):
    p01 = production["shots"][0]
    theirs = Project.objects.create(name="Theirs", project_status=ProjectStatus.objects.get(name="Open"))
    rock = Asset.objects.create(name="Rock", project=theirs, entity_type=production["asset_types"][0])
    response = admin_browser.post(url(Shot, "change", p01.pk), shot_page(p01, [{"entity_out": rock.pk, "nb_occurences": 1}]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "another project" in str(errors[0]["entity_out"])
    zero = admin_browser.post(
        url(Shot, "change", p01.pk), shot_page(p01, [{"entity_out": production["assets"][0].pk, "nb_occurences": 0}])
    )
    assert zero.status_code == 200 and zero.context["inline_admin_formsets"][0].formset.errors[0]["nb_occurences"]
    assert not EntityLink.objects.exists()


def test_the_asset_page_shows_where_it_is_cast(admin_browser, production):
    (p01, p02, _), tree = production["shots"], production["assets"][0]
    EntityLink.objects.create(entity_in=p01, entity_out=tree, nb_occurences=4)
    EntityLink.objects.create(entity_in=p02, entity_out=tree)
    page = admin_browser.get(url(Asset, "change", tree.pk)).content.decode()
    assert "Cast in" in page
    assert "Cosmos Landromat / E01 / S01 / P01" in page and "Cosmos Landromat / E01 / S01 / P02" in page
