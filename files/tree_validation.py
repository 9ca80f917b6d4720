"""Checks a file tree before it is stored on a project, so that a bad tree
is refused once, with a message naming the faulty place, instead of making
every later path request fail. Pure: no database."""

import re

from files.path_templates import KINDS, REQUIRED_KINDS, STYLES, TOKEN_RE, FileTreeError, check_token

MODE_KEYS = ("mountpoint", "root", "folder_path", "file_name")
TEMPLATE_SECTIONS = ("folder_path", "file_name")
SEPARATOR_RE = re.compile(r"[/\\]")


def _fail(where, message):
    raise FileTreeError(f"file_tree.{where}: {message}")


def _check_no_climbing(where, text):
    """Paths stay under their mountpoint and root: no `..` folder anywhere."""
    if ".." in SEPARATOR_RE.split(text):
        _fail(where, "must not contain a '..' folder.")


def _check_template(where, template, section):
    if not isinstance(template, str):
        _fail(where, "must be a text template.")
    if section == "file_name" and SEPARATOR_RE.search(template):
        _fail(where, "a file name must not contain '/' or '\\'.")
    _check_no_climbing(where, template)
    for match in TOKEN_RE.finditer(template):
        try:
            check_token(match.group(1))
        except FileTreeError as error:
            _fail(where, str(error))


def _check_section(where, templates, section):
    if not isinstance(templates, dict):
        _fail(where, f"must be an object with {', '.join(REQUIRED_KINDS)} templates and a style.")
    unknown = sorted(set(templates) - set(KINDS) - {"style"})
    if unknown:
        _fail(f"{where}.{unknown[0]}", f"unknown key. Allowed: {', '.join(KINDS)}, style.")
    for kind in REQUIRED_KINDS:
        if kind not in templates:
            _fail(f"{where}.{kind}", "is required.")
    for kind in KINDS:
        if kind in templates:
            _check_template(f"{where}.{kind}", templates[kind], section)
    if "style" in templates and templates["style"] not in STYLES:
        _fail(f"{where}.style", f"'{templates['style']}' is not a style. Styles: {', '.join(STYLES)}.")


def validate_file_tree(tree):
    """Return the tree unchanged, or raise FileTreeError naming what is wrong.
    Any mode name is allowed; each mode needs every key of MODE_KEYS."""
    if not isinstance(tree, dict) or not tree:
        raise FileTreeError("file_tree must be a JSON object with one key per mode (working, output, ...).")
    for mode, block in tree.items():
        if not isinstance(block, dict):
            _fail(mode, f"must be an object with {', '.join(MODE_KEYS)}.")
        unknown = sorted(set(block) - set(MODE_KEYS))
        if unknown:
            _fail(f"{mode}.{unknown[0]}", f"unknown key. Allowed: {', '.join(MODE_KEYS)}.")
        for key in MODE_KEYS:
            if key not in block:
                _fail(f"{mode}.{key}", "is required.")
        for key in ("mountpoint", "root"):
            if not isinstance(block[key], str):
                _fail(f"{mode}.{key}", "must be a text.")
            _check_no_climbing(f"{mode}.{key}", block[key])
        for section in TEMPLATE_SECTIONS:
            _check_section(f"{mode}.{section}", block[section], section)
    return tree
