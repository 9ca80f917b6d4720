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
SEPARATOR_CHARS = set(SEPARATORS)

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
    for segment in segments:
        _check_rendered_folder(segment, mode, kind)
    return sep.join([head, *(part for part in [root, *segments] if part)])


def _check_rendered_folder(segment, mode, kind):
    """A folder as rendered must stay a folder below the root. The tree's
    check sees the template only: `.<Episode>.` renders `..` when the episode
    is empty. Windows drops trailing dots and spaces (`.. ` is `..` there), and
    a backslash is a separator there too."""
    if not segment.rstrip(". ") or SEPARATOR_CHARS & set(segment):
        raise FileTreeError(
            f"file_tree.{mode}.folder_path.{kind}: renders the folder {segment!r} here, which would not stay"
            " below the root: no path is given."
        )


def file_name(tree, mode, kind, values, version, comment=""):
    """Rendered template slugified again as a whole and styled, then
    `v` + version padded to 3 digits, then the slugified comment, lowercased
    whatever the style, as Zou names files (`Fix flicker!` → `fix_flicker`)."""
    template, style = template_for(tree, mode, "file_name", kind)
    stem = styled_slug(render(template, values, style), style)
    return "_".join(part for part in [stem, f"v{version:03d}", slugify(comment).lower()] if part)


class StepCounter:
    """Counts the positions a path match visits, so a test can bound the work."""

    def __init__(self):
        self.steps = 0


def _segment_values(template_segment, text, known, counter):
    """The token values of one folder name, or None when it does not fit.

    Tokens are written slugified, and a slug may hold the literal between two
    tokens (`<Sequence>_<Shot>` over `sq_01_sh_02`), so a folder name can split
    several ways. The first split in reading order wins (each token as short as
    the rest allows), found in k passes over the name instead of trying every
    split: `ok[i][p]` says token i can start at p with the rest fitting. A token
    already read from an earlier folder counts as the literal it was read as."""
    pieces = TOKEN_RE.split(template_segment)
    literals, tokens = [pieces[0]], []
    for token, literal in zip(pieces[1::2], pieces[2::2]):
        token = check_token(token)
        if token in known:
            literals[-1] += known[token] + literal
        else:
            tokens.append(token)
            literals.append(literal)
    n = len(text)
    if not tokens:
        return {} if text == literals[0] else None
    first, last = len(literals[0]), n - len(literals[-1])
    if not text.startswith(literals[0]) or not text.endswith(literals[-1]) or last <= first:
        return None
    # ok[i][p], and the ends (exclusive) each token may take, from the last token back.
    ok = [None] * len(tokens)
    ok[-1] = [p < last for p in range(n + 1)]
    good_ends = [None] * len(tokens)
    good_ends[-1] = {last}
    for i in range(len(tokens) - 2, -1, -1):
        literal, after = literals[i + 1], ok[i + 1]
        can_start, ends, any_end_after = [False] * (n + 1), set(), False
        for end in range(n, -1, -1):
            counter.steps += 1
            can_start[end] = any_end_after
            next_start = end + len(literal)
            if next_start <= n and after[next_start] and text.startswith(literal, end):
                ends.add(end)
                any_end_after = True
        ok[i], good_ends[i] = can_start, ends
    if not ok[0][first]:
        return None
    values, start = {}, first
    for i, token in enumerate(tokens):
        end = start + 1
        while end not in good_ends[i]:
            counter.steps += 1
            end += 1
        value = text[start:end]
        if values.setdefault(token, value) != value:
            # A token twice in one folder name: its two readings must agree.
            return None
        start = end + len(literals[i + 1])
    return values


def parse_folder_path(tree, mode, kind, path, sep="/", counter=None):
    """The token values found in `path` (the folder of `kind` or anything
    below it) for an entity kind, or None when it does not fit.

    Folder names are read one at a time: a token never spans a separator, so
    no reading of one folder depends on another's, and the work grows with
    the path's length times the tokens of a folder name, never with their
    combinations."""
    counter = counter or StepCounter()
    head, root = root_parts(tree, mode)
    template, _ = template_for(tree, mode, "folder_path", kind)
    prefix = (sep.join([head, root]) if root else head) + sep
    if not path.startswith(prefix):
        return None
    folders = path[len(prefix) :].split(sep)
    template_folders = template.split("/")
    if len(folders) < len(template_folders):
        return None
    found = {}
    for template_folder, folder in zip(template_folders, folders):
        values = _segment_values(template_folder, folder, found, counter)
        if values is None:
            return None
        found.update(values)
    return found
