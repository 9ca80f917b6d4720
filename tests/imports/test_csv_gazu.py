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
    result = gazu.shot.import_shots_with_csv(str(project.id), str(shots))
    assert (result["created"], [row["name"] for row in result["data"]]) == (2, ["SH010", "SH020"])
    assert Shot.objects.get(name="SH020").data == {"frame_in": 49, "frame_out": 120}

    exported = tmp_path / "exported.csv"
    gazu.shot.export_shots_with_csv(str(project.id), str(exported))
    assert exported.read_text().splitlines() == [
        "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out",
        "Agent 327,E01,SQ01,SH010,,,1,48",
        "Agent 327,E01,SQ01,SH020,,,49,120",
    ]
    assert gazu.shot.import_shots_with_csv(str(project.id), str(exported))["unchanged"] == 2

    assets = tmp_path / "assets.csv"
    assets.write_text("Type,Name,Description\nProp,Lamp,A lamp\n")
    assert gazu.asset.import_assets_with_csv(str(project.id), str(assets))["created"] == 1
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
