"""manage.py import_shotgun: Shotgun JSON exports through the same service as the
REST routes and the admin."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.db import transaction
from tqdm import tqdm

from imports.shotgun.mapping import KINDS
from imports.shotgun.services import ShotgunImportError, shotgun_import
from production.auth.persons import SystemActor
from production.management.operator import OperatorCommand

ERRORS_SHOWN = 20


class Command(OperatorCommand):
    help = (
        "Import Shotgun records: `import_shotgun KIND FILE.json`, or every kind file of a folder "
        f"(named {KINDS[0]}.json, {KINDS[1]}.json, ...) with `--dir DIR`, in dependency order."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=KINDS)
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--dir", type=Path, dest="directory", help="A folder of <kind>.json files.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument(
            "--persons",
            action="store_true",
            help="Allow importing persons (HumanUser records): they hold logins, so it is never implied.",
        )

    def handle(self, *args, kind=None, file=None, directory=None, dry_run=False, persons=False, **options):
        if directory is not None and (kind or file):
            raise CommandError("Give either KIND FILE or --dir DIR, not both.")
        if directory is None and not (kind and file):
            raise CommandError("Give KIND FILE, or --dir DIR.")
        files = [(kind, file)] if directory is None else self.kind_files(directory)
        # Every file is read before anything is written, so a broken file stops all.
        if "persons" in dict(files) and not persons:
            raise CommandError(
                "Nothing was imported: persons hold logins; add --persons to import "
                f"{dict(files)['persons']} (or leave it out of the folder)."
            )
        actor = SystemActor(persons=persons)
        batches = [(kind, self.read(path)) for kind, path in files]
        results = []
        try:
            # One transaction for the whole run: a dry run of a folder must let
            # sequences see the projects it would have created, then undo all.
            with transaction.atomic():
                for kind, records in batches:
                    with tqdm(total=len(records), desc=kind, unit="record", disable=None) as bar:
                        results.append(shotgun_import(kind=kind, records=records, actor=actor, progress=bar.update))
                if dry_run:
                    transaction.set_rollback(True)
        except (ShotgunImportError, PermissionDenied) as error:
            raise CommandError(f"Nothing was imported: {error}")
        self.summary(results, dry_run)

    def kind_files(self, directory):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        files = [(kind, directory / f"{kind}.json") for kind in KINDS if (directory / f"{kind}.json").is_file()]
        if not files:
            raise CommandError(f"{directory} holds none of {', '.join(f'{kind}.json' for kind in KINDS)}.")
        return files

    def read(self, path):
        try:
            records = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}.")
        except ValueError as error:
            raise CommandError(f"{path}: not valid JSON: {error}.")
        if not isinstance(records, list):
            raise CommandError(f"{path}: must hold a JSON array of Shotgun records.")
        return records

    def summary(self, results, dry_run):
        out = self.stdout
        out.write("Dry run: nothing was written." if dry_run else "Shotgun import done.")
        out.write(f"{'kind':<10} {'created':>8} {'updated':>8} {'unchanged':>10} {'errors':>7}")
        for result in results:
            out.write(f"{result.kind:<10} {result.created:>8} {result.updated:>8} {result.unchanged:>10} {len(result.errors):>7}")
        totals = [sum(getattr(r, name) for r in results) for name in ("created", "updated", "unchanged")]
        out.write(f"{'total':<10} {totals[0]:>8} {totals[1]:>8} {totals[2]:>10} {sum(len(r.errors) for r in results):>7}")
        for result in results:
            for error in result.errors[:ERRORS_SHOWN]:
                self.stderr.write(f"{result.kind} #{error.index} (Shotgun id {error.id}): {error.reason}")
            if len(result.errors) > ERRORS_SHOWN:
                kept = "" if dry_run else ", kept as import errors"
                self.stderr.write(f"{result.kind}: {len(result.errors) - ERRORS_SHOWN} more errors{kept}.")
