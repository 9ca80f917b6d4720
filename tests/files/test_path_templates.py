"""Path building as pure functions: DESIGN §6's examples exactly, and the
cases a studio meets (unicode names, Windows separators, styles, long
version runs, empty names, episodes). No database."""

import itertools
import json
import re
from pathlib import Path

import pytest

from files.path_templates import (
    TOKENS,
    FileTreeError,
    PathValues,
    StepCounter,
    file_name,
    folder_path,
    parse_folder_path,
    slugify,
)
from files.tree_validation import validate_file_tree

TREES = Path(__file__).resolve().parents[2] / "files" / "trees"
SIMPLE = json.loads((TREES / "simple.json").read_text())
STANDARD = json.loads((TREES / "standard.json").read_text())

ASSET = PathValues(
    project="Cosmos Landromat", asset_type="Props", asset="Tree", task_type="Shaders", software="3ds Max",
    name="main",
)
SHOT = PathValues(
    project="Cosmos Landromat", episode="E01", sequence="S01", shot="P01", task_type="Animation",
    output_type="Cache", software="3ds Max", name="main",
)


def custom_tree(folder, name, style="lowercase"):
    return {
        "working": {
            "mountpoint": "/mnt",
            "root": "prod",
            "folder_path": {"shot": folder, "asset": folder, "style": style},
            "file_name": {"shot": name, "asset": name, "style": style},
        }
    }


@pytest.mark.parametrize(
    "tree, mode, kind, values, sep, expected",
    [
        (SIMPLE, "working", "asset", ASSET, "/", "/simple/productions/cosmos_landromat/assets/props/tree/shaders/3ds_max"),
        (SIMPLE, "working", "asset", ASSET, "\\", "/simple\\productions\\cosmos_landromat\\assets\\props\\tree\\shaders\\3ds_max"),
        (SIMPLE, "output", "shot", SHOT, "/", "/simple/productions/export/cosmos_landromat/shots/s01/p01/animation/cache"),
        (SIMPLE, "output", "shot", SHOT, "\\", "/simple\\productions/export\\cosmos_landromat\\shots\\s01\\p01\\animation\\cache"),
        (STANDARD, "working", "shot", SHOT, "/", "/simple/productions/cosmos_landromat/shots/s01/p01/animation"),
        (STANDARD, "preview", "asset", ASSET, "/", "/simple/productions/previews/cosmos_landromat/assets/props/tree/shaders"),
    ],
    ids=["design-working-asset", "design-backslash", "design-output-shot", "output-backslash-keeps-root",
         "standard-shot", "standard-preview"],
)
def test_folder_path(tree, mode, kind, values, sep, expected):
    assert folder_path(tree, mode, kind, values, sep) == expected


