"""Shapes of the casting routes (issue 15), as gazu 1.3.1 sends and reads
them: a casting is a list of entries `{"asset_id", "nb_occurences", "label"}`
with the asset's names beside each; the routes over many holders answer a
map of holder id to its list. Entity links are EntityLink rows."""

from rest_framework import serializers

from production.api.action_serializers import JsonListField
from production.models import EntityLink
from zou_site.api.serializers import ZouModelSerializer


class CastingEntryRequestSerializer(serializers.Serializer):
    """One line of a casting sent to `PUT .../entities/<id>/casting`."""

    asset_id = serializers.UUIDField()
    nb_occurences = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, default=1, help_text="Default 1; 0 leaves the asset out."
    )
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, allow_null=True, default="")

    def validate_label(self, value):
        return value or ""


class AssetCastRequestSerializer(serializers.Serializer):
    """gazu's cast_asset / uncast_asset body."""

    entity_ids = JsonListField(child=serializers.UUIDField(), help_text="The shots, assets or episodes to cast the asset in.")
    nb_occurences = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Omitted: each link keeps its count (1 for a new one). 0 removes the asset from those entities.",
    )
    label = serializers.CharField(
        max_length=80, required=False, allow_blank=True, allow_null=True, default=None, help_text="Omitted: each link keeps its label."
    )


class CastingEntrySerializer(serializers.Serializer):
    """One line of a casting as the routes answer it."""

    asset_id = serializers.UUIDField()
    name = serializers.CharField(help_text="The asset's name.")
    asset_name = serializers.CharField()
    asset_type_id = serializers.UUIDField()
    asset_type_name = serializers.CharField()
    preview_file_id = serializers.UUIDField(allow_null=True)
    nb_occurences = serializers.IntegerField()
    label = serializers.CharField(allow_blank=True)


CASTING = CastingEntrySerializer(many=True)


def _casting_map_schema(extra=()):
    """{holder id: [lines]} in OpenAPI terms (a map has no serializer)."""
    text, uuid, nullable_uuid = {"type": "string"}, {"type": "string", "format": "uuid"}, {"type": "string", "format": "uuid", "nullable": True}
    line = {
        "asset_id": uuid, "name": text, "asset_name": text, "asset_type_id": uuid, "asset_type_name": text,
        "preview_file_id": nullable_uuid, "nb_occurences": {"type": "integer"}, "label": text,
        **{key: {"type": "string", "nullable": True} for key in extra},
    }
    item = {"type": "object", "properties": line, "required": list(line)}
    return {"type": "object", "additionalProperties": {"type": "array", "items": item}}


CASTING_MAP = _casting_map_schema()
SHOTS_CASTING_MAP = _casting_map_schema(extra=("sequence_name",))


class CastInSerializer(serializers.Serializer):
    """Where an asset is cast: the holder's own fields (`id`, `name`, `type`)
    and Zou's names for it (`shot_id`, `shot_name`, `sequence_name`,
    `episode_name` for a shot; `asset_id`, `asset_name`, `asset_type_name`
    for an asset; `episode_id`, `episode_name` for an episode)."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    type = serializers.CharField()
    project_id = serializers.UUIDField()
    preview_file_id = serializers.UUIDField(allow_null=True)
    nb_occurences = serializers.IntegerField()
    label = serializers.CharField(allow_blank=True)
    shot_id = serializers.UUIDField(required=False)
    shot_name = serializers.CharField(required=False)
    sequence_id = serializers.UUIDField(required=False, allow_null=True)
    sequence_name = serializers.CharField(required=False, allow_null=True)
    episode_id = serializers.UUIDField(required=False, allow_null=True)
    episode_name = serializers.CharField(required=False, allow_null=True)
    asset_id = serializers.UUIDField(required=False)
    asset_name = serializers.CharField(required=False)
    asset_type_id = serializers.UUIDField(required=False)
    asset_type_name = serializers.CharField(required=False)


class EntityLinkSerializer(ZouModelSerializer):
    """A casting line as a row: `entity_in_id` holds `entity_out_id`."""

    class Meta(ZouModelSerializer.Meta):
        model = EntityLink
        read_only_fields = ["entity_in", "entity_out", "nb_occurences", "label"]
