"""gazu 1.3.1's casting module, unchanged, against a live server (issue 15):
every function of gazu.casting reads or writes the EntityLink rows behind
Entity.entities_out, with a number of occurrences per (holder, asset)."""

import gazu
import pytest

from production.models import Asset, EntityLink, Episode, Sequence, Shot, Task
from tests.factories import make_production

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def cast(casting):
    """A casting as {asset name: (occurrences, label)}."""
    return {line["asset_name"]: (line["nb_occurences"], line["label"]) for line in casting}


def cast_of(shot):
    return {link.entity_out.name: link.nb_occurences for link in EntityLink.objects.filter(entity_in=shot)}


@pytest.fixture
def prod(db):
    """The factories' production (P01, P02 in S01, P03 in S02, episode E01;
    Tree and Victor) plus the prop Rock."""
    p = make_production()
    p["rock"] = Asset.objects.create(name="Rock", project=p["project"], entity_type=p["asset_types"][0])
    return p


def test_shot_casting_read_and_replaced(gazu_as, prod):
    gazu_as("manager")
    project, (p01, p02, p03), (tree, victor), rock = prod["project"], prod["shots"], prod["assets"], prod["rock"]
    answer = gazu.casting.update_shot_casting(
        str(project.id),
        str(p01.id),
        [
            {"asset_id": str(tree.id), "nb_occurences": 3},
            {"asset_id": str(victor.id), "nb_occurences": 1, "label": "animate"},
            {"asset_id": str(rock.id), "nb_occurences": 2, "label": "fixed"},
        ],
    )
    # Zou's order: asset type name, then asset name.
    assert [line["asset_name"] for line in answer] == ["Victor", "Rock", "Tree"]
    assert cast(answer) == {"Tree": (3, ""), "Victor": (1, "animate"), "Rock": (2, "fixed")}
    tree_line = next(line for line in answer if line["asset_name"] == "Tree")
    assert tree_line["asset_id"] == str(tree.id) and tree_line["asset_type_name"] == "Props"
    assert tree_line["name"] == "Tree" and tree_line["asset_type_id"] == str(tree.entity_type_id)

    shot = gazu.shot.get_shot(str(p01.id))
    assert sorted(shot["entities_out"]) == sorted(str(a.id) for a in (tree, victor, rock))  # one source of truth
    assert cast(gazu.casting.get_shot_casting(shot)) == cast(answer)

    # Replacing: Tree changes count, Victor goes (0 means not cast), Rock is left out.
    replaced = gazu.casting.update_shot_casting(
        project.id, shot, [{"asset_id": str(tree.id), "nb_occurences": 5}, {"asset_id": str(victor.id), "nb_occurences": 0}]
    )
    assert cast(replaced) == {"Tree": (5, "")}
    assert cast_of(p01) == {"Tree": 5} and list(p01.entities_out.all()) == [tree]

    gazu.casting.update_shot_casting(project.id, str(p03.id), [{"asset_id": str(victor.id), "nb_occurences": 2}])
    sequence = gazu.shot.get_sequence(str(prod["sequences"][0].id))
    by_shot = gazu.casting.get_sequence_casting(sequence)
    assert list(by_shot) == [str(p01.id)]  # shots without a casting are absent, as in Zou
    assert cast(by_shot[str(p01.id)]) == {"Tree": (5, "")} and by_shot[str(p01.id)][0]["sequence_name"] == "S01"
    assert gazu.casting.get_sequence_shots_casting(project.id, sequence) == by_shot
    everything = gazu.casting.get_project_shots_casting(project.id)
    assert list(everything) == [str(p01.id), str(p03.id)]  # by sequence, then shot
    assert cast(everything[str(p03.id)]) == {"Victor": (2, "")}
    assert gazu.casting.get_episode_shots_casting(project.id, str(prod["episode"].id)) == everything
    assert gazu.casting.get_shot_casting(gazu.shot.get_shot(str(p02.id))) == []