@pytest.mark.parametrize(
    "tree, mode, kind, values, version, comment, expected",
    [
        (SIMPLE, "working", "asset", ASSET, 1, "", "cosmos_landromat_props_tree_shaders_main_v001"),
        (STANDARD, "output", "asset", ASSET, 1, "test working file publish",
         "cosmos_landromat_props_tree_shaders_v001_test_working_file_publish"),
        (SIMPLE, "output", "shot", SHOT, 12, "", "cosmos_landromat_s01_p01_animation_cache_v012"),
        (SIMPLE, "working", "asset", ASSET, 999, "", "cosmos_landromat_props_tree_shaders_main_v999"),
        (SIMPLE, "working", "asset", ASSET, 1000, "", "cosmos_landromat_props_tree_shaders_main_v1000"),
        (SIMPLE, "working", "asset", ASSET, 123456, "", "cosmos_landromat_props_tree_shaders_main_v123456"),
        (SIMPLE, "working", "asset", ASSET, 0, "", "cosmos_landromat_props_tree_shaders_main_v000"),
        (SIMPLE, "working", "asset", PathValues(project="Cosmos Landromat", asset_type="Props", asset="Tree",
                                                 task_type="Shaders"), 1, "", "cosmos_landromat_props_tree_shaders_v001"),
        (SIMPLE, "working", "asset", ASSET, 2, "  Fix: the leaves!! ", "cosmos_landromat_props_tree_shaders_main_v002_fix_the_leaves"),
        (SIMPLE, "working", "asset", ASSET, 2, "°°°", "cosmos_landromat_props_tree_shaders_main_v002"),
        # Zou lowercases the comment's slug whatever the tree's style.
        (custom_tree("<Asset>", "<Asset>_<TaskType>", "uppercase"), "working", "asset", ASSET, 3, "Fix flicker!",
         "TREE_SHADERS_v003_fix_flicker"),
    ],
    ids=["design-working-main", "design-publish-comment", "shot-output", "v999", "v1000", "v123456", "v0",
         "empty-name", "comment-slugified", "comment-empty-after-slug", "comment-lowercased-in-uppercase-tree"],
)
def test_file_name(tree, mode, kind, values, version, comment, expected):
    assert file_name(tree, mode, kind, values, version, comment) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Cosmos Landromat", "Cosmos_Landromat"),
        ("Café Crème", "Cafe_Creme"),
        ("Über Müller", "Uber_Muller"),
        ("Straße", "Strasse"),
        ("STRAẞE", "STRASSE"),
        ("360°", "360"),
        ("360° pano", "360_pano"),
        ("Ærøskøbing", "AEroskobing"),
        ("Łódź", "Lodz"),
        ("½ shot", "1_2_shot"),
        ("  --a--b--  ", "a_b"),
        ("a__b", "a_b"),
        ("猫", ""),
        ("", ""),
        (None, ""),
        ("v2.1", "v2_1"),
    ],
)
def test_slugify(value, expected):
    assert slugify(value) == expected


UNICODE = PathValues(project="Café Müller", asset_type="Décor", asset="Straße 360°", task_type="Modélisation")


@pytest.mark.parametrize(
    "style, folder, name",
    [
        ("lowercase", "/mnt/prod/cafe_muller/decor/strasse_360", "cafe_muller_strasse_360_modelisation_v001"),
        ("uppercase", "/mnt/prod/CAFE_MULLER/DECOR/STRASSE_360", "CAFE_MULLER_STRASSE_360_MODELISATION_v001"),
        ("as is", "/mnt/prod/Cafe_Muller/Decor/Strasse_360", "Cafe_Muller_Strasse_360_Modelisation_v001"),
    ],
)
def test_styles_with_unicode_names(style, folder, name):
    tree = custom_tree("<Project>/<AssetType>/<Asset>", "<Project>_<Asset>_<TaskType>", style)
    assert folder_path(tree, "working", "asset", UNICODE, "/") == folder
    assert file_name(tree, "working", "asset", UNICODE, 1) == name


def test_literals_keep_their_case_and_only_tokens_are_styled():
    tree = custom_tree("Shots/<Sequence>/<Shot>", "<Shot>-final", "uppercase")
    assert folder_path(tree, "working", "shot", SHOT) == "/mnt/prod/Shots/S01/P01"
    # The file name is slugified again as a whole, literals included.
    assert file_name(tree, "working", "shot", SHOT, 3) == "P01_FINAL_v003"


@pytest.mark.parametrize(
    "values, expected",
    [
        (SHOT, "/mnt/prod/cosmos_landromat/e01/s01/p01/animation"),
        (PathValues(project="Cosmos Landromat", sequence="S01", shot="P01", task_type="Animation"),
         "/mnt/prod/cosmos_landromat/s01/p01/animation"),
        (PathValues(project="Cosmos Landromat", sequence="S01", shot="P01", task_type="°"),
         "/mnt/prod/cosmos_landromat/s01/p01"),
    ],
    ids=["with-episode", "no-episode-drops-segment", "empty-after-slug-drops-segment"],
)
def test_episodes_and_empty_segments(values, expected):
    tree = custom_tree("<Project>/<Episode>/<Sequence>/<Shot>/<TaskType>", "<Shot>")
    assert folder_path(tree, "working", "shot", values) == expected


def test_every_token_renders():
    template = "/".join(f"<{token}>" for token in TOKENS)
    values = PathValues(**{field: field.upper() for field in TOKENS.values()})
    tree = custom_tree(template, template, "as is")
    assert folder_path(tree, "working", "shot", values) == "/mnt/prod/" + "/".join(
        field.upper() for field in TOKENS.values()
    )


