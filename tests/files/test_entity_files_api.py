"""The files of an entity over HTTP (issue 15): outputs recorded by task type
on the entity's task, their paths, the lists gazu reads, a working file
saved again; who may do each."""

import pytest
from django.utils import timezone

from files.models import OutputFile, OutputType, PreviewFile, WorkingFile
from production.models import Task
from tests.factories import make_person
from tests.helpers import assert_json_message, assert_query_baseline, client_for, row_counts

pytestmark = pytest.mark.django_db

OUTPUT_FOLDER = "/simple/productions/export/cosmos_landromat/assets/props/tree/shaders/geometry"


@pytest.fixture
def geometry(db):
    return OutputType.objects.create(name="Geometry", short_name="geo")


def new_output(client, task, output_type, **body):
    body = {"task_type_id": str(task.task_type_id), "output_type_id": str(output_type.id), **body}
    return client.post(f"/api/data/entities/{task.entity_id}/output-files/new", body, format="json")


def test_outputs_of_an_entity_by_task_type(artist_client, artist, asset_task, simple_tree, geometry):
    first = new_output(artist_client, asset_task, geometry, comment="Fix flicker!", representation="abc", nb_elements=3)
    assert first.status_code == 201, first.content
    row = first.json()
    assert (row["type"], row["revision"], row["task_id"], row["entity_id"], row["person_id"]) == (
        "OutputFile", 1, str(asset_task.id), str(asset_task.entity_id), str(artist.id))
    assert (row["representation"], row["nb_elements"], row["output_type_id"]) == ("abc", 3, str(geometry.id))
    assert row["folder_path"] == OUTPUT_FOLDER
    assert row["file_name"] == "cosmos_landromat_props_tree_shaders_geometry_v001_fix_flicker"
    assert row["path"] == f"{OUTPUT_FOLDER}/{row['file_name']}"
    assert new_output(artist_client, asset_task, geometry).json()["revision"] == 2
    assert new_output(artist_client, asset_task, geometry, revision=9).json()["revision"] == 9
    again = new_output(artist_client, asset_task, geometry, revision=9)
    assert "Revision 9" in assert_json_message(again, 400)["message"]


def test_the_output_path_without_recording_anything(artist_client, asset_task, simple_tree, geometry):
    OutputFile.objects.create(name="main", revision=4, task=asset_task, entity=asset_task.entity, output_type=geometry)
    before = row_counts("files")
    url = f"/api/data/entities/{asset_task.entity_id}/output-file-path"
    body = {"task_type_id": str(asset_task.task_type_id), "output_type_id": str(geometry.id), "separator": "\\"}
    answer = artist_client.post(url, body, format="json").json()
    assert answer == {
        "folder_path": OUTPUT_FOLDER.replace("/", "\\").replace("\\simple\\productions\\export", "/simple\\productions/export"),
        "file_name": "cosmos_landromat_props_tree_shaders_geometry_v005",
    }
    assert row_counts("files") == before
    unknown = artist_client.post(url, {**body, "task_type_id": str(geometry.id)}, format="json")
    assert assert_json_message(unknown, 400)["errors"] == {"task_type_id": ["Unknown id."]}


def test_an_entity_without_a_task_of_the_type_or_with_several(api_client, production, asset_task, simple_tree, geometry):
    shot_type = production["task_types"][0]
    answer = new_output(api_client, asset_task, geometry, task_type_id=str(shot_type.id))
    assert "no task of this type" in assert_json_message(answer, 400)["message"]
    Task.objects.create(name="extra", project=asset_task.project, task_type=asset_task.task_type,
                        task_status=production["todo"], entity=asset_task.entity)
    # Among several, the one named "main".
    assert new_output(api_client, asset_task, geometry).json()["task_id"] == str(asset_task.id)


