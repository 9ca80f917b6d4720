from django.db import migrations

# A frozen copy of the row as it was when this migration was written, not an
# import of files.defaults: a migration must insert the same row forever,
# whatever later edits the live constant gets.
FILE_STATUS = ("To review", "#ab26ff")


def create_file_status(apps, schema_editor):
    FileStatus = apps.get_model("files", "FileStatus")
    name, color = FILE_STATUS
    FileStatus.objects.get_or_create(name=name, defaults={"color": color})


class Migration(migrations.Migration):
    dependencies = [("files", "0001_initial")]
    operations = [migrations.RunPython(create_file_status, migrations.RunPython.noop)]
