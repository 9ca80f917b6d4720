from django.db import models

from production.models.base import BaseModel

OPEN_STATUS_NAMES = ("Open", "open", "Active", "active")


class ProjectStatus(BaseModel):
    name = models.CharField(max_length=40, unique=True)
    color = models.CharField(max_length=7, default="#000000")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "project statuses"

    def __str__(self):
        return self.name


class Project(BaseModel):
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    project_status = models.ForeignKey(
        ProjectStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    file_tree = models.JSONField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)
    # Text, as in Zou: "23.976" and "25" both travel unchanged.
    fps = models.CharField(max_length=10, blank=True)
    data = models.JSONField(null=True, blank=True)
    team = models.ManyToManyField("production.Person", blank=True, related_name="projects")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