def test_the_lists_of_an_entity_and_a_project(api_client, production, asset_task, simple_tree, geometry):
    cache = OutputType.objects.create(name="Cache")
    made = [new_output(api_client, asset_task, geometry).json() for _ in range(2)]
    made.append(new_output(api_client, asset_task, cache).json())
    shot_task = production["tasks"][0]
    on_shot = new_output(api_client, shot_task, cache).json()
    entity = f"/api/data/entities/{asset_task.entity_id}"
    listed = api_client.get(f"{entity}/output-files").json()
    assert [(r["output_type_id"], r["revision"]) for r in listed] == [(str(cache.id), 1), (str(geometry.id), 2), (str(geometry.id), 1)]
    narrowed = api_client.get(f"{entity}/output-files", {"output_type_id": str(geometry.id), "task_type_id": str(asset_task.task_type_id)})
    assert [r["id"] for r in narrowed.json()] == [made[1]["id"], made[0]["id"]]
    assert api_client.get(f"{entity}/output-files", {"task_type_id": str(shot_task.task_type_id)}).json() == []
    last = api_client.get(f"{entity}/output-files/last-revisions").json()
    assert sorted(r["id"] for r in last) == sorted([made[1]["id"], made[2]["id"]])
    assert [r["name"] for r in api_client.get(f"{entity}/output-types").json()] == ["Cache", "Geometry"]
    project = api_client.get(f"/api/data/projects/{production['project'].id}/output-files").json()
    assert {r["id"] for r in project} == {*(r["id"] for r in made), on_shot["id"]}


def test_working_files_of_an_entity_and_one_saved_again(artist_client, asset_task, artist):
    main = WorkingFile.objects.create(name="main", revision=1, task=asset_task, entity=asset_task.entity)
    layout = WorkingFile.objects.create(name="layout", revision=3, task=asset_task, entity=asset_task.entity)
    url = f"/api/data/entities/{asset_task.entity_id}/working-files"
    assert [r["id"] for r in artist_client.get(url).json()] == [str(layout.id), str(main.id)]
    assert [r["id"] for r in artist_client.get(url, {"name": "main", "task_id": str(asset_task.id)}).json()] == [str(main.id)]
    before = timezone.now()
    touched = artist_client.put(f"/api/actions/working-files/{main.id}/modified", {}, format="json")
    assert touched.status_code == 200 and touched.json()["id"] == str(main.id)
    assert WorkingFile.objects.get(pk=main.pk).updated_at >= before


@pytest.mark.parametrize("role", ["user", "supervisor", "client"])
def test_who_may_record(role, production, asset_task, simple_tree, geometry):
    """Writers: who may act on the task (the user here is not assigned to it;
    supervisors of the project are); clients never. Recording for someone
    else: managers and admins only."""
    person = make_person(role)
    production["project"].team.add(person)
    client = client_for(person)
    working_file = WorkingFile.objects.create(name="main", task=asset_task, entity=asset_task.entity)
    before = row_counts("files")
    output = new_output(client, asset_task, geometry)
    touched = client.put(f"/api/actions/working-files/{working_file.id}/modified")
    if role == "supervisor":
        assert (output.status_code, touched.status_code) == (201, 200)
        someone = new_output(client, asset_task, geometry, person_id=str(make_person("user").id))
        assert "someone else" in assert_json_message(someone, 403)["message"]
    else:
        assert_json_message(output, 403)
        assert_json_message(touched, 403)
        assert row_counts("files") == before


FILE_LISTS = [
    "data/tasks/{task}/previews", "data/shots/{shot}/preview-files", "data/projects/{project}/preview-files",
    "data/projects/{project}/output-files", "data/entities/{shot}/output-files",
    "data/entities/{shot}/output-files/last-revisions", "data/entities/{shot}/output-types",
    "data/entities/{shot}/working-files",
]


@pytest.mark.parametrize("path", FILE_LISTS)
def test_the_file_lists_keep_their_query_baseline(path, api_client, production, django_assert_max_num_queries):
    task = production["tasks"][0]
    for n in range(3):
        output_type = OutputType.objects.create(name=f"Type {n}")
        OutputFile.objects.create(name=f"out {n}", task=task, entity=task.entity, output_type=output_type)
        PreviewFile.objects.create(name=f"preview {n}", revision=n + 1, task=task)
        WorkingFile.objects.create(name=f"work {n}", task=task, entity=task.entity)
    url = "/api/" + path.format(task=task.id, shot=task.entity_id, project=production["project"].id)
    key = "GET " + path.replace("{task}", "<id>").replace("{shot}", "<id>").replace("{project}", "<id>")
    with assert_query_baseline(django_assert_max_num_queries, key):
        rows = api_client.get(url).json()  # a streamed list runs its queries while read
    assert len(rows) == 3
