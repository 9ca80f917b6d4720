"""A CSV import's events (production.events): `<type>:new` for each row it
creates (the references rows named too: projects, sequences, statuses),
`<type>:update` with the fields old → new for each row it changes, and a
task's status and assignation events. Built from the values the Resource
holds already (its snapshot before and after each row, the assignee maps):
no query per row, one insert of all of them per chunk, in the import's
transaction, so a rolled-back import leaves none."""

from production import events
from production.models import Person, Task


class ImportEvents:
    def __init__(self, resource):
        self.resource = resource
        self.rows = []  # (instance, values before by attname, or None for a new row)
        self.assignees = {}  # task id → (ids before, ids after)

    def row_written(self, instance, before):
        compared = self.resource._compared
        self.rows.append((instance, None if before is None else dict(zip(compared, before))))

    def assignees_changed(self, task_id, old, new):
        self.assignees[task_id] = (sorted(str(pk) for pk in old), sorted(str(pk) for pk in new))

    def discard(self):
        """Forget the rows noted (a dry run stores no events)."""
        self.rows, self.assignees = [], {}

    def person(self):
        actor = self.resource.actor
        return actor if isinstance(actor, Person) else events.current_person()

    def built(self, created_references):
        person = self.person()
        found = [events.created(row, person=person) for row in created_references]
        compared = self.resource._compared
        for instance, before in self.rows:
            if before is None:
                found.append(events.created(instance, person=person))
                if instance.pk in self.assignees:
                    _, new = self.assignees.pop(instance.pk)
                    found += events.task_assignation(instance.pk, instance.project_id, assigned=new, person=person)
                continue
            changes = events.changes_between(before, {name: getattr(instance, name) for name in compared})
            if instance.pk in self.assignees:
                old, new = self.assignees.pop(instance.pk)
                changes["assignees"] = {"old": old, "new": new}
            if not changes:
                continue
            update = events.row_event(instance, "update", data={"changes": changes}, person=person)
            found.append(update)
            if isinstance(instance, Task):
                found += events.task_follow_ups(instance.pk, changes, project_id=instance.project_id, person=person)
        self.rows, self.assignees = [], {}
        return found
