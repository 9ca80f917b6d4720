from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from tqdm import tqdm

from imports.csv.resources import CSV_RESOURCES
from imports.csv.services import csv_import
from imports.csv.sheets import SheetError
from production.auth.persons import SystemActor
from production.management.operator import OperatorCommand


def count_lines(path):
    with path.open("rb") as file:
        return sum(block.count(b"\n") for block in iter(lambda: file.read(1 << 20), b""))


class Command(OperatorCommand):
    help = "Import a CSV sheet (DESIGN.md §9) in one transaction: every row, or none if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(CSV_RESOURCES))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the sheet and report; write nothing.")
        parser.add_argument(
            "--persons", action="store_true", help="Allow importing persons: they hold logins and roles, so it is never implied."
        )

    def handle(self, *args, kind, file, dry_run, persons=False, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        # The bar writes carriage returns: it goes to the raw stream, which
        # Django's OutputWrapper would end with a newline on every update.
        # Its total counts lines, a close guess at rows.
        with file.open("rb") as sheet, tqdm(total=max(count_lines(file) - 1, 0), unit=" rows", file=self.stderr._out) as bar:
            try:
                report = csv_import(
                    kind=kind, file=sheet, actor=SystemActor(persons=persons), dry_run=dry_run, file_name=file.name, progress=bar.update,
                    keep_rows=False,
                )
            except (SheetError, PermissionDenied) as error:
                raise CommandError(str(error))
        for error in report.errors:
            place = ([f"line {error['line']}"] if error["line"] else []) + ([error["column"]] if error["column"] else [])
            self.stderr.write(f"{', '.join(place) or 'database'}: {error['message']}")
        if report.errors:
            raise CommandError(
                f"{report.message} The other rows: {report.created} to create, {report.updated} to update, "
                f"{report.unchanged} unchanged; errors {len(report.errors)}."
            )
        summary = f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, errors 0"
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.kind}: {summary}"))
