"""The calls of bench/gazu_coverage.py: what is out of the seed's scope and
why, the demo rows the calls use, and one call per function in scope, in an
order where each write finds what the calls before it made."""

import datetime
import io
import secrets
import sys
from types import SimpleNamespace

import gazu
from PIL import Image


# Out of the seed's data types, or never reaching the server: not called.
_OUT = {
    "budgets, quotas, milestones, metadata descriptors, status automations, preview backgrounds (not in the seed)": [
        "project.create_budget", "project.create_budget_entry", "project.get_budget", "project.get_budget_entries",
        "project.get_budget_entry", "project.get_budgets", "project.remove_budget", "project.remove_budget_entry",
        "project.update_budget", "project.update_budget_entry", "project.get_project_person_quotas",
        "project.get_project_quotas", "project.get_milestones", "project.add_metadata_descriptor",
        "project.all_metadata_descriptors", "project.get_metadata_descriptor",
        "project.get_metadata_descriptor_by_field_name", "project.remove_metadata_descriptor",
        "project.reorder_metadata_descriptors", "project.update_metadata_descriptor", "project.add_status_automation",
        "project.all_status_automations", "project.remove_status_automation", "project.add_preview_background_file",
        "project.get_preview_background_files", "project.remove_preview_background_file",
    ],
    "asset instances, scenes, concepts, edits (not in the seed)": [
        "shot.add_asset_instance_to_shot", "shot.all_asset_instances_for_shot", "shot.get_asset_instances_for_shot",
        "shot.remove_asset_instance_from_shot", "asset.all_asset_instances_for_asset",
        "asset.all_asset_instances_for_shot", "asset.all_scene_asset_instances_for_asset",
        "asset.all_shot_asset_instances_for_asset", "asset.disable_asset_instance", "asset.enable_asset_instance",
        "asset.get_asset_instance", "asset.new_asset_asset_instance", "task.all_task_types_for_concept",
        "task.all_task_types_for_scene", "task.all_tasks_for_concept", "task.all_tasks_for_edit",
        "task.all_tasks_for_scene", "task.create_concept_tasks", "task.create_edit_tasks",
        "files.all_output_files_for_asset_instance", "files.all_output_types_for_asset_instance",
        "files.build_asset_instance_output_file_path", "files.get_last_asset_instance_output_revision",
        "files.get_last_output_files_for_asset_instance", "files.get_next_asset_instance_output_revision",
        "files.new_asset_instance_output_file", "context.all_scenes_for_project", "context.all_scenes_for_sequence",
        "context.all_task_types_for_scene", "user.all_scenes_for_sequence", "user.all_task_types_for_scene",
        "user.all_tasks_for_scene",
    ],
    "OpenTimelineIO import (not in the seed)": ["shot.import_otio"],
    "notifications, subscriptions, chats, filters, desktop logs, presence, day offs (not in the seed)": [
        "task.all_notifications_for_project", "task.all_subscriptions_for_project", "user.all_chats",
        "user.join_chat", "user.leave_chat", "user.all_notifications", "user.get_notification",
        "user.update_notification", "user.mark_all_notifications_as_read", "user.check_task_subscription",
        "user.subscribe_to_task", "user.unsubscribe_from_task", "user.all_filters", "user.new_filter",
        "user.update_filter", "user.remove_filter", "user.all_filter_groups", "user.get_filter_group",
        "user.new_filter_group", "user.update_filter_group", "user.remove_filter_group",
        "user.all_desktop_login_logs", "user.log_desktop_session_log_in", "user.get_day_off",
        "person.get_presence_log", "person.get_day_off", "person.get_day_offs", "person.get_month_day_offs",
        "person.get_week_day_offs", "person.get_year_day_offs", "person.new_day_off", "person.remove_day_off",
        "person.update_day_off",
    ],
    "organisations, invitations, two-factor authentication (not in the seed)": [
        "person.all_organisations", "person.get_organisation", "person.invite_person",
        "person.disable_two_factor_authentication", "files.download_organisation_avatar",
        "files.upload_organisation_avatar",
    ],
    "comment attachments, replies, acknowledgements, checklists, annotations (not in the seed)": [
        "task.acknowledge_comment", "task.add_attachment_files_to_comment", "task.delete_comment_attachment",
        "task.delete_comment_reply", "task.reply_to_comment", "files.download_attachment_file",
        "files.download_attachment_thumbnail", "files.get_all_attachment_files_for_project",
        "files.get_all_attachment_files_for_task", "files.get_attachment_file", "files.get_attachment_thumbnail_url",
        "files.update_preview_annotations",
    ],
    "preview processing jobs (Zou's transcoding: frames, tiles, low-def movies, playlist positions)": [
        "files.extract_frame_from_preview", "files.extract_tile_from_preview", "files.get_running_preview_files",
        "files.download_preview_lowdef_movie", "files.get_preview_lowdef_movie_url", "files.update_preview_position",
    ],
    "working file content storage (Zou stores working files' bytes; here a working file is a path)": [
        "files.upload_working_file", "files.download_working_file",
    ],
    "local helpers that never reach the server": [
        "client.build_path_with_params", "client.check_status", "client.create_client", "client.get_api_url_from_host",
        "client.get_event_host", "client.get_full_url", "client.get_host", "client.get_message_from_data",
        "client.get_message_from_response", "client.make_auth_header", "client.set_event_host", "client.set_host",
        "client.set_tokens", "client.url_path_join", "sync.convert_id_list", "sync.get_id_map_by_id",
        "sync.get_id_map_by_name", "sync.get_link_list_diff", "sync.get_model_list_diff", "sync.is_changed",
    ],
}
OUT_OF_SCOPE = {name: reason for reason, names in _OUT.items() for name in names}


