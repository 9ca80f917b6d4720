"""Fixtures of the files tests: the `production` fixture's tasks by name, people
of each role."""

import pytest
from django.core.files.storage import default_storage

from tests.factories import make_person
from tests.helpers import client_for, shipped_tree


@pytest.fixture
def stored_files(media_root):
    """Every file name in the storage, to show what an upload left behind."""

    def listing(folder="thumbnails"):
        names = []
        directories, files = default_storage.listdir(folder) if default_storage.exists(folder) else ([], [])
        names += [f"{folder}/{name}" for name in files]
        for directory in directories:
            names += listing(f"{folder}/{directory}")
        return sorted(names)

    return listing


@pytest.fixture
def asset_task(production):
    """Tree (Props), task type Shaders: the asset of DESIGN §6's examples."""
    return production["tasks"][3]


@pytest.fixture
def shot_task(production):
    """P01 in S01 (episode E01), task type Animation."""
    return production["tasks"][0]


@pytest.fixture
def simple_tree(production):
    project = production["project"]
    project.file_tree = shipped_tree("simple")
    project.save()
    return project.file_tree


@pytest.fixture
def artist(production, asset_task):
    """A user on the team, assigned to the asset task only."""
    person = make_person("user", email="artist@studio.test", first_name="Art", last_name="Ist")
    production["project"].team.add(person)
    asset_task.assignees.add(person)
    return person


@pytest.fixture
def artist_client(artist):
    return client_for(artist)
