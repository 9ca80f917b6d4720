"""Reference rows every production needs, shared by the data migration and by
the services that create them on demand."""

DEFAULT_TASK_STATUSES = [
    # name, short_name, color, is_default, is_done, is_reviewable
    ("Todo", "todo", "#f5f5f5", True, False, False),
    ("WIP", "wip", "#3273dc", False, False, False),
    ("To review", "pndng", "#ab26ff", False, False, True),
    ("Done", "done", "#22d160", False, True, False),
]
TODO, WIP, TO_REVIEW, DONE = "todo", "wip", "pndng", "done"

DEFAULT_PROJECT_STATUSES = [("Open", "#22d160"), ("Closed", "#ff3860")]