def picture(path, size=(320, 180), color=(200, 90, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


# --- the demo rows ------------------------------------------------------------------------------

def demo_context(folder, email, password, base):
    c = SimpleNamespace(tmp=folder)
    c.p = gazu.project.get_project_by_name("Big Buck Bunny")
    if c.p is None:
        sys.exit("No project 'Big Buck Bunny': seed the server with `manage.py seed_demo` first.")
    c.pid = c.p["id"]
    c.episodes = gazu.shot.all_episodes_for_project(c.pid)
    c.ep = c.episodes[0]
    c.seqs = gazu.shot.all_sequences_for_project(c.pid)
    c.seq = next(s for s in c.seqs if s["name"] == "SQ01")
    c.shots = gazu.shot.all_shots_for_sequence(c.seq)
    c.shot = c.shots[0]
    c.assets = gazu.asset.all_assets_for_project(c.pid)
    c.asset = next(a for a in c.assets if a["name"] == "Bunny")
    c.asset_type = gazu.asset.get_asset_type_by_name("Characters")
    c.task_types = gazu.task.all_task_types()
    c.tt_anim = gazu.task.get_task_type_by_name("Animation")
    c.tt_model = gazu.task.get_task_type_by_name("Modeling")
    c.statuses = gazu.task.all_task_statuses()
    c.todo = gazu.task.get_task_status_by_short_name("todo")
    c.wip = gazu.task.get_task_status_by_short_name("wip")
    c.shot_task = gazu.task.get_task_by_entity(c.shot, c.tt_anim)
    c.asset_task = gazu.task.get_task_by_entity(c.asset, c.tt_model)
    c.alice = gazu.person.get_person_by_email("alice.martin@example.com")
    c.artist = gazu.person.get_person(c.asset_task["assignees"][0])
    c.me = gazu.client.get_current_user()
    c.departments = gazu.person.all_departments()
    c.dept = c.departments[0]
    c.png = picture(folder / "frame.png")
    c.avatar = picture(folder / "avatar.png", (128, 128), (40, 120, 200))
    c.date = "2024-01-08"
    # The artist logs in too, for gazu.user: an admin gives them a password.
    gazu.client.put(f"data/persons/{c.artist['id']}", {"password": password})
    c.artist_client = gazu.client.create_client(f"{base}/api")
    gazu.log_in(c.artist["email"], password, client=c.artist_client)
    c.tmp_project = gazu.project.new_project(f"Coverage {secrets.token_hex(3)}")
    c.simple_tree = {
        "working": {
            "mountpoint": "/simple", "root": "productions",
            "folder_path": {"shot": "<Project>/shots/<Sequence>/<Shot>/<TaskType>",
                            "asset": "<Project>/assets/<AssetType>/<Asset>/<TaskType>", "style": "lowercase"},
            "file_name": {"shot": "<Project>_<Sequence>_<Shot>_<TaskType>",
                          "asset": "<Project>_<AssetType>_<Asset>_<TaskType>", "style": "lowercase"},
        },
        "output": {
            "mountpoint": "/simple", "root": "productions",
            "folder_path": {"shot": "<Project>/shots/<Sequence>/<Shot>/<TaskType>/<OutputType>",
                            "asset": "<Project>/assets/<AssetType>/<Asset>/<TaskType>/<OutputType>",
                            "style": "lowercase"},
            "file_name": {"shot": "<Project>_<Sequence>_<Shot>_<TaskType>_<OutputType>",
                          "asset": "<Project>_<AssetType>_<Asset>_<TaskType>_<OutputType>", "style": "lowercase"},
        },
    }
    return c


def new_dept(c):
    """A department of the run's own, with a colour (new_department is measured apart)."""
    if not hasattr(c, "new_dept"):
        c.new_dept = gazu.client.create("departments", {"name": f"Cov {tag()}", "color": "#abcabc"})
    return c.new_dept


def tag():
    return secrets.token_hex(3)


def write(c, name, text):
    path = c.tmp / name
    path.write_text(text)
    return str(path)


# --- the calls, in an order where each write finds what it needs --------------------------------
# Each entry: "module.function": callable(c). A callable may store rows on c for later calls.

def calls():
    S = {}

    # client
    S["client.host_is_up"] = lambda c: gazu.client.host_is_up()
    S["client.host_is_valid"] = lambda c: gazu.client.host_is_valid()
    S["client.get_api_version"] = lambda c: gazu.client.get_api_version()
    S["client.get_current_user"] = lambda c: gazu.client.get_current_user()
    S["client.fetch_all"] = lambda c: gazu.client.fetch_all("projects")
    S["client.fetch_first"] = lambda c: gazu.client.fetch_first("projects", {"name": c.p["name"]})
    S["client.fetch_one"] = lambda c: gazu.client.fetch_one("projects", c.pid)
    S["client.get"] = lambda c: gazu.client.get(f"data/projects/{c.pid}")
    S["client.create"] = lambda c: setattr(c, "dept2", gazu.client.create("departments", {"name": f"Cov {tag()}", "color": "#123456"}))
    S["client.update"] = lambda c: gazu.client.update("departments", c.dept2["id"], {"color": "#654321"})
    S["client.put"] = lambda c: gazu.client.put(f"data/departments/{c.dept2['id']}", {"color": "#111111"})
    S["client.post"] = lambda c: gazu.client.post("data/departments", {"name": f"Cov {tag()}", "color": "#222222"})
    S["client.delete"] = lambda c: gazu.client.delete(f"data/departments/{c.dept2['id']}")
    S["client.import_data"] = lambda c: gazu.client.import_data("departments", {"name": f"Cov {tag()}", "color": "#333333"})
    S["client.upload"] = lambda c: gazu.client.upload(f"pictures/thumbnails/persons/{c.me['id']}", c.avatar)
    S["client.download"] = lambda c: gazu.client.download(
        f"pictures/thumbnails/persons/{c.me['id']}.png", str(c.tmp / "dl.png"))
    S["client.get_file_data_from_url"] = lambda c: gazu.client.get_file_data_from_url(
        f"pictures/thumbnails/persons/{c.me['id']}.png")

    # project
    S["project.all_projects"] = lambda c: gazu.project.all_projects()
    S["project.all_open_projects"] = lambda c: gazu.project.all_open_projects()
    S["project.all_project_status"] = lambda c: gazu.project.all_project_status()
    S["project.get_project"] = lambda c: gazu.project.get_project(c.pid)
    S["project.get_project_by_name"] = lambda c: gazu.project.get_project_by_name(c.p["name"])
    S["project.get_project_status_by_name"] = lambda c: gazu.project.get_project_status_by_name("Open")
    S["project.get_project_url"] = lambda c: gazu.project.get_project_url(c.p)
    S["project.get_project_task_types"] = lambda c: gazu.project.get_project_task_types(c.pid)
    S["project.get_project_task_statuses"] = lambda c: gazu.project.get_project_task_statuses(c.pid)
    S["project.get_team"] = lambda c: gazu.project.get_team(c.pid)
    S["project.update_project"] = lambda c: gazu.project.update_project({"id": c.tmp_project["id"], "description": "cov"})
    S["project.update_project_data"] = lambda c: gazu.project.update_project_data(c.tmp_project, {"cov": 1})
    S["project.add_person_to_team"] = lambda c: gazu.project.add_person_to_team(c.tmp_project, c.alice)
    S["project.update_team_member_role"] = lambda c: gazu.project.update_team_member_role(c.tmp_project, c.alice, "supervisor")
    S["project.remove_person_from_team"] = lambda c: gazu.project.remove_person_from_team(c.tmp_project, c.alice)
    S["project.add_asset_type"] = lambda c: gazu.project.add_asset_type(c.tmp_project, c.asset_type)
    S["project.add_task_type"] = lambda c: gazu.project.add_task_type(c.tmp_project, c.tt_anim, 1)
    S["project.remove_task_type"] = lambda c: gazu.project.remove_task_type(c.tmp_project, c.tt_anim)
    S["project.add_task_status"] = lambda c: gazu.project.add_task_status(c.tmp_project, c.wip)
    S["project.remove_task_status"] = lambda c: gazu.project.remove_task_status(c.tmp_project, c.wip)
    S["project.close_project"] = lambda c: gazu.project.close_project(c.tmp_project)

    # shot
    S["shot.all_episodes_for_project"] = lambda c: gazu.shot.all_episodes_for_project(c.pid)
    S["shot.all_sequences_for_project"] = lambda c: gazu.shot.all_sequences_for_project(c.pid)
    S["shot.all_sequences_for_episode"] = lambda c: gazu.shot.all_sequences_for_episode(c.ep)
    S["shot.all_shots_for_project"] = lambda c: gazu.shot.all_shots_for_project(c.pid)
    S["shot.all_shots_for_episode"] = lambda c: gazu.shot.all_shots_for_episode(c.ep)
    S["shot.all_shots_for_sequence"] = lambda c: gazu.shot.all_shots_for_sequence(c.seq)
    S["shot.get_episode"] = lambda c: gazu.shot.get_episode(c.ep["id"])
    S["shot.get_episode_by_name"] = lambda c: gazu.shot.get_episode_by_name(c.pid, "E01")
    S["shot.get_episode_from_sequence"] = lambda c: gazu.shot.get_episode_from_sequence(c.seq)
    S["shot.get_sequence"] = lambda c: gazu.shot.get_sequence(c.seq["id"])
    S["shot.get_sequence_by_name"] = lambda c: gazu.shot.get_sequence_by_name(c.pid, "SQ01", episode=c.ep)
    S["shot.get_sequence_from_shot"] = lambda c: gazu.shot.get_sequence_from_shot(c.shot)
    S["shot.get_shot"] = lambda c: gazu.shot.get_shot(c.shot["id"])
    S["shot.get_shot_by_name"] = lambda c: gazu.shot.get_shot_by_name(c.seq, c.shot["name"])
    S["shot.get_episode_url"] = lambda c: gazu.shot.get_episode_url(c.ep)
    S["shot.get_sequence_url"] = lambda c: gazu.shot.get_sequence_url(c.seq)
    S["shot.get_shot_url"] = lambda c: gazu.shot.get_shot_url(c.shot)
    S["shot.get_all_episodes_url"] = lambda c: gazu.shot.get_all_episodes_url(c.p)
    S["shot.get_all_sequences_url"] = lambda c: gazu.shot.get_all_sequences_url(c.p)
    S["shot.new_episode"] = lambda c: setattr(c, "new_ep", gazu.shot.new_episode(c.pid, f"E{tag()}"))
    S["shot.new_sequence"] = lambda c: setattr(c, "new_seq", gazu.shot.new_sequence(c.pid, f"SQ{tag()}", episode=c.new_ep))
    S["shot.new_shot"] = lambda c: setattr(
        c, "new_shot", gazu.shot.new_shot(c.pid, c.new_seq, f"SH{tag()}", nb_frames=24, frame_in=1, frame_out=24))
    S["shot.update_episode"] = lambda c: gazu.shot.update_episode({"id": c.new_ep["id"], "description": "cov"})
    S["shot.update_episode_data"] = lambda c: gazu.shot.update_episode_data(c.new_ep, {"cov": 1})
    S["shot.update_sequence"] = lambda c: gazu.shot.update_sequence({"id": c.new_seq["id"], "description": "cov"})
    S["shot.update_sequence_data"] = lambda c: gazu.shot.update_sequence_data(c.new_seq, {"cov": 1})
    S["shot.update_shot"] = lambda c: gazu.shot.update_shot({"id": c.new_shot["id"], "description": "cov"})
    S["shot.update_shot_data"] = lambda c: gazu.shot.update_shot_data(c.new_shot, {"cov": 1})
    S["shot.all_previews_for_shot"] = lambda c: gazu.shot.all_previews_for_shot(c.shot)
    S["shot.export_shots_with_csv"] = lambda c: gazu.shot.export_shots_with_csv(c.pid, str(c.tmp / "shots.csv"))
    S["shot.import_shots_with_csv"] = lambda c: gazu.shot.import_shots_with_csv(c.tmp_project["id"], write(
        c, "in_shots.csv", "Episode,Sequence,Name,Frame In,Frame Out\nE01,SQ01,SH010,1,48\nE01,SQ01,SH020,49,96\n"))
    S["shot.remove_shot"] = lambda c: gazu.shot.remove_shot(c.new_shot, force=True)
    S["shot.restore_shot"] = lambda c: gazu.shot.restore_shot(c.shots[-1])
    S["shot.remove_sequence"] = lambda c: gazu.shot.remove_sequence(c.new_seq, force=True)
    S["shot.remove_episode"] = lambda c: gazu.shot.remove_episode(c.new_ep, force=True)

    # asset
    S["asset.all_asset_types"] = lambda c: gazu.asset.all_asset_types()
    S["asset.all_asset_types_for_project"] = lambda c: gazu.asset.all_asset_types_for_project(c.pid)
    S["asset.all_asset_types_for_shot"] = lambda c: gazu.asset.all_asset_types_for_shot(c.shot)
    S["asset.all_assets_for_project"] = lambda c: gazu.asset.all_assets_for_project(c.pid)
    S["asset.all_assets_for_project_and_type"] = lambda c: gazu.asset.all_assets_for_project_and_type(c.pid, c.asset_type)
    S["asset.all_assets_for_episode"] = lambda c: gazu.asset.all_assets_for_episode(c.ep)
    S["asset.all_assets_for_shot"] = lambda c: gazu.asset.all_assets_for_shot(c.shot)
    S["asset.all_assets_for_open_projects"] = lambda c: gazu.asset.all_assets_for_open_projects()
    S["asset.get_asset"] = lambda c: gazu.asset.get_asset(c.asset["id"])
    S["asset.get_asset_by_name"] = lambda c: gazu.asset.get_asset_by_name(c.pid, "Bunny", asset_type=c.asset_type)
    S["asset.get_asset_type"] = lambda c: gazu.asset.get_asset_type(c.asset_type["id"])
    S["asset.get_asset_type_by_name"] = lambda c: gazu.asset.get_asset_type_by_name("Props")
    S["asset.get_asset_type_from_asset"] = lambda c: gazu.asset.get_asset_type_from_asset(c.asset)
    S["asset.get_episode_from_asset"] = lambda c: gazu.asset.get_episode_from_asset(c.asset)
    S["asset.get_asset_url"] = lambda c: gazu.asset.get_asset_url(c.asset)
    S["asset.get_asset_type_url"] = lambda c: gazu.asset.get_asset_type_url(c.p, c.asset_type)
    S["asset.get_all_assets_url"] = lambda c: gazu.asset.get_all_assets_url(c.p)
    S["asset.new_asset_type"] = lambda c: setattr(c, "new_at", gazu.asset.new_asset_type(f"Cov {tag()}"))
    S["asset.update_asset_type"] = lambda c: gazu.asset.update_asset_type({"id": c.new_at["id"], "name": f"Cov {tag()}"})
    S["asset.new_asset"] = lambda c: setattr(c, "new_asset", gazu.asset.new_asset(c.pid, c.new_at, f"A{tag()}", "cov"))
    S["asset.update_asset"] = lambda c: gazu.asset.update_asset({"id": c.new_asset["id"], "description": "cov2"})
    S["asset.update_asset_data"] = lambda c: gazu.asset.update_asset_data(c.new_asset, {"cov": 1})
    S["asset.export_assets_with_csv"] = lambda c: gazu.asset.export_assets_with_csv(c.pid, str(c.tmp / "assets.csv"))
    S["asset.import_assets_with_csv"] = lambda c: gazu.asset.import_assets_with_csv(
        c.tmp_project["id"], write(c, "in_assets.csv", "Type,Name,Description\nProps,Lamp,A lamp\nProps,Chair,\n"))
    S["asset.remove_asset"] = lambda c: gazu.asset.remove_asset(c.new_asset, force=True)
    S["asset.remove_asset_type"] = lambda c: gazu.asset.remove_asset_type(c.new_at)

    # task: reads
    for name in ("all_task_statuses", "all_task_types", "all_open_tasks", "get_default_task_status", "get_open_tasks_stats",
                 "get_persons_tasks_dates"):
        S[f"task.{name}"] = (lambda n: lambda c: getattr(gazu.task, n)())(name)
    S["task.all_task_statuses_for_project"] = lambda c: gazu.task.all_task_statuses_for_project(c.pid)
    S["task.all_task_types_for_project"] = lambda c: gazu.task.all_task_types_for_project(c.pid)
    S["task.all_task_types_for_shot"] = lambda c: gazu.task.all_task_types_for_shot(c.shot)
    S["task.all_task_types_for_asset"] = lambda c: gazu.task.all_task_types_for_asset(c.asset)
    S["task.all_task_types_for_sequence"] = lambda c: gazu.task.all_task_types_for_sequence(c.seq)
    S["task.all_task_types_for_episode"] = lambda c: gazu.task.all_task_types_for_episode(c.ep)
    S["task.all_tasks_for_project"] = lambda c: gazu.task.all_tasks_for_project(c.pid)
    S["task.all_tasks_for_shot"] = lambda c: gazu.task.all_tasks_for_shot(c.shot)
    S["task.all_tasks_for_asset"] = lambda c: gazu.task.all_tasks_for_asset(c.asset)
    S["task.all_tasks_for_sequence"] = lambda c: gazu.task.all_tasks_for_sequence(c.seq)
    S["task.all_tasks_for_episode"] = lambda c: gazu.task.all_tasks_for_episode(c.ep)
    S["task.all_shot_tasks_for_sequence"] = lambda c: gazu.task.all_shot_tasks_for_sequence(c.seq)
    S["task.all_shot_tasks_for_episode"] = lambda c: gazu.task.all_shot_tasks_for_episode(c.ep)
    S["task.all_assets_tasks_for_episode"] = lambda c: gazu.task.all_assets_tasks_for_episode(c.ep)
    S["task.all_tasks_for_entity_and_task_type"] = lambda c: gazu.task.all_tasks_for_entity_and_task_type(c.shot, c.tt_anim)
    S["task.all_tasks_for_task_type"] = lambda c: gazu.task.all_tasks_for_task_type(c.pid, c.tt_anim)
    S["task.all_tasks_for_task_status"] = lambda c: gazu.task.all_tasks_for_task_status(c.pid, c.tt_anim, c.todo)
    S["task.all_tasks_for_person"] = lambda c: gazu.task.all_tasks_for_person(c.artist)
    S["task.all_tasks_for_person_and_type"] = lambda c: gazu.task.all_tasks_for_person_and_type(c.artist, c.tt_model)
    S["task.all_done_tasks_for_person"] = lambda c: gazu.task.all_done_tasks_for_person(c.artist)
    S["task.all_comments_for_project"] = lambda c: gazu.task.all_comments_for_project(c.pid)
    S["task.all_comments_for_task"] = lambda c: gazu.task.all_comments_for_task(c.asset_task)
    S["task.get_last_comment_for_task"] = lambda c: gazu.task.get_last_comment_for_task(c.asset_task)
    S["task.get_task"] = lambda c: gazu.task.get_task(c.shot_task["id"])
    S["task.get_task_by_entity"] = lambda c: gazu.task.get_task_by_entity(c.shot, c.tt_anim)
    S["task.get_task_status"] = lambda c: gazu.task.get_task_status(c.todo["id"])
    S["task.get_task_status_by_name"] = lambda c: gazu.task.get_task_status_by_name("Todo")
    S["task.get_task_status_by_short_name"] = lambda c: gazu.task.get_task_status_by_short_name("wip")
    S["task.get_task_type"] = lambda c: gazu.task.get_task_type(c.tt_anim["id"])
    S["task.get_task_type_by_name"] = lambda c: gazu.task.get_task_type_by_name("Layout", for_entity="Shot")
    S["task.get_task_type_by_short_name"] = lambda c: gazu.task.get_task_type_by_short_name("lay")
    S["task.get_task_url"] = lambda c: gazu.task.get_task_url(c.shot_task)
    S["task.get_time_spent"] = lambda c: gazu.task.get_time_spent(c.asset_task, c.date)
    S["task.get_task_time_spent_for_date"] = lambda c: gazu.task.get_task_time_spent_for_date(c.asset_task, c.date)
    # task: writes
    S["task.new_task_status"] = lambda c: setattr(c, "new_status", gazu.task.new_task_status(f"Cov {tag()}", f"c{tag()}", "#00ff00"))
    S["task.update_task_status"] = lambda c: gazu.task.update_task_status({"id": c.new_status["id"], "color": "#00aa00"})
    S["task.new_task_type"] = lambda c: setattr(c, "new_tt", gazu.task.new_task_type(f"Cov {tag()}", for_entity="Shot"))
    S["task.update_task_type"] = lambda c: gazu.task.update_task_type({"id": c.new_tt["id"], "color": "#abcdef"})
    S["task.new_task"] = lambda c: setattr(c, "new_task", gazu.task.new_task(c.shot, c.new_tt, name="cov", assignees=[c.artist]))
    S["task.update_task"] = lambda c: gazu.task.update_task({"id": c.new_task["id"], "description": "cov"})
    S["task.update_task_data"] = lambda c: gazu.task.update_task_data(c.new_task, {"cov": 1})
    S["task.start_task"] = lambda c: gazu.task.start_task(c.new_task)
    S["task.assign_task"] = lambda c: gazu.task.assign_task(c.new_task, c.alice)
    S["task.assign_tasks_to_person"] = lambda c: gazu.task.assign_tasks_to_person([c.new_task], c.alice)
    S["task.clear_assignations"] = lambda c: gazu.task.clear_assignations([c.new_task], c.alice)
    S["task.add_comment"] = lambda c: setattr(c, "comment", gazu.task.add_comment(c.new_task, c.wip, "cov comment"))
    S["task.get_comment"] = lambda c: gazu.task.get_comment(c.comment["id"])
    S["task.update_comment"] = lambda c: gazu.task.update_comment({"id": c.comment["id"], "text": "cov edited"})
    S["task.create_preview"] = lambda c: setattr(c, "preview0", gazu.task.create_preview(c.new_task, c.comment))
    S["task.upload_preview_file"] = lambda c: gazu.task.upload_preview_file(c.preview0, c.png)
    S["task.add_preview"] = lambda c: setattr(c, "preview", gazu.task.add_preview(c.new_task, c.comment, c.png))
    S["task.create_extra_preview"] = lambda c: gazu.task.create_extra_preview(c.new_task, c.comment, c.preview)
    S["task.add_extra_preview"] = lambda c: gazu.task.add_extra_preview(c.new_task, c.comment, c.preview, c.png)
    S["task.set_main_preview"] = lambda c: gazu.task.set_main_preview(c.preview)
    S["task.all_previews_for_task"] = lambda c: gazu.task.all_previews_for_task(c.new_task)
    S["task.all_preview_files_for_project"] = lambda c: gazu.task.all_preview_files_for_project(c.pid)
    S["task.publish_preview"] = lambda c: setattr(c, "published", gazu.task.publish_preview(
        c.new_task, c.wip, comment="published", preview_file_path=c.png, set_thumbnail=True)[1])
    S["task.remove_preview_from_comment"] = lambda c: gazu.task.remove_preview_from_comment(c.new_task, c.comment, c.preview0)
    S["task.add_tasks_batch_comments"] = lambda c: gazu.task.add_tasks_batch_comments(
        [c.new_task], {"task_status_id": c.wip["id"], "comment": "batch"})
    S["task.batch_comments"] = lambda c: gazu.task.batch_comments(
        [{"task_status_id": c.wip["id"], "comment": "batch 2", "object_id": c.new_task["id"]}], task=c.new_task)
    S["task.create_multiple_comments"] = lambda c: gazu.task.create_multiple_comments(
        c.pid, [{"task_status_id": c.wip["id"], "comment": "multi", "object_id": c.new_task["id"]}])
    # A comment without previews (Zou too refuses to move one that has some).
    S["task.move_comment_to_task"] = lambda c: gazu.task.move_comment_to_task(
        c.new_task, gazu.task.add_comment(c.new_task, c.wip, "to move"), c.shot_task)
    S["task.remove_comment"] = lambda c: gazu.task.remove_comment(gazu.task.add_comment(c.new_task, c.wip, "to remove"))
    S["task.set_time_spent"] = lambda c: gazu.task.set_time_spent(c.new_task, c.artist, "2024-02-01", 3600)
    S["task.add_time_spent"] = lambda c: setattr(c, "ts", gazu.task.add_time_spent(c.new_task, c.artist, "2024-02-01", 1800))
    S["task.remove_time_spent"] = lambda c: gazu.task.remove_time_spent(c.ts)
    S["task.create_shot_tasks"] = lambda c: gazu.task.create_shot_tasks(c.shots[1], [c.new_tt])
    S["task.create_asset_tasks"] = lambda c: gazu.task.create_asset_tasks(c.assets[1], [c.new_tt])
    S["task.create_entity_tasks"] = lambda c: gazu.task.create_entity_tasks(c.shots[2], [c.new_tt])
    # person
    S["person.all_persons"] = lambda c: gazu.person.all_persons()
    S["person.all_departments"] = lambda c: gazu.person.all_departments()
    S["person.get_department"] = lambda c: gazu.person.get_department(c.dept["id"])
    S["person.get_department_by_name"] = lambda c: gazu.person.get_department_by_name("Animation")
    S["person.get_person"] = lambda c: gazu.person.get_person(c.alice["id"])
    S["person.get_person_by_email"] = lambda c: gazu.person.get_person_by_email("alice.martin@example.com")
    S["person.get_person_by_full_name"] = lambda c: gazu.person.get_person_by_full_name("Alice Martin")
    S["person.get_person_by_desktop_login"] = lambda c: gazu.person.get_person_by_desktop_login("alice")
    S["person.get_person_url"] = lambda c: gazu.person.get_person_url(c.alice)
    S["person.get_time_spents_by_date"] = lambda c: gazu.person.get_time_spents_by_date(c.artist, c.date)
    S["person.get_time_spents_range"] = lambda c: gazu.person.get_time_spents_range(c.artist["id"], "2024-01-01", "2024-03-31")
    S["person.get_week_time_spents"] = lambda c: gazu.person.get_week_time_spents(c.artist, 2024, 2)
    S["person.get_year_time_spents"] = lambda c: gazu.person.get_year_time_spents(c.artist, 2024)
    S["person.get_all_month_time_spents"] = lambda c: gazu.person.get_all_month_time_spents(
        c.artist["id"], datetime.date(2024, 1, 1))
    S["person.new_department"] = lambda c: gazu.person.new_department(f"Cov {tag()}")  # no colour, as gazu's default
    S["person.update_department"] = lambda c: gazu.person.update_department({"id": new_dept(c)["id"], "color": "#ffffff"})
    S["person.new_person"] = lambda c: setattr(c, "new_person", gazu.person.new_person(
        "Cov", "Erage", f"cov-{tag()}@example.com", departments=[c.dept]))
    S["person.update_person"] = lambda c: gazu.person.update_person({"id": c.new_person["id"], "phone": "123"})
    S["person.add_person_to_department"] = lambda c: gazu.person.add_person_to_department(c.new_person, new_dept(c))
    S["person.remove_person_from_department"] = lambda c: gazu.person.remove_person_from_department(c.new_person, new_dept(c))
    S["person.change_password_for_person"] = lambda c: gazu.person.change_password_for_person(c.new_person, "An0ther-pass-word")
    S["person.set_avatar"] = lambda c: gazu.person.set_avatar(c.new_person, c.avatar)
    S["person.clear_person_avatar"] = lambda c: gazu.person.clear_person_avatar(c.new_person)
    S["person.remove_person"] = lambda c: gazu.person.remove_person(c.new_person, force=True)
    S["person.remove_department"] = lambda c: gazu.person.remove_department(new_dept(c), force=True)
    S["person.new_bot"] = lambda c: setattr(c, "bot", gazu.person.new_bot("Cov Bot", f"bot-{tag()}@example.com"))
    S["person.update_bot"] = lambda c: gazu.person.update_bot({"id": c.bot["id"], "first_name": "Cov Bot 2"})
    S["person.remove_bot"] = lambda c: gazu.person.remove_bot(c.bot, force=True)

    # files
    S["files.update_project_file_tree"] = lambda c: gazu.files.update_project_file_tree(c.pid, c.simple_tree)
    S["files.new_software"] = lambda c: setattr(c, "software", gazu.files.new_software(f"Cov {tag()}", f"c{tag()}", ".blend"))
    S["files.update_software"] = lambda c: gazu.files.update_software({"id": c.software["id"], "short_name": f"d{tag()}"})
    S["files.all_softwares"] = lambda c: gazu.files.all_softwares()
    S["files.get_software"] = lambda c: gazu.files.get_software(c.software["id"])
    S["files.get_software_by_name"] = lambda c: gazu.files.get_software_by_name(c.software["name"])
    S["files.new_output_type"] = lambda c: setattr(c, "output_type", gazu.files.new_output_type(f"Cov {tag()}", f"o{tag()}"))
    S["files.all_output_types"] = lambda c: gazu.files.all_output_types()
    S["files.get_output_type"] = lambda c: gazu.files.get_output_type(c.output_type["id"])
    S["files.get_output_type_by_name"] = lambda c: gazu.files.get_output_type_by_name(c.output_type["name"])
    S["files.new_file_status"] = lambda c: setattr(c, "file_status", gazu.files.new_file_status(f"Cov {tag()}", "#aaaaaa"))
    S["files.get_file_status"] = lambda c: gazu.files.get_file_status(c.file_status["id"])
    S["files.get_file_status_by_name"] = lambda c: gazu.files.get_file_status_by_name(c.file_status["name"])
    S["files.build_working_file_path"] = lambda c: gazu.files.build_working_file_path(c.asset_task, software=c.software)
    S["files.new_working_file"] = lambda c: setattr(c, "working", gazu.files.new_working_file(
        c.asset_task, software=c.software, comment="cov"))
    S["files.get_working_file"] = lambda c: gazu.files.get_working_file(c.working["id"])
    S["files.get_working_files_for_task"] = lambda c: gazu.files.get_working_files_for_task(c.asset_task)
    S["files.get_last_working_files"] = lambda c: gazu.files.get_last_working_files(c.asset_task)
    S["files.get_last_working_file_revision"] = lambda c: gazu.files.get_last_working_file_revision(c.asset_task)
    S["files.get_all_working_files_for_entity"] = lambda c: gazu.files.get_all_working_files_for_entity(c.asset)
    S["files.update_comment"] = lambda c: gazu.files.update_comment(c.working, "cov edited")
    S["files.update_modification_date"] = lambda c: gazu.files.update_modification_date(c.working)
    S["files.build_entity_output_file_path"] = lambda c: gazu.files.build_entity_output_file_path(
        c.asset, c.output_type, c.tt_model)
    S["files.new_entity_output_file"] = lambda c: setattr(c, "output", gazu.files.new_entity_output_file(
        c.asset, c.output_type, c.tt_model, "Fix flicker!", working_file=c.working))
    S["files.get_output_file"] = lambda c: gazu.files.get_output_file(c.output["id"])
    S["files.get_output_file_by_path"] = lambda c: gazu.files.get_output_file_by_path(c.output["path"])
    S["files.update_output_file"] = lambda c: gazu.files.update_output_file(c.output, {"description": "cov"})
    S["files.all_output_files_for_entity"] = lambda c: gazu.files.all_output_files_for_entity(c.asset)
    S["files.all_output_files_for_project"] = lambda c: gazu.files.all_output_files_for_project(c.pid)
    S["files.all_output_types_for_entity"] = lambda c: gazu.files.all_output_types_for_entity(c.asset)
    S["files.get_last_output_files_for_entity"] = lambda c: gazu.files.get_last_output_files_for_entity(c.asset)
    S["files.get_last_entity_output_revision"] = lambda c: gazu.files.get_last_entity_output_revision(
        c.asset, c.output_type, c.tt_model)
    S["files.get_next_entity_output_revision"] = lambda c: gazu.files.get_next_entity_output_revision(
        c.asset, c.output_type, c.tt_model)
    S["files.get_preview_file"] = lambda c: gazu.files.get_preview_file(c.published["id"])
    S["files.get_all_preview_files_for_task"] = lambda c: gazu.files.get_all_preview_files_for_task(c.new_task)
    S["files.get_preview_file_url"] = lambda c: gazu.files.get_preview_file_url(c.published)
    S["files.get_preview_movie_url"] = lambda c: gazu.files.get_preview_movie_url(c.published)
    S["files.wait_for_preview_file"] = lambda c: gazu.files.wait_for_preview_file(c.published, timeout=2)
    S["files.update_preview"] = lambda c: gazu.files.update_preview(c.published, {"description": "cov"})
    S["files.download_preview_file"] = lambda c: gazu.files.download_preview_file(c.published, str(c.tmp / "p.png"))
    S["files.download_preview_file_cover"] = lambda c: gazu.files.download_preview_file_cover(c.published, str(c.tmp / "c.png"))
    S["files.download_preview_file_thumbnail"] = lambda c: gazu.files.download_preview_file_thumbnail(
        c.published, str(c.tmp / "t.png"))
    S["files.download_preview_movie"] = lambda c: gazu.files.download_preview_movie(c.published, str(c.tmp / "m.mp4"))
    S["files.upload_person_avatar"] = lambda c: gazu.files.upload_person_avatar(c.me, c.avatar)
    S["files.download_person_avatar"] = lambda c: gazu.files.download_person_avatar(c.me, str(c.tmp / "a.png"))
    S["files.upload_project_avatar"] = lambda c: gazu.files.upload_project_avatar(c.pid, c.avatar)
    S["files.download_project_avatar"] = lambda c: gazu.files.download_project_avatar(c.pid, str(c.tmp / "pa.png"))
    S["files.remove_preview_file"] = lambda c: gazu.files.remove_preview_file(c.published, force=True)

    # casting
    S["casting.get_shot_casting"] = lambda c: gazu.casting.get_shot_casting(c.shot)
    S["casting.get_asset_casting"] = lambda c: gazu.casting.get_asset_casting(c.asset)
    S["casting.get_episode_casting"] = lambda c: gazu.casting.get_episode_casting(c.ep)
    S["casting.get_sequence_casting"] = lambda c: gazu.casting.get_sequence_casting(c.seq)
    S["casting.get_asset_type_casting"] = lambda c: gazu.casting.get_asset_type_casting(c.pid, c.asset_type)
    S["casting.get_asset_cast_in"] = lambda c: gazu.casting.get_asset_cast_in(c.asset)
    S["casting.get_sequence_shots_casting"] = lambda c: gazu.casting.get_sequence_shots_casting(c.pid, c.seq)
    S["casting.get_episode_shots_casting"] = lambda c: gazu.casting.get_episode_shots_casting(c.pid, c.ep)
    S["casting.get_episodes_casting"] = lambda c: gazu.casting.get_episodes_casting(c.pid)
    S["casting.get_project_shots_casting"] = lambda c: gazu.casting.get_project_shots_casting(c.pid)
    S["casting.all_entity_links_for_project"] = lambda c: gazu.casting.all_entity_links_for_project(c.pid)
    S["casting.update_shot_casting"] = lambda c: gazu.casting.update_shot_casting(
        c.pid, c.shot, [{"asset_id": c.asset["id"], "nb_occurences": 2}])
    S["casting.update_asset_casting"] = lambda c: gazu.casting.update_asset_casting(
        c.pid, c.asset, [{"asset_id": c.assets[1]["id"], "nb_occurences": 1}])
    S["casting.update_episode_casting"] = lambda c: gazu.casting.update_episode_casting(
        c.pid, c.ep, [{"asset_id": c.asset["id"], "nb_occurences": 1}])
    S["casting.cast_asset"] = lambda c: gazu.casting.cast_asset(c.pid, [c.shots[1]], c.asset, nb_occurences=1)
    S["casting.uncast_asset"] = lambda c: gazu.casting.uncast_asset(c.pid, [c.shots[1]], c.asset)
    S["casting.delete_entity_link"] = lambda c: gazu.casting.delete_entity_link(
        gazu.casting.all_entity_links_for_project(c.pid)[0])

    # context (as the admin, then in the artist's context for user_context)
    S["context.all_open_projects"] = lambda c: gazu.context.all_open_projects(user_context=True, client=c.artist_client)
    S["context.all_asset_types_for_project"] = lambda c: gazu.context.all_asset_types_for_project(c.pid, user_context=True, client=c.artist_client)
    S["context.all_assets_for_asset_type_and_project"] = lambda c: gazu.context.all_assets_for_asset_type_and_project(
        c.pid, c.asset_type, user_context=True, client=c.artist_client)
    S["context.all_assets_for_project"] = lambda c: gazu.context.all_assets_for_project(c.pid)
    S["context.all_episodes_for_project"] = lambda c: gazu.context.all_episodes_for_project(c.pid, user_context=True, client=c.artist_client)
    S["context.all_sequences_for_episode"] = lambda c: gazu.context.all_sequences_for_episode(c.ep)
    S["context.all_sequences_for_project"] = lambda c: gazu.context.all_sequences_for_project(c.pid, user_context=True, client=c.artist_client)
    S["context.all_shots_for_sequence"] = lambda c: gazu.context.all_shots_for_sequence(c.seq, user_context=True, client=c.artist_client)
    S["context.all_task_types_for_asset"] = lambda c: gazu.context.all_task_types_for_asset(c.asset, user_context=True, client=c.artist_client)
    S["context.all_task_types_for_sequence"] = lambda c: gazu.context.all_task_types_for_sequence(c.seq, user_context=True, client=c.artist_client)
    S["context.all_task_types_for_shot"] = lambda c: gazu.context.all_task_types_for_shot(c.shot, user_context=True, client=c.artist_client)

    # user (the artist, logged in with their own client)
    def as_artist(name, *args):
        return lambda c: getattr(gazu.user, name)(*[a(c) if callable(a) else a for a in args], client=c.artist_client)

    for name in ("all_open_projects", "all_tasks_to_do", "all_done_tasks", "all_tasks_requiring_feedback",
                 "get_context", "is_authenticated"):
        S[f"user.{name}"] = as_artist(name)
    for name in ("all_asset_types_for_project", "all_episodes_for_project", "all_sequences_for_project"):
        S[f"user.{name}"] = as_artist(name, lambda c: c.pid)
    S["user.all_assets_for_asset_type_and_project"] = as_artist(
        "all_assets_for_asset_type_and_project", lambda c: c.pid, lambda c: c.asset_type)
    for name in ("all_shots_for_sequence", "all_tasks_for_sequence", "all_task_types_for_sequence"):
        S[f"user.{name}"] = as_artist(name, lambda c: c.seq)
    for name in ("all_tasks_for_shot", "all_task_types_for_shot"):
        S[f"user.{name}"] = as_artist(name, lambda c: c.shot)
    for name in ("all_tasks_for_asset", "all_task_types_for_asset"):
        S[f"user.{name}"] = as_artist(name, lambda c: c.asset)
    S["user.get_time_spents_by_date"] = as_artist("get_time_spents_by_date", "2024-01-08")
    S["user.get_timespents_range"] = as_artist("get_timespents_range", "2024-01-01", "2024-03-31")
    S["user.get_task_time_spent"] = as_artist("get_task_time_spent", lambda c: c.asset_task, "2024-06-03")
    S["user.clear_avatar"] = as_artist("clear_avatar")

    # sync (the same server as source and target: the demo project into a throwaway one)
    S["sync.get_last_events"] = lambda c: gazu.sync.get_last_events(limit=10, project=c.pid)
    for name in ("asset_type", "department", "person", "project", "task_status", "task_type"):
        S[f"sync.get_sync_{name}_id_map"] = (
            lambda n: lambda c: getattr(gazu.sync, f"get_sync_{n}_id_map")(gazu.client.default_client, c.artist_client))(name)
    S["sync.push_episodes"] = lambda c: gazu.sync.push_episodes(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_sequences"] = lambda c: gazu.sync.push_sequences(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_shots"] = lambda c: gazu.sync.push_shots(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_assets"] = lambda c: gazu.sync.push_assets(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_entity_links"] = lambda c: gazu.sync.push_entity_links(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_project_entities"] = lambda c: gazu.sync.push_project_entities(c.p, c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_tasks"] = lambda c: gazu.sync.push_tasks(c.p, c.tmp_project, c.todo, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_task_comments"] = lambda c: gazu.sync.push_task_comments(
        {s["id"]: s["id"] for s in c.statuses}, {}, c.asset_task, gazu.client.default_client, gazu.client.default_client)
    S["sync.push_task_comment"] = lambda c: gazu.sync.push_task_comment(
        {s["id"]: s["id"] for s in c.statuses}, {c.me["id"]: c.me["id"]}, c.asset_task,
        {"id": "x", "task_status_id": c.wip["id"], "person_id": c.me["id"], "text": "synced", "previews": [],
         "attachment_files": [], "checklist": [], "created_at": "2024-01-09T10:00:00"},
        gazu.client.default_client, gazu.client.default_client, tmp_path=str(c.tmp))
    S["sync.push_tasks_comments"] = lambda c: gazu.sync.push_tasks_comments(c.tmp_project, gazu.client.default_client, gazu.client.default_client)
    S["sync.import_entities"] = lambda c: gazu.sync.import_entities([])
    S["sync.import_tasks"] = lambda c: gazu.sync.import_tasks([])
    S["sync.import_entity_links"] = lambda c: gazu.sync.import_entity_links([])
    # last: removals of what the calls above made
    S["task.remove_tasks_batch"] = lambda c: gazu.task.remove_tasks_batch(
        c.pid, [gazu.task.get_task_by_entity(c.shots[2], c.new_tt)])
    S["task.remove_tasks_for_type"] = lambda c: gazu.task.remove_tasks_for_type(c.pid, c.new_tt)
    S["task.remove_task"] = lambda c: gazu.task.remove_task(gazu.task.new_task(c.shots[3], c.tt_anim, name=f"cov{tag()}"))
    S["task.remove_task_type"] = lambda c: gazu.task.remove_task_type(c.new_tt, force=True)
    S["task.remove_task_status"] = lambda c: gazu.task.remove_task_status(c.new_status)
    S["project.new_project"] = lambda c: setattr(c, "doomed", gazu.project.new_project(f"Doomed {tag()}"))
    S["project.remove_project"] = lambda c: gazu.project.remove_project(c.doomed, force=True)
    return S
