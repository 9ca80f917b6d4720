"""What an import answers: per kind, the counts, the rows and each refused record."""

from dataclasses import dataclass, field


@dataclass
class RecordError:
    index: int
    id: object
    type: object
    reason: str

    def as_dict(self):
        return {"index": self.index, "id": self.id, "type": self.type, "reason": self.reason}


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    # created / updated / unchanged, one per row, for previews.
    outcomes: list = field(default_factory=list)
    # One per row, for previews: None, or what an update does to an existing
    # row: {"adopted": the natural key it was matched by when the row had no
    # Shotgun id yet (else None), "changes": [(field name, old, new), ...]}
    # with the rows foreign keys name in words (read before a dry run's rollback).
    details: list = field(default_factory=list)

    def add(self, part, keep_rows=True):
        """Fold the result of one chunk of the batch into this one."""
        self.created += part.created
        self.updated += part.updated
        self.unchanged += part.unchanged
        self.errors += part.errors
        if keep_rows:
            self.rows += part.rows
            self.outcomes += part.outcomes
            self.details += part.details

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [error.as_dict() for error in self.errors],
            "data": self.rows,
        }
