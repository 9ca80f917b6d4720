"""Bodies of the file routes (DESIGN §5-§7): what each route reads and answers.

Request serializers accept both spellings gazu and the seed document use
(`version`/`revision`, `sep`/`separator`) and hand the views one of each.
"""

from rest_framework import serializers

from files.api.serializers import OutputFileSerializer, WorkingFileSerializer
from files.file_trees import FROM_PATH_MAX_LENGTH, TASK_KINDS
from files.path_templates import SEPARATORS


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


ERRORS = {400: MessageSerializer, 403: MessageSerializer, 404: MessageSerializer}


class RecordedWorkingFileSerializer(WorkingFileSerializer):
    """A working file row with the folder and file name its path was built from."""

    zou_type = "WorkingFile"
    folder_path = serializers.CharField(read_only=True)
    file_name = serializers.CharField(read_only=True)


class RecordedOutputFileSerializer(OutputFileSerializer):
    zou_type = "OutputFile"
    folder_path = serializers.CharField(read_only=True)
    file_name = serializers.CharField(read_only=True)


class _SeparatorSerializer(serializers.Serializer):
    sep = serializers.ChoiceField(choices=SEPARATORS, required=False, help_text="Default /.")
    # Text, not a second enum: drf-spectacular warns when one choice set gets two names.
    separator = serializers.CharField(required=False, trim_whitespace=False, help_text="gazu's name for sep.")

    def validate_separator(self, value):
        if value not in SEPARATORS:
            raise serializers.ValidationError(f'"{value}" is not a valid choice.')
        return value

    def validate(self, data):
        data["sep"] = data.get("sep") or data.pop("separator", None) or "/"
        data.pop("separator", None)
        return data


class FolderPathRequestSerializer(_SeparatorSerializer):
    task_id = serializers.UUIDField(required=False, help_text="Seed dialect; Zou's routes take it from the URL.")
    mode = serializers.CharField(default="working", max_length=80)
    software_id = serializers.UUIDField(required=False, allow_null=True)
    output_type_id = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(default="main", allow_blank=True, max_length=250)


class FilePathRequestSerializer(FolderPathRequestSerializer):
    version = serializers.IntegerField(min_value=0, required=False, help_text="0 or absent: the next revision.")
    revision = serializers.IntegerField(min_value=0, required=False, help_text="gazu's name for version.")
    comment = serializers.CharField(default="", allow_blank=True)

    def validate(self, data):
        data = super().validate(data)
        revision = data.pop("revision", None)
        data["version"] = data.get("version") or revision or 0
        return data


class WorkingFileNewRequestSerializer(FilePathRequestSerializer):
    person_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: the caller.")


class PublishRequestSerializer(_SeparatorSerializer):
    task_id = serializers.UUIDField()
    working_file_revision = serializers.IntegerField(
        min_value=0, default=0, help_text="0: a new working file revision; else that revision."
    )
    comment = serializers.CharField(default="", allow_blank=True)
    name = serializers.CharField(default="main", max_length=250)
    software_id = serializers.UUIDField(required=False, allow_null=True)
    output_type_id = serializers.UUIDField(required=False, allow_null=True)


class SetTreeRequestSerializer(serializers.Serializer):
    project_id = serializers.UUIDField(required=False, help_text="Seed dialect; Zou's route takes it from the URL.")
    tree_name = serializers.CharField(required=False, help_text="A shipped tree: standard or simple.")
    file_tree = serializers.JSONField(required=False, help_text="A custom tree, validated.")

    def validate(self, data):
        if ("tree_name" in data) == ("file_tree" in data):
            raise serializers.ValidationError({"tree_name": ["Give either tree_name or file_tree."]})
        return data


class FromPathRequestSerializer(_SeparatorSerializer):
    # Real folders are far shorter; the bound keeps each request's matching work small.
    file_path = serializers.CharField(max_length=FROM_PATH_MAX_LENGTH)
    project_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: every project you see.")
    type = serializers.ChoiceField(choices=TASK_KINDS, required=False, help_text="Default: every kind.")
    mode = serializers.CharField(default="working", max_length=80)


class WorkingFileCommentRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True)


class TaskNextRevisionRequestSerializer(serializers.Serializer):
    output_type_id = serializers.UUIDField(required=False, allow_null=True)


class EntityNextRevisionRequestSerializer(serializers.Serializer):
    task_type_id = serializers.UUIDField()
    output_type_id = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(default="main", allow_blank=True)


class FolderPathSerializer(serializers.Serializer):
    path = serializers.CharField()


class FilePathSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="The folder.")
    name = serializers.CharField(help_text="The file name, without extension.")


class PreviewPathSerializer(serializers.Serializer):
    folder_path = serializers.CharField()
    file_name = serializers.CharField()


class PublicationSerializer(serializers.Serializer):
    working_file = RecordedWorkingFileSerializer()
    output_file = RecordedOutputFileSerializer()
    preview_path = PreviewPathSerializer(allow_null=True, help_text="Null when the tree has no preview mode.")


class NextRevisionSerializer(serializers.Serializer):
    next_revision = serializers.IntegerField()


class ThumbnailUploadSerializer(serializers.Serializer):
    # A plain file: Pillow reads it once, in files.thumbnails, with the bomb checks.
    file = serializers.FileField()


class ThumbnailSerializer(serializers.Serializer):
    thumbnail_path = serializers.CharField(help_text="Where to GET the PNG, under /api/.")


# Previews and the files of an entity (issue 15)


class AddPreviewRequestSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Default: the task's next preview revision."
    )


class SetMainPreviewRequestSerializer(serializers.Serializer):
    frame_number = serializers.IntegerField(
        min_value=0, required=False, allow_null=True,
        help_text="Accepted for gazu: movies are stored as uploaded and their frames are not read.",
    )


class EntityOutputFilePathRequestSerializer(_SeparatorSerializer):
    task_type_id = serializers.UUIDField()
    output_type_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: the first output type.")
    mode = serializers.CharField(default="output", max_length=80)
    name = serializers.CharField(default="main", allow_blank=True, max_length=250)
    revision = serializers.IntegerField(min_value=0, default=0, help_text="0: the next revision.")
    representation = serializers.CharField(default="", allow_blank=True, max_length=20)
    nb_elements = serializers.IntegerField(min_value=1, default=1)


class EntityOutputFileNewRequestSerializer(EntityOutputFilePathRequestSerializer):
    comment = serializers.CharField(default="", allow_blank=True)
    working_file_id = serializers.UUIDField(required=False, allow_null=True, help_text="Its task is the output's.")
    person_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: the caller.")
    file_status_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: the default status.")


class OutputFilePathSerializer(serializers.Serializer):
    folder_path = serializers.CharField()
    file_name = serializers.CharField(help_text="Without extension.")
