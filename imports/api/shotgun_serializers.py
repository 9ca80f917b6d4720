"""Shapes of the Shotgun import routes: what they read and what they answer."""

from rest_framework import serializers

from imports.models import DataImportError
from zou_site.api.serializers import ZouModelSerializer

RECORDS_SCHEMA = {
    "oneOf": [
        {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
            "description": 'Shotgun records as its API returns them: {"type", "id", ...}.',
        },
        {
            "type": "object",
            "properties": {
                "records": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
                "dry_run": {"type": "boolean"},
            },
            "required": ["records"],
        },
    ]
}


class ShotgunRecordErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the record in the array sent.")
    # As sent: a record whose id is not an integer is reported with it.
    id = serializers.JSONField(allow_null=True, help_text="The record's Shotgun id, as sent.")
    type = serializers.JSONField(allow_null=True, help_text="The record's Shotgun type, as sent.")
    reason = serializers.CharField()


class ShotgunImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    errors = ShotgunRecordErrorSerializer(many=True)
    data = serializers.ListField(
        child=serializers.DictField(), help_text='The rows imported, each with its fields, "<fk>_id" and "type".'
    )


class ShotgunRemoveSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Shotgun id of the record whose row is deleted.")


class ShotgunRemoveResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    removed_instance_id = serializers.UUIDField(allow_null=True)


class DataImportErrorSerializer(ZouModelSerializer):
    zou_type = "DataImportError"

    class Meta(ZouModelSerializer.Meta):
        model = DataImportError
