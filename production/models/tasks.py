from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum

from production.models.base import BaseModel, unique_with_nullable

NOT_NEGATIVE = [MinValueValidator(0)]


class TaskType(BaseModel):
    name = models.CharField(max_length=40)
    short_name = models.CharField(max_length=20, blank=True)
    color = models.CharField(max_length=7, default="#FFFFFF")
    priority = models.IntegerField(default=1)
    for_shots = models.BooleanField(default=False)
    for_entity = models.CharField(max_length=30, default="Asset")
    department = models.ForeignKey(
        "production.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="task_types"
    )
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["priority", "name"]
        indexes = [models.Index(fields=["name"])]
        constraints = unique_with_nullable(
            ["name", "department"], "department", "task_type_name", "A task type of this name already exists in this department."
        )

    def __str__(self):
        return self.name


class TaskStatus(BaseModel):
    name = models.CharField(max_length=40)
    short_name = models.CharField(max_length=10, unique=True)
    color = models.CharField(max_length=7, default="#FFFFFF")
    is_default = models.BooleanField(default=False)
    is_done = models.BooleanField(default=False)
    is_reviewable = models.BooleanField(default=False)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "task statuses"
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name


class Task(BaseModel):
    name = models.CharField(max_length=80, default="main")
    description = models.TextField(blank=True)
    project = models.ForeignKey("production.Project", on_delete=models.PROTECT, related_name="tasks")
    task_type = models.ForeignKey(TaskType, on_delete=models.PROTECT, related_name="tasks")
    task_status = models.ForeignKey(TaskStatus, on_delete=models.PROTECT, related_name="tasks")
    entity = models.ForeignKey("production.Entity", on_delete=models.PROTECT, related_name="tasks")
    assigner = models.ForeignKey(
        "production.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_tasks"
    )
    assignees = models.ManyToManyField("production.Person", blank=True, related_name="tasks")
    # Seconds.
    duration = models.IntegerField(default=0, validators=NOT_NEGATIVE)
    estimation = models.IntegerField(default=0, validators=NOT_NEGATIVE)
    completion_rate = models.IntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    sort_order = models.IntegerField(default=0)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    real_start_date = models.DateTimeField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)
    # Free metadata of the pipeline's, as on entities (gazu's update_task_data).
    data = models.JSONField(null=True, blank=True)

    class Meta:
        # Creation order: stable, and cheap to page through on 100k tasks.
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["created_at", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "project", "task_type", "entity"],
                name="task_name_per_entity_uniq",
                violation_error_message="This entity already has a task of this type and name.",
            )
        ]

    def __str__(self):
        # The admin annotates the full path (Project / E01 / SQ01 / SH010 /
        # Animation) where tasks are listed: pickers, delete confirmations.
        return getattr(self, "path_label", None) or f"{self.entity} / {self.task_type} / {self.name}"

    def clean(self):
        # A task lives in its entity's project: a task of project A on a shot
        # of B would show B's names to A's team. The database refuses it too
        # (production/migrations: project consistency).
        if self.entity_id and self.project_id and self.entity.project_id != self.project_id:
            raise ValidationError(
                {"entity": "This entity belongs to another project than the task: a task is in its entity's project."}
            )


class Comment(BaseModel):
    """A note on a task; posting one with a status is how the task's status
    changes, so the list of comments is the task's status history."""

    object_id = models.UUIDField(db_index=True)
    object_type = models.CharField(max_length=80, default="Task")
    text = models.TextField(blank=True)
    data = models.JSONField(null=True, blank=True)
    task_status = models.ForeignKey(
        TaskStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    person = models.ForeignKey(
        "production.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    # The files app depends on this one, not the reverse, so the preview is
    # referenced by id (as Zou's object_id is) rather than by a foreign key.
    preview_file_id = models.UUIDField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:50]


class TimeSpent(BaseModel):
    MAX_DAY_SECONDS = 24 * 3600

    # Seconds.
    duration = models.IntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_DAY_SECONDS)])
    date = models.DateField()
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="time_spents")
    person = models.ForeignKey("production.Person", on_delete=models.PROTECT, related_name="time_spents")

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "task", "date"],
                name="time_spent_per_day_uniq",
                violation_error_message="This person already has time logged on this task for this day.",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.date} {self.duration}s"

    def clean(self):
        """A person's day holds 24 hours, whatever the tasks they are logged on."""
        if self.person_id is None or self.date is None or not isinstance(self.duration, int):
            return
        others = TimeSpent.objects.filter(person_id=self.person_id, date=self.date).exclude(pk=self.pk)
        total = (others.aggregate(total=Sum("duration"))["total"] or 0) + self.duration
        if total > self.MAX_DAY_SECONDS:
            raise ValidationError(
                {
                    "duration": f"{self.person} would have {total} seconds ({total / 3600:g} h) logged on {self.date} "
                    f"across tasks: a day holds at most {self.MAX_DAY_SECONDS} seconds (24 h)."
                }
            )
