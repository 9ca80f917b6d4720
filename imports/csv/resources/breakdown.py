"""The shots and assets sheets (DESIGN.md §9): the breakdown, rows of the one
entity table found in their project's map."""

from import_export.fields import Field

from imports.csv.base import ABSENT, CsvResource
from imports.csv.widgets import WholeNumberWidget, text
from production.models import EPISODE, SEQUENCE, Asset, Entity, Shot, frame_count


class EntityResource(CsvResource):
    """Shots and assets: rows of the one entity table, the chunk's existing
    ones read in one query (not the whole project's: memory stays flat in
    the project's size)."""

    # The References' entity maps hold what rows name on the way (a shot's
    # episode and sequence), not the rows of the sheet's kind.
    mapped_entity_types = (EPISODE, SEQUENCE)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._existing = {}  # the chunk's: (project id, entity type id, parent id, name) → Entity

    def prefetch_existing(self, parsed_rows):
        keys = [parsed.key for parsed in parsed_rows if parsed.key]
        self._existing = {}
        if not keys:
            return
        found = Entity.objects.filter(
            project_id__in={project.id for project, *_ in keys},
            entity_type_id__in={entity_type_id for _, entity_type_id, _, _ in keys},
            name__in={name for *_, name in keys},
        )
        self._existing = {(e.project_id, e.entity_type_id, e.parent_id, e.name): e for e in found}

    def find_existing(self, parsed):
        project, entity_type_id, parent_id, name = parsed.key
        return self._existing.get((project.id, entity_type_id, parent_id, name))


class AssetResource(EntityResource):
    kind = "assets"
    noun = "asset"
    required_columns = ("Project", "Category", "Name")
    header_aliases = {"Type": "Category", "Asset Type": "Category"}
    written_fields = ("project", "entity_type", "name", "description")

    project = text("project__name", "Project")
    category = text("entity_type__name", "Category")
    name = text("name", "Name")
    description = text("description", "Description")

    class Meta:
        model = Asset
        fields = ("project", "category", "name", "description")

    def parse(self, parsed):
        project = self.project_of(parsed)
        category = parsed.cell("Category", required=True)
        asset_type = category and parsed.resolve("Category", self.references.asset_type, category)
        name = parsed.cell("Name", required=True)
        if project and asset_type and name:
            parsed.key = (project, asset_type.id, None, name)
            parsed.values.update(project=project, entity_type=asset_type, name=name)
        parsed.set("description", parsed.cell("Description"))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("project", "entity_type").order_by(  # columns: Project, Category
            "project__name", "entity_type__name", "name", "id"
        )


class ShotResource(EntityResource):
    kind = "shots"
    noun = "shot"
    required_columns = ("Project", "Sequence", "Name")
    written_fields = ("project", "entity_type", "parent", "name", "description", "data", "nb_frames")
    # The fields (named as their keys) whose columns fill the shot's data.
    data_keys = ("fps", "frame_in", "frame_out")

    project = text("project__name", "Project")
    episode = text("parent__parent__name", "Episode")
    sequence = text("parent__name", "Sequence")
    name = text("name", "Name")
    description = text("description", "Description")
    fps = text("data__fps", "FPS")
    frame_in = Field(attribute="data__frame_in", column_name="Frame In", widget=WholeNumberWidget())
    frame_out = Field(attribute="data__frame_out", column_name="Frame Out", widget=WholeNumberWidget())

    class Meta:
        model = Shot
        fields = ("project", "episode", "sequence", "name", "description", "fps", "frame_in", "frame_out")

    def parse(self, parsed):
        references = self.references
        project = self.project_of(parsed)
        episode_name = parsed.cell("Episode")
        sequence_name = parsed.cell("Sequence")
        name = parsed.cell("Name", required=True)
        episode = sequence = None
        if project and episode_name:
            episode = parsed.resolve("Episode", references.episode, project, episode_name)
        if episode_name and not sequence_name:
            parsed.fail("Sequence", "A shot in an episode needs its sequence.")
        if project and sequence_name and (episode or not episode_name):
            sequence = parsed.resolve("Sequence", references.sequence, project, episode, sequence_name)
        if project and name and (sequence or not sequence_name):
            shot_type = references.shot_type()
            parsed.key = (project, shot_type.id, sequence.id if sequence else None, name)
            parsed.values.update(project=project, entity_type=shot_type, parent=sequence, name=name)
        parsed.set("description", parsed.cell("Description"))
        parsed.extra = {key: parsed.cell(self.fields[key].column_name) for key in self.data_keys}

    def assign(self, instance, parsed):
        super().assign(instance, parsed)
        # The sheet's columns set their keys and leave the others (Shotgun's
        # sg_* fields...); a blank cell removes its key. A new dict, so the
        # snapshot taken before still holds the old one.
        before = instance.data or {}
        data = dict(before)
        for key, value in parsed.extra.items():
            if value in (None, ""):
                data.pop(key, None)
            elif value is not ABSENT:
                data[key] = value
        if data != (instance.data or {}):
            instance.data = data
        # The model's frame rule (both ends count), checked here because the
        # import skips clean(): out before in is refused, the count follows.
        try:
            nb_frames = frame_count(data.get("frame_in"), data.get("frame_out"))
        except ValueError:
            parsed.fail("Frame Out", f"Frame Out ({data['frame_out']}) comes before Frame In ({data['frame_in']}).")
        else:
            # Counted for a new shot or a moved range: a row exported and
            # imported back unchanged changes nothing.
            moved = any(before.get(key) != data.get(key) for key in ("frame_in", "frame_out"))
            if nb_frames is not None and (instance._state.adding or moved):
                instance.nb_frames = nb_frames

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("project", "parent__parent").order_by(  # columns: Project, Episode, Sequence
            "project__name", "parent__parent__name", "parent__name", "name", "id"
        )
