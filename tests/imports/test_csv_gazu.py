"""gazu 1.3.1's CSV calls, unchanged, against a live server: its
project-scoped import and export spellings."""

import gazu
import pytest

from production.models import Project, Shot

# serialized_rollback: the flush between transactional tests would otherwise
# drop the reference rows the data migrations created (statuses, entity types).
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def gazu_manager(gazu_as):
    return gazu_as("manager", email="coord@studio.test")


def test_gazu_imports_and_exports_shots_and_assets(gazu_manager, tmp_path):
    project = Project.objects.create(name="Agent 327")
    shots = tmp_path / "shots.csv"
    shots.write_text("Episode;Sequence;Name;Frame In;Frame Out\nE01;SQ01;SH010;1;48\nE01;SQ01;SH020;49;120\n")
    # What gazu documents: the list of the imported rows, each a shot row.
    result = gazu.shot.import_shots_with_csv(str(project.id), str(shots))
    assert [(row["name"], row["type"], row["data"]) for row in result] == [
        ("SH010", "Shot", {"frame_in": 1, "frame_out": 48}),
        ("SH020", "Shot", {"frame_in": 49, "frame_out": 120}),
    ]
    assert [row["id"] for row in result] == [str(Shot.objects.get(name=name).id) for name in ("SH010", "SH020")]

    exported = tmp_path / "exported.csv"
    gazu.shot.export_shots_with_csv(str(project.id), str(exported))
    assert exported.read_text().splitlines() == [
        "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out",
        "Agent 327,E01,SQ01,SH010,,,1,48",
        "Agent 327,E01,SQ01,SH020,,,49,120",
    ]
    again = gazu.shot.import_shots_with_csv(str(project.id), str(exported))  # unchanged rows are listed too
    assert [row["id"] for row in again] == [row["id"] for row in result] and Shot.objects.count() == 2

    assets = tmp_path / "assets.csv"
    assets.write_text("Type,Name,Description\nProp,Lamp,A lamp\n")
    imported = gazu.asset.import_assets_with_csv(str(project.id), str(assets))
    assert [(row["name"], row["type"], row["description"], row["project_id"]) for row in imported] == [
        ("Lamp", "Asset", "A lamp", str(project.id))
    ]
    gazu.asset.export_assets_with_csv(str(project.id), str(exported))
    assert exported.read_text().splitlines()[1] == "Agent 327,Prop,Lamp,A lamp"


def test_gazu_hears_why_an_import_or_export_is_refused(gazu_manager, tmp_path):
    project = Project.objects.create(name="Agent 327")
    shots = tmp_path / "shots.csv"
    shots.write_text("Sequence,Name\nSQ01,\n")
    with pytest.raises(gazu.exception.ParameterException, match="1 row has errors; nothing was imported."):
        gazu.shot.import_shots_with_csv(str(project.id), str(shots))
    episode = {"id": str(project.id)}
    with pytest.raises(gazu.exception.ParameterException, match="Unknown parameter 'episode_id'"):
        gazu.shot.export_shots_with_csv(str(project.id), str(tmp_path / "out.csv"), episode=episode)
    assert not Shot.objects.exists()