def test_one_asset_cast_in_and_removed_from_many_shots(gazu_as, prod):
    gazu_as("manager")
    project, (p01, p02, p03), (tree, victor), rock = prod["project"], prod["shots"], prod["assets"], prod["rock"]
    p01.entities_out.add(victor)
    answer = gazu.casting.cast_asset(project.id, [str(p01.id), {"id": str(p02.id)}], str(rock.id), nb_occurences=2, label="bg")
    assert set(answer) == {str(p01.id), str(p02.id)}
    assert cast(answer[str(p01.id)]) == {"Victor": (1, ""), "Rock": (2, "bg")}  # the other assets stay
    assert cast(answer[str(p02.id)]) == {"Rock": (2, "bg")}

    # No count, no label: each link keeps its own; a new link counts 1.
    again = gazu.casting.cast_asset(project.id, [str(p01.id), str(p03.id)], str(rock.id))
    assert cast(again[str(p01.id)])["Rock"] == (2, "bg") and cast(again[str(p03.id)]) == {"Rock": (1, "")}

    cast_in = gazu.casting.get_asset_cast_in(str(rock.id))
    assert [row["shot_name"] for row in cast_in] == ["P01", "P02", "P03"]
    first = cast_in[0]
    assert (first["id"], first["name"], first["type"], first["project_id"]) == (str(p01.id), "P01", "Shot", str(project.id))
    assert (first["sequence_name"], first["episode_name"], first["episode_id"]) == ("S01", "E01", str(prod["episode"].id))
    assert (first["nb_occurences"], first["label"]) == (2, "bg")

    removed = gazu.casting.uncast_asset(project.id, [str(p01.id), str(p02.id)], {"id": str(rock.id)})
    assert cast(removed[str(p01.id)]) == {"Victor": (1, "")} and removed[str(p02.id)] == []
    assert [row["shot_name"] for row in gazu.casting.get_asset_cast_in(str(rock.id))] == ["P03"]
    assert list(Shot.objects.get(pk=p02.pk).entities_out.all()) == []


def test_asset_and_episode_castings(gazu_as, prod):
    gazu_as("manager")
    project, episode, (tree, victor), rock = prod["project"], prod["episode"], prod["assets"], prod["rock"]
    # Set dressing: props cast in an asset.
    gazu.casting.update_asset_casting(project.id, str(victor.id), [{"asset_id": str(tree.id), "nb_occurences": 2}])
    gazu.casting.update_asset_casting(project.id, str(rock.id), [{"asset_id": str(tree.id), "nb_occurences": 1}])
    asset = gazu.asset.get_asset(str(victor.id))
    assert cast(gazu.casting.get_asset_casting(asset)) == {"Tree": (2, "")}
    props = gazu.casting.get_asset_type_casting(project.id, str(prod["asset_types"][0].id))
    assert list(props) == [str(rock.id)] and cast(props[str(rock.id)]) == {"Tree": (1, "")}
    characters = gazu.casting.get_asset_type_casting(project.id, str(prod["asset_types"][1].id))
    assert list(characters) == [str(victor.id)]
    tree_cast_in = gazu.casting.get_asset_cast_in(str(tree.id))
    assert [(row["type"], row["asset_name"], row["asset_type_name"], row["nb_occurences"]) for row in tree_cast_in] == [
        ("Asset", "Victor", "Characters", 2),
        ("Asset", "Rock", "Props", 1),
    ]

    answer = gazu.casting.update_episode_casting(
        project.id, str(episode.id), [{"asset_id": str(victor.id), "nb_occurences": 1}, {"asset_id": str(rock.id), "nb_occurences": 4}]
    )
    assert cast(answer) == {"Victor": (1, ""), "Rock": (4, "")}
    episode_row = gazu.shot.get_episode(str(episode.id))
    assert cast(gazu.casting.get_episode_casting(episode_row)) == cast(answer)
    by_episode = gazu.casting.get_episodes_casting(project.id)
    assert list(by_episode) == [str(episode.id)] and cast(by_episode[str(episode.id)]) == cast(answer)
    kinds = {row["type"] for row in gazu.casting.get_asset_cast_in(str(rock.id))}
    assert kinds == {"Episode"}


