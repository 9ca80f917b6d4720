from django.db import migrations

from files.defaults import DEFAULT_FILE_STATUS


def create_file_status(apps, schema_editor):
    FileStatus = apps.get_model("files", "FileStatus")
    name, color = DEFAULT_FILE_STATUS
    FileStatus.objects.get_or_create(name=name, defaults={"color": color})


class Migration(migrations.Migration):
    dependencies = [("files", "0001_initial")]
    operations = [migrations.RunPython(create_file_status, migrations.RunPython.noop)]
