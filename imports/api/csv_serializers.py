"""Shapes of the CSV routes' bodies and answers (DESIGN.md §9), for request
checking and the OpenAPI schema."""

from rest_framework import serializers


class CsvImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The sheet: UTF-8 (with or without BOM), `,` or `;` separated.")


class CsvImportedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The row's line in the file; the header is line 1.")
    action = serializers.ChoiceField(choices=["created", "updated"])
    id = serializers.UUIDField()
    name = serializers.CharField()


class CsvImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Rows that matched an existing row and changed nothing.")
    dry_run = serializers.BooleanField(help_text="True when nothing was written: the counts say what would be.")
    references_created = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Rows named by the sheet and created on the way, by kind: {\"sequences\": 2}.",
    )
    data = CsvImportedRowSerializer(many=True, help_text="The rows created or updated (unchanged ones are left out).")


class CsvRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="The file line (header = 1); null for a database error.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class CsvImportErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text='"3 rows have errors; nothing was imported."')
    errors = CsvRowErrorSerializer(many=True, help_text="Every bad cell of every bad row.")
