"""Shotgun record → model field values, as pure functions (no database).

A mapper reads one record as the Shotgun API returns it (`{"type", "id", ...}`,
links as `{"type", "id", "name"}`) and answers a Mapped: plain values keyed by
model attname, the links still to resolve, and the to-many links. Only the keys
a record carries are mapped, so re-importing a partial record leaves the other
fields as they are, while a key sent as null clears its field.
A record that cannot be mapped raises MappingError with a reason meant for the
person who sent it.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from production.models import RESERVED_ENTITY_TYPES, normalize_email

# Dependency order: a kind links only to kinds before it.
KINDS = (
    "projects",
    "persons",
    "steps",
    "status",
    "episodes",
    "sequences",
    "assets",
    "shots",
    "tasks",
    "versions",
    "notes",
)

# Look-up tables a record names by value, not by Shotgun id.
PROJECT_STATUS, DEPARTMENT, ASSET_TYPE, TASK_STATUS = "project_status", "department", "asset_type", "task_status"

LABELS = {
    "projects": "project",
    "persons": "person",
    "steps": "step",
    "status": "status",
    "episodes": "episode",
    "sequences": "sequence",
    "shots": "shot",
    "assets": "asset",
    "tasks": "task",
    PROJECT_STATUS: "project status",
    DEPARTMENT: "department",
    ASSET_TYPE: "asset type",
    TASK_STATUS: "task status",
}

# The kind a task's entity link points to, by the link's Shotgun type.
ENTITY_KINDS = {"Episode": "episodes", "Sequence": "sequences", "Shot": "shots", "Asset": "assets"}
PERSON_TYPE = "HumanUser"
# Shot keys mapped to columns of their own rather than kept in `data`.
SHOT_MAPPED_KEYS = {"sg_sequence", "sg_cut_in", "sg_cut_out"}
SECONDS_PER_MINUTE = 60


class MappingError(ValueError):
    """Why a record cannot be imported, worded for the person who sent it."""


class Link(NamedTuple):  # not a frozen dataclass, whose __init__ costs more: a task makes six
    field: str  # the Shotgun key it came from, named in errors
    target: str  # a kind of KINDS, or a look-up table resolved by name
    id: int | None = None
    name: str | None = None


@dataclass(slots=True)
class Mapped:
    shotgun_id: int
    fields: dict = field(default_factory=dict)
    # attname → Link, or None where the record sends the link as null.
    links: dict = field(default_factory=dict)
    # many-to-many name → [Link], only when the record carries the list.
    many: dict = field(default_factory=dict)


def shotgun_id(record):
    if not isinstance(record, dict):
        raise MappingError("A record must be a JSON object.")
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise MappingError("The record has no Shotgun id (an integer 'id').")
    return value


def rgb_to_hex(value):
    """Shotgun colours are "r,g,b" with channels 0-255."""
    try:
        channels = [int(part) for part in str(value).split(",")]
    except ValueError:
        channels = []
    if len(channels) != 3 or not all(0 <= channel <= 255 for channel in channels):
        raise MappingError(f"'{value}' is not a colour \"r,g,b\" with channels from 0 to 255.")
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def department_name(step_code):
    """A step's department is the first word of its code: "Modeling Shading" → "Modeling"."""
    return step_code.split()[0]


def frame_range(cut_in, cut_duration):
    """Inclusive as every door counts (frame_count): out = in + duration - 1, not Zou's overlapping in + duration."""
    if cut_in is None or cut_duration is None:
        return cut_in, None
    if cut_duration < 1:
        raise MappingError(f"'sg_cut_duration' ({cut_duration}) must be at least 1 frame.")
    return cut_in, cut_in + cut_duration - 1


def _text(record, key):
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise MappingError(f"'{key}' must be text.")
    return str(value)


def _name(record, key):
    name = _text(record, key).strip()
    if not name:
        raise MappingError(f"'{key}' is missing or empty.")
    return name


def _int(record, key):
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise MappingError(f"'{key}' must be a whole number, not {value!r}.")
    return int(value)


def _date(record, key):
    value = record.get(key)
    if value is None:
        return None
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise MappingError(f"'{key}' must be a date YYYY-MM-DD, not {value!r}.")
    return parsed


def _datetime(record, key):
    value = record.get(key)
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise MappingError(f"'{key}' must be an ISO 8601 date and time, not {value!r}.")
    # The Shotgun API answers in UTC; a time without offset is taken as such.
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.timezone.utc)


