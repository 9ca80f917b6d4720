from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports.csv.resources import CSV_RESOURCES
from imports.csv.services import csv_export
from production.models import Project


class Command(BaseCommand):
    help = "Export one kind as a CSV sheet (DESIGN.md §9) that imports back with no change."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(CSV_RESOURCES))
        parser.add_argument("--project", help="Only the rows of the project of this name.")
        parser.add_argument("-o", "--output", type=Path, help="The file to write (default: standard output).")

    def handle(self, *args, kind, project, output, **options):
        if project is not None:
            try:
                project = Project.objects.get(name=project)
            except Project.DoesNotExist:
                raise CommandError(f"No project named '{project}'.")
        export = csv_export(kind=kind, project=project)
        if output is None:
            for chunk in export.chunks():
                self.stdout.write(chunk, ending="")
            return
        total = export.queryset.count()

        def with_bar(rows):
            # The bar writes carriage returns: it goes to the raw stream, which
            # Django's OutputWrapper would end with a newline on every update.
            return tqdm(rows, total=total, unit=" rows", file=self.stderr._out)

        with output.open("w", encoding="utf-8", newline="") as target:
            for chunk in export.chunks(wrap_rows=with_bar):
                target.write(chunk)
        self.stdout.write(self.style.SUCCESS(f"{export.kind}: {total} rows written to {output}"))