def test_mountpoint_and_root_slashes_do_not_double():
    tree = custom_tree("<Shot>", "<Shot>")
    tree["working"].update(mountpoint="/mnt/", root="/prod/")
    assert folder_path(tree, "working", "shot", SHOT) == "/mnt/prod/p01"


@pytest.mark.parametrize(
    "tree, mode, kind, message",
    [
        (SIMPLE, "render", "shot", "Unknown mode 'render'. Modes of this file tree: output, preview, working."),
        (custom_tree("<Project>/<Shoot>", "<Shot>"), "working", "shot", "Unknown token <Shoot>."),
        (SIMPLE, "working", "sequence", "The file tree has no folder_path template for sequence in mode 'working'."),
        ({"working": {"root": "x", "folder_path": {}, "file_name": {}}}, "working", "shot",
         "Mode 'working' of the file tree needs a 'mountpoint' and a 'root' text."),
    ],
)
def test_errors_name_what_is_wrong(tree, mode, kind, message):
    with pytest.raises(FileTreeError) as error:
        folder_path(tree, mode, kind, SHOT)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("sep", ["/", "\\"])
@pytest.mark.parametrize("tree", [SIMPLE, STANDARD], ids=["simple", "standard"])
def test_parse_folder_path_reads_back_what_folder_path_wrote(tree, sep):
    path = folder_path(tree, "working", "shot", SHOT, sep)
    found = parse_folder_path(tree, "working", "shot", path + sep + "file_v001.ma", sep)
    assert found["Project"] == "cosmos_landromat" and found["Sequence"] == "s01" and found["Shot"] == "p01"
    assert found["TaskType"] == "animation"
    assert parse_folder_path(tree, "working", "shot", "/elsewhere/x/y/z", sep) is None


def test_parse_folder_path_with_a_repeated_token():
    tree = custom_tree("<Shot>/work/<Shot>", "<Shot>")
    assert parse_folder_path(tree, "working", "shot", "/mnt/prod/p01/work/p01") == {"Shot": "p01"}
    assert parse_folder_path(tree, "working", "shot", "/mnt/prod/p01/work/p02") is None
    tree = custom_tree("<Shot>_<Shot>", "<Shot>")
    assert parse_folder_path(tree, "working", "shot", "/mnt/prod/p01_p01") == {"Shot": "p01"}
    assert parse_folder_path(tree, "working", "shot", "/mnt/prod/p01_p02") is None


FOUR_TOKENS = custom_tree("<Project>/shots/<Sequence>_<Shot>_<TaskType>_<Task>/work", "<Shot>")


def _lazy_regex_reading(template_folder, text):
    """What a backtracking regex with one lazy group per token reads: the
    behaviour the linear matcher keeps (the first split in reading order)."""
    pattern, position = "", 0
    for match in re.finditer(r"<([^<>]*)>", template_folder):
        pattern += re.escape(template_folder[position : match.start()]) + f"(?P<{match.group(1)}>[^/]+?)"
        position = match.end()
    found = re.fullmatch(pattern + re.escape(template_folder[position:]), text)
    return found.groupdict() if found else None


@pytest.mark.parametrize(
    "template_folder",
    ["<Sequence>_<Shot>_<TaskType>", "<Sequence><Shot>", "x<Sequence>__<Shot>_y"],
)
def test_parse_folder_path_reads_a_folder_name_as_the_lazy_regex_did(template_folder):
    """Ambiguous folder names (a slug may hold the `_` between two tokens) keep
    their reading: every name over a small alphabet, up to 6 characters."""
    tree = custom_tree(template_folder, "<Shot>")
    for length in range(7):
        for letters in itertools.product("a_xy", repeat=length):
            text = "".join(letters)
            assert parse_folder_path(tree, "working", "shot", f"/mnt/prod/{text}") == _lazy_regex_reading(
                template_folder, text
            ), text