def _link(record, key, target, required=False):
    value = record.get(key)
    if value is None:
        if required:
            raise MappingError(f"'{key}' is missing: it must link to a {LABELS[target]}.")
        return None
    if not isinstance(value, dict):
        raise MappingError(f"'{key}' must be a link {{\"type\", \"id\", \"name\"}}.")
    link_id = value.get("id")
    if link_id is not None and (isinstance(link_id, bool) or not isinstance(link_id, int)):
        raise MappingError(f"'{key}' has an id that is not an integer: {link_id!r}.")
    name = value.get("name")
    name = str(name) if name not in (None, "") else None
    if link_id is None and name is None:
        raise MappingError(f"'{key}' has neither an id nor a name.")
    return Link(key, target, link_id, name)


def _person_link(record, key):
    """Only HumanUser links are persons; an ApiUser (a script) or a group has no
    person here, so such a link is read as no link rather than as an error."""
    value = record.get(key)
    if isinstance(value, dict) and value.get("type", PERSON_TYPE) != PERSON_TYPE:
        return None
    return _link(record, key, "persons")


def _links(record, key, target, only_type=None):
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MappingError(f"'{key}' must be a list of links.")
    return [
        _link({key: item}, key, target, required=True)
        for item in value
        if only_type is None or not isinstance(item, dict) or item.get("type", only_type) == only_type
    ]


def map_project(record):
    mapped = Mapped(shotgun_id(record), {"name": _name(record, "name")})
    if "sg_status" in record:
        status = _text(record, "sg_status").strip()
        mapped.links["project_status_id"] = Link("sg_status", PROJECT_STATUS, name=status) if status else None
    return mapped


def map_person(record):
    mapped = Mapped(shotgun_id(record))
    email = normalize_email(_text(record, "email"))
    if not email:
        raise MappingError("'email' is missing: a person logs in with it.")
    try:
        validate_email(email)
    except ValidationError:
        raise MappingError(f"'email' is not a valid address: '{email}'.")
    mapped.fields["email"] = email
    for key, attname in (("firstname", "first_name"), ("lastname", "last_name"), ("login", "desktop_login")):
        if key in record:
            mapped.fields[attname] = _text(record, key).strip()
    if record.get("sg_status_list") is not None:
        mapped.fields["active"] = record["sg_status_list"] != "dis"
    return mapped


def map_step(record):
    code = _name(record, "code")
    mapped = Mapped(shotgun_id(record), {"name": code})
    mapped.links["department_id"] = Link("code", DEPARTMENT, name=department_name(code))
    if record.get("color") is not None:
        mapped.fields["color"] = rgb_to_hex(record["color"])
    if "short_name" in record:
        mapped.fields["short_name"] = _text(record, "short_name").strip()
    if record.get("entity_type"):
        mapped.fields["for_entity"] = _text(record, "entity_type")
        mapped.fields["for_shots"] = record["entity_type"] == "Shot"
    return mapped


def map_status(record):
    mapped = Mapped(shotgun_id(record), {"name": _name(record, "name"), "short_name": _name(record, "code")})
    if record.get("bg_color") is not None:
        mapped.fields["color"] = rgb_to_hex(record["bg_color"])
    return mapped


def _map_entity(record):
    mapped = Mapped(shotgun_id(record), {"name": _name(record, "code")})
    if "description" in record:
        mapped.fields["description"] = _text(record, "description")
    mapped.links["project_id"] = _link(record, "project", "projects", required=True)
    return mapped


def map_episode(record):
    return _map_entity(record)


def map_sequence(record):
    mapped = _map_entity(record)
    # Studios name the custom field either way.
    for key in ("episode", "sg_episode"):
        if key in record:
            mapped.links["parent_id"] = _link(record, key, "episodes")
    return mapped


def map_asset(record):
    mapped = _map_entity(record)
    asset_type = _name(record, "sg_asset_type")
    if asset_type in RESERVED_ENTITY_TYPES:
        raise MappingError(f"'sg_asset_type' cannot be '{asset_type}': that name is not an asset type.")
    mapped.links["entity_type_id"] = Link("sg_asset_type", ASSET_TYPE, name=asset_type)
    if "parents" in record:
        mapped.many["parents"] = _links(record, "parents", "assets")
    return mapped


