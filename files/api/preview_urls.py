"""Previews and the files of an entity, in Zou's later URL dialect as gazu
1.3.1 calls it (issue 15): there is no seed spelling of these."""

from files.api import entity_file_views, preview_views
from files.api.file_lists import FileListViewSet
from zou_site.api.routers import ZouRouter, uuid_part

TASK, COMMENT, PREVIEW = uuid_part("task_id"), uuid_part("comment_id"), uuid_part("preview_file_id")
ENTITY, PROJECT = uuid_part("entity_id"), uuid_part("project_id")


def listed(method):
    return FileListViewSet.as_view({"get": method})


router = ZouRouter()
router.route(f"actions/tasks/{TASK}/comments/{COMMENT}/add-preview", preview_views.AddPreviewView.as_view(), "comment-add-preview")
router.route(
    f"actions/tasks/{TASK}/comments/{COMMENT}/preview-files/{PREVIEW}",
    preview_views.CommentPreviewView.as_view(),
    "comment-preview-file",
)
router.route(f"pictures/preview-files/{PREVIEW}", preview_views.PreviewUploadView.as_view(), "preview-file-upload")
router.route(
    f"actions/preview-files/{PREVIEW}/set-main-preview", preview_views.SetMainPreviewView.as_view(), "preview-file-set-main"
)
router.route(
    rf"pictures/originals/preview-files/{PREVIEW}\.(?P<extension>[A-Za-z0-9]{{1,10}})",
    preview_views.PreviewOriginalView.as_view(),
    "preview-file-original",
    [rf"movies/originals/preview-files/{PREVIEW}\.(?P<extension>[A-Za-z0-9]{{1,10}})"],
)
router.route(f"data/tasks/{TASK}/previews", listed("task_previews"), "task-previews")
router.route(f"data/shots/{uuid_part('shot_id')}/preview-files", listed("shot_previews"), "shot-preview-files")
router.route(f"data/projects/{PROJECT}/preview-files", listed("project_previews"), "project-preview-files")
router.route(f"data/projects/{PROJECT}/output-files", listed("project_outputs"), "project-output-files")
router.route(f"data/entities/{ENTITY}/output-files", listed("entity_outputs"), "entity-output-files")
router.route(
    f"data/entities/{ENTITY}/output-files/last-revisions", listed("entity_last_outputs"), "entity-last-output-files"
)
router.route(f"data/entities/{ENTITY}/output-types", listed("entity_output_types"), "entity-output-types")
router.route(f"data/entities/{ENTITY}/working-files", listed("entity_working_files"), "entity-working-files")
router.route(
    f"data/entities/{ENTITY}/output-files/new", entity_file_views.EntityOutputFileNewView.as_view(), "entity-output-file-new"
)
router.route(
    f"data/entities/{ENTITY}/output-file-path", entity_file_views.EntityOutputFilePathView.as_view(), "entity-output-file-path"
)
router.route(
    f"actions/working-files/{uuid_part('working_file_id')}/modified",
    entity_file_views.WorkingFileModifiedView.as_view(),
    "working-file-modified",
)

urlpatterns = router.urls