@pytest.mark.parametrize(
    "folder, tail",
    [("a_" * 1000, "/wor"), ("a_" * 1000, "k"), ("a" * 2000, ""), ("_a" * 1000, "/work/x")],
    ids=["next-folder-misses", "literal-misses", "no-separator", "matches"],
)
def test_parse_folder_path_work_grows_linearly_with_the_path(folder, tail):
    """Issue 13 finding 2: four tokens in one folder name and a 2000-character
    almost-matching path cost a regex every split of the name (O(n^4)); the
    folder-by-folder reading visits each position a bounded number of times."""
    path = f"/mnt/prod/p/shots/{folder}{tail}"
    counter = StepCounter()
    parse_folder_path(FOUR_TOKENS, "working", "shot", path, counter=counter)
    assert counter.steps <= 5 * len(path)


def test_parse_folder_path_takes_the_first_split_of_an_ambiguous_folder():
    found = parse_folder_path(FOUR_TOKENS, "working", "shot", "/mnt/prod/p/shots/sq_01_sh_02_anim_main/work/x.ma")
    assert found == {"Project": "p", "Sequence": "sq", "Shot": "01", "TaskType": "sh", "Task": "02_anim_main"}


@pytest.mark.parametrize("tree", [SIMPLE, STANDARD], ids=["simple", "standard"])
def test_shipped_trees_are_valid(tree):
    assert validate_file_tree(tree) is tree


def _tree_with(path, value):
    tree = json.loads(json.dumps(SIMPLE))
    *parents, last = path
    node = tree
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return tree


@pytest.mark.parametrize(
    "tree, message",
    [
        ([], "file_tree must be a JSON object"),
        ({}, "file_tree must be a JSON object"),
        (_tree_with(["working"], "x"), "file_tree.working: must be an object"),
        (_tree_with(["working", "mountpoint"], KeyError), "file_tree.working.mountpoint: is required."),
        (_tree_with(["working", "root"], 3), "file_tree.working.root: must be a text."),
        (_tree_with(["working", "folder_paths"], {}), "file_tree.working.folder_paths: unknown key."),
        (_tree_with(["output", "folder_path", "shot"], KeyError), "file_tree.output.folder_path.shot: is required."),
        (_tree_with(["output", "file_name", "asset"], ["<Asset>"]), "file_tree.output.file_name.asset: must be a text"),
        (_tree_with(["working", "folder_path", "shot"], "<Project>/<Shoot>"),
         "file_tree.working.folder_path.shot: Unknown token <Shoot>."),
        (_tree_with(["working", "folder_path", "edit"], "<Project>"), "file_tree.working.folder_path.edit: unknown key."),
        (_tree_with(["preview", "file_name", "style"], "lowercse"),
         "file_tree.preview.file_name.style: 'lowercse' is not a style."),
        (_tree_with(["working", "folder_path"], "<Project>"), "file_tree.working.folder_path: must be an object"),
        (_tree_with(["working", "root"], "../../../etc"), "file_tree.working.root: must not contain a '..' folder."),
        (_tree_with(["output", "mountpoint"], "C:\\..\\Windows"),
         "file_tree.output.mountpoint: must not contain a '..' folder."),
        (_tree_with(["working", "folder_path", "shot"], "<Project>/../../<Shot>"),
         "file_tree.working.folder_path.shot: must not contain a '..' folder."),
        (_tree_with(["working", "file_name", "shot"], "../<Shot>"),
         "file_tree.working.file_name.shot: a file name must not contain '/' or '\\'."),
        (_tree_with(["working", "file_name", "asset"], "<Asset>\\x"),
         "file_tree.working.file_name.asset: a file name must not contain '/' or '\\'."),
    ],
)
def test_tree_validation_names_the_faulty_place(tree, message):
    with pytest.raises(FileTreeError) as error:
        validate_file_tree(tree)
    assert str(error.value).startswith(message)


def test_tree_validation_accepts_any_mode_and_optional_kinds():
    tree = _tree_with(["render"], json.loads(json.dumps(SIMPLE["working"])))
    tree["render"]["folder_path"]["sequence"] = "<Project>/<Episode>/<Sequence>"
    tree["render"]["folder_path"]["shot"] = "<Project>/..shots../<Shot>"  # dots inside a name do not climb
    tree["render"]["file_name"]["style"] = "as is"
    assert validate_file_tree(tree) is tree