def map_shot(record):
    mapped = _map_entity(record)
    if "sg_sequence" in record:
        # The link's own type is not trusted: exports type it "Project" at times.
        mapped.links["parent_id"] = _link(record, "sg_sequence", "sequences")
    data = {
        key: value
        for key, value in record.items()
        if key.startswith("sg_") and key not in SHOT_MAPPED_KEYS and value is not None
    }
    if "sg_cut_in" in record:
        data["frame_in"], data["frame_out"] = frame_range(_int(record, "sg_cut_in"), _int(record, "sg_cut_duration"))
    if "sg_cut_duration" in record:
        mapped.fields["nb_frames"] = _int(record, "sg_cut_duration")
    if data:
        mapped.fields["data"] = data
    if "assets" in record:
        # Asset links are typed by asset type ("Character"), so the type is not checked.
        mapped.many["entities_out"] = _links(record, "assets", "assets")
    return mapped


def _entity_link(record, key):
    value = record.get(key)
    if value is None:
        raise MappingError(f"'{key}' is missing: a task belongs to an asset, shot, sequence or episode.")
    kind = ENTITY_KINDS.get(value.get("type")) if isinstance(value, dict) else None
    if kind is None:
        found = value.get("type") if isinstance(value, dict) else value
        raise MappingError(f"'{key}' links {found!r}; only Asset, Shot, Sequence and Episode are imported.")
    return _link(record, key, kind)


def map_task(record):
    mapped = Mapped(shotgun_id(record))
    name = record.get("cached_display_name") or record.get("content")
    mapped.fields["name"] = str(name).strip() if name else "main"
    if "sg_description" in record:
        mapped.fields["description"] = _text(record, "sg_description")
    for key in ("start_date", "due_date"):
        if key in record:
            mapped.fields[key] = _date(record, key)
    if "duration" in record:
        # Shotgun counts working minutes; Task.duration is in seconds.
        mapped.fields["duration"] = (_int(record, "duration") or 0) * SECONDS_PER_MINUTE
    if "sg_sort_order" in record:
        mapped.fields["sort_order"] = _int(record, "sg_sort_order") or 0
    mapped.links["task_type_id"] = _link(record, "step", "steps", required=True)
    mapped.links["entity_id"] = _entity_link(record, "entity")
    if record.get("project") is not None:
        mapped.links["project_id"] = _link(record, "project", "projects")
    if record.get("sg_status_list") is not None:
        mapped.links["task_status_id"] = Link("sg_status_list", TASK_STATUS, name=_text(record, "sg_status_list"))
    if "created_by" in record:
        mapped.links["assigner_id"] = _person_link(record, "created_by")
    if "task_assignees" in record:
        mapped.many["assignees"] = _links(record, "task_assignees", "persons", only_type=PERSON_TYPE)
    return mapped


def map_version(record):
    """The version's `entity` is not stored: a preview file reaches its shot or
    asset through its task, and PreviewFile has no entity column."""
    mapped = Mapped(shotgun_id(record), {"name": _text(record, "code"), "source": "Shotgun"})
    if "description" in record:
        mapped.fields["description"] = _text(record, "description")
    if "sg_task" in record:
        mapped.links["task_id"] = _link(record, "sg_task", "tasks")
    if "user" in record:
        mapped.links["person_id"] = _person_link(record, "user")
    if "sg_uploaded_movie" in record:
        movie = record["sg_uploaded_movie"]
        if movie is None:
            url = name = ""
        elif isinstance(movie, dict):
            url, name = str(movie.get("url") or ""), str(movie.get("name") or "")
        elif isinstance(movie, str):
            url, name = movie, movie.rsplit("/", 1)[-1]
        else:
            raise MappingError("'sg_uploaded_movie' must be an attachment {\"url\", \"name\"}.")
        mapped.fields.update(uploaded_movie_url=url, uploaded_movie_name=name, is_movie=bool(url))
    return mapped


def map_note(record):
    mapped = Mapped(shotgun_id(record), {"object_type": "Task"})
    tasks = _links(record, "tasks", "tasks")
    if not tasks:
        raise MappingError("'tasks' is empty: a note is imported as a comment on its first task.")
    mapped.links["object_id"] = tasks[0]
    if "content" in record:
        mapped.fields["text"] = _text(record, "content")
    if "user" in record:
        mapped.links["person_id"] = _person_link(record, "user")
    if record.get("created_at") is not None:
        mapped.fields["created_at"] = _datetime(record, "created_at")
    return mapped


MAPPERS = {
    "projects": map_project,
    "persons": map_person,
    "steps": map_step,
    "status": map_status,
    "episodes": map_episode,
    "sequences": map_sequence,
    "assets": map_asset,
    "shots": map_shot,
    "tasks": map_task,
    "versions": map_version,
    "notes": map_note,
}
