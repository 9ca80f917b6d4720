import pytest

from tests.factories import make_person


@pytest.fixture
def ctx(production):
    """The `production` fixture plus an artist on its team."""
    artist = make_person("user", email="artist@studio.test", first_name="Art", last_name="Ist")
    production["project"].team.add(artist)
    return {**production, "artist": artist}
