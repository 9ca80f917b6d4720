"""Shape of an import job (GET data/jobs/<id>)."""

from rest_framework import serializers

from imports.models import Job
from zou_site.api.serializers import ZouModelSerializer


class JobProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Records or rows written so far.")
    total = serializers.IntegerField(help_text="Records or rows the import holds.")
    percent = serializers.IntegerField()


class JobSerializer(ZouModelSerializer):
    progress = serializers.SerializerMethodField()
    summary = serializers.JSONField(
        read_only=True,
        help_text="Once finished: the synchronous import's answer without its `data` rows (created, updated, "
        "unchanged, errors...), or for a refused import its 400 body {message, errors}. Null before.",
    )

    class Meta:
        model = Job
        exclude = ["input_name", "done", "total"]

    def get_progress(self, job) -> JobProgressSerializer:
        return {"done": job.done, "total": job.total, "percent": job.percent}
