"""Folder and file names from a file tree (DESIGN §6), as pure functions.

Nothing here touches the database: callers pass plain strings (a
`PathValues`), the tree dict, the mode, the entity kind and the separator.
Errors in the tree or the request are `FileTreeError`s whose message names
what is wrong; the API turns them into 400 answers.
"""

import re
import unicodedata
from dataclasses import dataclass

# Template token -> PathValues field.
TOKENS = {
    "Project": "project",
    "Episode": "episode",
    "Sequence": "sequence",
    "Shot": "shot",
    "AssetType": "asset_type",
    "Asset": "asset",
    "TaskType": "task_type",
    "Task": "task",
    "Department": "department",
    "Software": "software",
    "OutputType": "output_type",
    "Scene": "scene",
    "Name": "name",
}
# The entity kinds a tree may hold templates for; shot and asset are required.
KINDS = ("shot", "asset", "sequence", "episode", "scene")
REQUIRED_KINDS = ("shot", "asset")
STYLES = ("lowercase", "uppercase", "as is")
SEPARATORS = ("/", "\\")

TOKEN_RE = re.compile(r"<([^<>]*)>")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
# Letters NFKD does not decompose into ASCII but that have a usual spelling.
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th",
    }
)


class FileTreeError(ValueError):
    """The tree, the mode or a template cannot give a path; the message says why."""


@dataclass(frozen=True)
class PathValues:
    """The names a path is built from, unslugified, "" when not applicable."""

    project: str = ""
    episode: str = ""
    sequence: str = ""
    shot: str = ""
    asset_type: str = ""
    asset: str = ""
    task_type: str = ""
    task: str = ""
    department: str = ""
    software: str = ""
    output_type: str = ""
    scene: str = ""
    name: str = ""


def slugify(value):
    """ASCII-transliterated; every run of other characters becomes one `_`;
    `_` at the ends stripped. Case is kept: styles decide it."""
    text = unicodedata.normalize("NFKD", str(value or "").translate(_TRANSLITERATION))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_ALNUM.sub("_", text).strip("_")


def apply_style(text, style):
    if style == "lowercase":
        return text.lower()
    if style == "uppercase":
        return text.upper()
    return text


def styled_slug(value, style):
    return apply_style(slugify(value), style)


def check_token(token):
    if token not in TOKENS:
        raise FileTreeError(f"Unknown token <{token}>. Known tokens: {', '.join(f'<{t}>' for t in TOKENS)}.")
    return token


def mode_tree(tree, mode):
    if not isinstance(tree, dict) or not isinstance(tree.get(mode), dict):
        modes = ", ".join(sorted(tree)) if isinstance(tree, dict) else "none"
        raise FileTreeError(f"Unknown mode '{mode}'. Modes of this file tree: {modes}.")
    return tree[mode]


def template_for(tree, mode, section, kind):
    """The template string of `section` (folder_path or file_name) for an entity kind, and its style."""
    block = mode_tree(tree, mode).get(section)
    template = block.get(kind) if isinstance(block, dict) else None
    if not isinstance(template, str):
        raise FileTreeError(f"The file tree has no {section} template for {kind} in mode '{mode}'.")
    return template, block.get("style")


def render(template, values, style):
    """Replace each token by its value, slugified and styled; literals stay as written."""

    def token_value(match):
        return styled_slug(getattr(values, TOKENS[check_token(match.group(1))]), style)

    return TOKEN_RE.sub(token_value, template)


def root_parts(tree, mode):
    """The mountpoint and the root, written as they are in the tree (only
    the template's `/` become the separator)."""
    block = mode_tree(tree, mode)
    mountpoint, root = block.get("mountpoint"), block.get("root")
    if not isinstance(mountpoint, str) or not isinstance(root, str):
        raise FileTreeError(f"Mode '{mode}' of the file tree needs a 'mountpoint' and a 'root' text.")
    return mountpoint.rstrip("/\\"), root.strip("/\\")


def folder_path(tree, mode, kind, values, sep="/"):
    """mountpoint + sep + root + sep + rendered template. A token that renders
    empty drops its segment, so an asset without an episode gets no `//`."""
    head, root = root_parts(tree, mode)
    template, style = template_for(tree, mode, "folder_path", kind)
    segments = [segment for segment in render(template, values, style).split("/") if segment]
    return sep.join([head, *(part for part in [root, *segments] if part)])


def file_name(tree, mode, kind, values, version, comment=""):
    """Rendered template slugified again as a whole and styled, then
    `v` + version padded to 3 digits, then the slugified comment."""
    template, style = template_for(tree, mode, "file_name", kind)
    stem = styled_slug(render(template, values, style), style)
    return "_".join(part for part in [stem, f"v{version:03d}", slugify(comment)] if part)


def folder_pattern(tree, mode, kind, sep="/"):
    """A regex matching the folder of `kind` (and anything below it) whose named
    groups hold the token values, slugified and styled as folder_path writes them."""
    head, root = root_parts(tree, mode)
    template, _ = template_for(tree, mode, "folder_path", kind)
    escaped_sep = re.escape(sep)
    pattern, position, seen = "", 0, set()
    for match in TOKEN_RE.finditer(template):
        pattern += re.escape(template[position : match.start()].replace("/", sep))
        token = check_token(match.group(1))
        pattern += f"(?P={token})" if token in seen else f"(?P<{token}>[^{escaped_sep}]+?)"
        seen.add(token)
        position = match.end()
    pattern += re.escape(template[position:].replace("/", sep))
    prefix = sep.join([head, root]) if root else head
    return re.compile(f"^{re.escape(prefix)}{escaped_sep}{pattern}(?:{escaped_sep}.*)?$")


def parse_folder_path(tree, mode, kind, path, sep="/"):
    """The token values found in `path` for an entity kind, or None when it does not fit."""
    match = folder_pattern(tree, mode, kind, sep).match(path)
    return match.groupdict() if match else None
