"""File routes (DESIGN §5): the seed's spelling is canonical, Zou's (gazu's)
is its alias. An optional trailing slash, never a redirect."""

from files.api import path_views, thumbnail_views
from zou_site.api.routers import ZouRouter, uuid_part

TASK = uuid_part("task_id")
KIND_AND_ID = rf"(?P<kind>[^/]+)/{uuid_part('object_id')}"

router = ZouRouter()
router.route(
    "project/set-tree",
    path_views.SetFileTreeView.as_view(),
    "project-set-tree",
    [f"actions/projects/{uuid_part('project_id')}/set-file-tree"],
)
router.route(
    "project/tree/folder",
    path_views.FolderPathView.as_view(),
    "project-tree-folder",
    [f"data/tasks/{TASK}/folder-path"],
)
router.route(
    "project/tree/file",
    path_views.FilePathView.as_view(),
    "project-tree-file",
    [f"data/tasks/{TASK}/file-path", f"data/tasks/{TASK}/working-file-path"],
)
router.route("project/files/working-files/publish", path_views.PublishView.as_view(), "working-files-publish")
router.route("data/tasks/from-path", path_views.TaskFromPathView.as_view(), "task-from-path")
router.route(f"data/tasks/{TASK}/working-files/new", path_views.WorkingFileNewView.as_view(), "task-working-file-new")
router.route(f"data/tasks/{TASK}/working-files", path_views.WorkingFileListView.as_view(), "task-working-files")
router.route(
    f"data/tasks/{TASK}/last-working-files",
    path_views.LastWorkingFilesView.as_view(),
    "task-last-working-files",
    [f"data/tasks/{TASK}/working-files/last-revisions"],
)
router.route(
    f"data/tasks/{TASK}/output-files/next-revision",
    path_views.TaskNextOutputRevisionView.as_view(),
    "task-output-next-revision",
)
router.route(
    f"data/entities/{uuid_part('entity_id')}/output-files/next-revision",
    path_views.EntityNextOutputRevisionView.as_view(),
    "entity-output-next-revision",
)
router.route(
    f"actions/working-files/{uuid_part('working_file_id')}/comment",
    path_views.WorkingFileCommentView.as_view(),
    "working-file-comment",
)
router.route(rf"pictures/thumbnails/{KIND_AND_ID}\.png", thumbnail_views.ThumbnailView.as_view(), "thumbnail")
router.route(f"pictures/thumbnails/{KIND_AND_ID}", thumbnail_views.ThumbnailUploadView.as_view(), "thumbnail-upload")
# The artist's own view (issue 15): one's own avatar.
router.route("actions/user/clear-avatar", thumbnail_views.UserClearAvatarView.as_view(), "user-clear-avatar")
router.route(
    f"actions/persons/{uuid_part('person_id')}/clear-avatar", thumbnail_views.PersonClearAvatarView.as_view(), "person-clear-avatar"
)

urlpatterns = router.urls
