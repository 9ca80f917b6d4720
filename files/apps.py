from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Files"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # File trees are this app's concern, but a project holds its tree: the
        # check is hooked onto the field so every write path (API full_clean,
        # admin forms) validates it, while production stays free of files.
        # Appending to the field's computed validator list (not its
        # constructor argument) leaves migrations untouched.
        from django.core.exceptions import ValidationError

        from files.tree_validation import FileTreeError, validate_file_tree
        from production.models import Project

        def file_tree_validator(value):
            if value is None:
                return
            try:
                validate_file_tree(value)
            except FileTreeError as error:
                raise ValidationError(str(error), code="file_tree")

        validators = Project._meta.get_field("file_tree").validators
        if not any(getattr(v, "__name__", "") == "file_tree_validator" for v in validators):
            validators.append(file_tree_validator)
