from production.models.base import BaseModel
from production.models.breakdown import (
    EPISODE,
    RESERVED_ENTITY_TYPES,
    SEQUENCE,
    SHOT,
    Asset,
    AssetType,
    Entity,
    EntityLink,
    EntityType,
    Episode,
    Sequence,
    Shot,
    frame_count,
)
from production.models.events import ApiEvent
from production.models.people import Department, FailedLogin, Person, normalize_email
from production.models.projects import OPEN_STATUS_NAMES, Project, ProjectStatus
from production.models.tasks import Comment, Task, TaskStatus, TaskType, TimeSpent
from production.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiEvent",
    "BaseModel",
    "EPISODE",
    "RESERVED_ENTITY_TYPES",
    "SEQUENCE",
    "SHOT",
    "Asset",
    "AssetType",
    "Comment",
    "Department",
    "Entity",
    "EntityLink",
    "FailedLogin",
    "EntityType",
    "Episode",
    "OPEN_STATUS_NAMES",
    "Person",
    "Project",
    "ProjectStatus",
    "Sequence",
    "Shot",
    "Task",
    "TaskStatus",
    "frame_count",
    "TaskType",
    "TimeSpent",
    "normalize_email",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
