from django.core.validators import MinValueValidator
from django.db import models

from production.models import BaseModel


class FileStatus(BaseModel):
    name = models.CharField(max_length=40, unique=True)
    color = models.CharField(max_length=7, default="#FFFFFF")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "file statuses"

    def __str__(self):
        return self.name


class Software(BaseModel):
    name = models.CharField(max_length=40, unique=True)
    short_name = models.CharField(max_length=20, blank=True)
    file_extension = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "softwares"

    def __str__(self):
        return self.name


class OutputType(BaseModel):
    name = models.CharField(max_length=40, unique=True)
    short_name = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkingFile(BaseModel):
    name = models.CharField(max_length=250, default="main")
    description = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    revision = models.IntegerField(default=1)
    size = models.BigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=1000, blank=True)
    task = models.ForeignKey(
        "production.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    entity = models.ForeignKey(
        "production.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    person = models.ForeignKey(
        "production.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    software = models.ForeignKey(
        Software, on_delete=models.PROTECT, null=True, blank=True, related_name="working_files"
    )
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "task", "entity", "revision"], name="working_file_revision_uniq"
            )
        ]

    def __str__(self):
        return f"{self.name} v{self.revision:03d}"


class OutputFile(BaseModel):
    name = models.CharField(max_length=250, blank=True)
    description = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    revision = models.IntegerField(default=1)
    size = models.BigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=1000, blank=True)
    extension = models.CharField(max_length=20, blank=True)
    file_status = models.ForeignKey(
        FileStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    task = models.ForeignKey(
        "production.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    entity = models.ForeignKey(
        "production.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    person = models.ForeignKey(
        "production.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    output_type = models.ForeignKey(
        OutputType, on_delete=models.PROTECT, null=True, blank=True, related_name="output_files"
    )
    source_file = models.ForeignKey(
        WorkingFile, on_delete=models.PROTECT, null=True, blank=True, related_name="outputs"
    )
    uploaded_movie_url = models.CharField(max_length=600, blank=True)
    uploaded_movie_name = models.CharField(max_length=150, blank=True)
    # Zou's: what the file holds (abc, jpg...) and how many files an image sequence has.
    representation = models.CharField(max_length=20, blank=True)
    nb_elements = models.IntegerField(default=1, validators=[MinValueValidator(1)])
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-revision"]
        constraints = [
            # Two publishes at once must never share a revision.
            models.UniqueConstraint(
                fields=["entity", "task", "output_type", "revision"], name="output_file_revision_uniq"
            )
        ]

    def __str__(self):
        return f"{self.name} v{self.revision:03d}"


class PreviewFile(BaseModel):
    name = models.CharField(max_length=250, blank=True)
    revision = models.IntegerField(default=1)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=40, blank=True)
    url = models.CharField(max_length=600, blank=True)
    uploaded_movie_url = models.CharField(max_length=600, blank=True)
    uploaded_movie_name = models.CharField(max_length=150, blank=True)
    is_movie = models.BooleanField(default=False)
    task = models.ForeignKey(
        "production.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="preview_files"
    )
    person = models.ForeignKey(
        "production.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="preview_files"
    )
    source_file = models.ForeignKey(
        OutputFile, on_delete=models.PROTECT, null=True, blank=True, related_name="previews"
    )
    # The comment the preview was published with (add-preview); a deleted
    # comment leaves its previews on the task.
    comment = models.ForeignKey(
        "production.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="preview_files"
    )
    # Of the stored original, set by the upload: "png" for a picture (it is
    # stored re-encoded), the movie's own extension for a movie. Empty until then.
    extension = models.CharField(max_length=10, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name", "revision"]

    def __str__(self):
        return self.name