def test_entity_links_listed_and_deleted(gazu_as, prod):
    gazu_as("manager")
    project, (p01, p02, p03), (tree, victor) = prod["project"], prod["shots"], prod["assets"]
    gazu.casting.update_shot_casting(project.id, str(p01.id), [{"asset_id": str(tree.id), "nb_occurences": 3}])
    p02.entities_out.add(tree, victor)
    p03.entities_out.add(victor)

    links = gazu.casting.all_entity_links_for_project(project.id)
    assert len(links) == 4 and {row["type"] for row in links} == {"EntityLink"}
    by_pair = {(row["entity_in_id"], row["entity_out_id"]): row for row in links}
    assert by_pair[(str(p01.id), str(tree.id))]["nb_occurences"] == 3
    assert set(by_pair) == {(str(s.id), str(a.id)) for s, a in ((p01, tree), (p02, tree), (p02, victor), (p03, victor))}
    page = gazu.casting.all_entity_links_for_project(project.id, page=1, limit=3)
    assert page["total"] == 4 and page["nb_pages"] == 2 and len(page["data"]) == 3

    link = by_pair[(str(p02.id), str(tree.id))]
    assert gazu.casting.delete_entity_link(link) == link
    assert list(Shot.objects.get(pk=p02.pk).entities_out.all()) == [victor]
    assert len(gazu.casting.all_entity_links_for_project(project.id)) == 3
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.casting.delete_entity_link(link["id"])


def test_casting_writes_by_role_and_bad_lines(gazu_as, prod):
    project, p01, tree = prod["project"], prod["shots"][0], prod["assets"][0]
    gazu_as("supervisor").projects.add(project)  # a supervisor of the project edits its casting
    gazu.casting.update_shot_casting(project.id, str(p01.id), [{"asset_id": str(tree.id), "nb_occurences": 2}])
    assert cast_of(p01) == {"Tree": 2}
    with pytest.raises(gazu.exception.ParameterException, match="nb_occurences"):
        gazu.casting.update_shot_casting(project.id, str(p01.id), [{"asset_id": str(tree.id), "nb_occurences": -1}])
    with pytest.raises(gazu.exception.ParameterException, match=str(p01.id)):
        gazu.casting.update_shot_casting(project.id, str(p01.id), [{"asset_id": str(p01.id), "nb_occurences": 1}])
    assert cast_of(p01) == {"Tree": 2}

    gazu_as("user").projects.add(project)  # an artist reads it, changes nothing
    assert cast(gazu.casting.get_shot_casting(gazu.shot.get_shot(str(p01.id)))) == {"Tree": (2, "")}
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.casting.update_shot_casting(project.id, str(p01.id), [])
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.casting.uncast_asset(project.id, [str(p01.id)], str(tree.id))
    assert cast_of(p01) == {"Tree": 2}


def test_all_tasks_for_task_type_in_an_episode(gazu_as, prod):
    gazu_as("manager")
    project, animation = prod["project"], prod["task_types"][0]
    e02 = Episode.objects.create(name="E02", project=project)
    elsewhere = Shot.objects.create(name="P04", project=project, parent=Sequence.objects.create(name="S03", project=project, parent=e02))
    other_task = Task.objects.create(name="main", project=project, task_type=animation, task_status=prod["todo"], entity=elsewhere)
    in_episode = gazu.task.all_tasks_for_task_type(project.id, str(animation.id), episode=str(prod["episode"].id))
    assert sorted(t["id"] for t in in_episode) == sorted(str(t.id) for t in prod["tasks"][:3])
    everywhere = gazu.task.all_tasks_for_task_type(project.id, str(animation.id))
    assert sorted(t["id"] for t in everywhere) == sorted(str(t.id) for t in [*prod["tasks"][:3], other_task])


def test_an_off_team_person_finds_nothing(gazu_as, prod):
    gazu_as("user")  # on no team
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.casting.get_project_shots_casting(prod["project"].id)
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.casting.get_asset_cast_in(str(prod["assets"][0].id))
