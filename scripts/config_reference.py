"""The configuration reference, generated from the structured configs (the dataclasses of
`patientflow.config.schema` and those they use), so that no key is ever described twice by
hand: every key with its type, its default (the schema's, and the default run's where conf/
sets another) and its meaning, taken from the class docstrings (the sentences that name the
field in backticks) and the comments above or beside the field.

The documentation site builds it as `configuration.md` (scripts/docs_site.py);
`python scripts/config_reference.py` prints it.

Keys under a mapping are written with `<name>` (e.g. `care.interventions.<name>.tariff_eur`),
items of a list with `[i]` (e.g. `network.night_closures[i].site`).
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import re
import sys
import textwrap
import tokenize
import types
import typing
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from functools import cache
from pathlib import Path

NAME = "<name>"
ITEM = "[i]"
NOT_SET = object()  # a key the default run leaves out (inside a mapping or a list)
HEADER = "#header"  # conf_comments' key of a group file's opening sentence


@dataclass
class Row:
    """One key of the reference."""

    key: str
    type: str
    default: str
    meaning: str


@dataclass
class Section:
    """One dataclass at one place of the configuration, and its keys."""

    path: str
    cls: type
    rows: list[Row] = field(default_factory=list)


@dataclass
class ClassDocs:
    """What a class's source says: its docstring and each field's comments."""

    doc: str
    comments: dict[str, str]


@cache
def class_docs(cls: type) -> ClassDocs:
    """The docstring as written (not the signature dataclasses make up when there is none) and,
    per field, the comment lines right above it and a comment beside it."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return ClassDocs("", {})
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.ClassDef):
        return ClassDocs("", {})
    lines = source.splitlines()
    beside: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT and lines[tok.start[0] - 1][: tok.start[1]].strip():
            beside[tok.start[0]] = tok.string.lstrip("#").strip()
    comments = {}
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        above: list[str] = []
        i = stmt.lineno - 2
        while i >= 0 and lines[i].strip().startswith("#"):
            above.insert(0, lines[i].strip().lstrip("#").strip())
            i -= 1
        end = stmt.end_lineno or stmt.lineno
        above += [beside[n] for n in range(stmt.lineno, end + 1) if n in beside]
        if above:
            comments[stmt.target.id] = " ".join(above)
    return ClassDocs(ast.get_docstring(node) or "", comments)


ABBREVIATIONS = ("e.g.", "i.e.", "cf.", "vs.", "approx.")


def sentences(doc: str) -> list[str]:
    """The sentences of a docstring, on one line each."""
    text = " ".join(doc.split())
    for abbr in ABBREVIATIONS:
        text = text.replace(f"{abbr} ", f"{abbr}\x00")
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z`(\"'])", text)
    return [p.replace("\x00", " ") for p in parts if p]


def first_sentence(doc: str) -> str:
    found = sentences(doc)
    return found[0] if found else ""


def naming(doc: str, name: str) -> list[str]:
    """The sentences of a docstring or comment that name `name` in backticks."""
    named = re.compile(rf"`{re.escape(name)}`")
    return [s for s in sentences(doc) if named.search(s)]


def meaning(
    cls: type, name: str, tp: object, key: str, parent: type | None, conf: dict[str, str]
) -> str:
    """What a field means, from what is written once elsewhere: the sentences of its class's
    docstring that name it, the comments above or beside it, the sentences of the enclosing
    class's docstring that name it, the comments of the default run's YAML file at its key;
    for a field still undocumented, of a class or Enum type, that type's first sentence."""
    docs = class_docs(cls)
    parts = naming(docs.doc, name)
    if name in docs.comments:
        parts.append(docs.comments[name])
    if parent is not None:
        parts += [s for s in naming(class_docs(parent).doc, name) if s not in parts]
    if key in conf and conf[key] not in parts:
        parts.append(conf[key])
    if not parts:
        inner = inner_class(tp)
        if inner is not None:
            parts.append(first_sentence(class_docs(inner).doc))
    if not any(parts) and f"{key}{HEADER}" in conf:
        parts.append(conf[f"{key}{HEADER}"])
    return " ".join(p for p in parts if p)


KEY_LINE = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")


def yaml_comments(path: Path, prefix: str) -> dict[str, str]:
    """The comments of one YAML config file by the key they document: a comment block right
    above a key, and the sentences of the file's opening comment that name a top-level key in
    backticks (its first sentence, for the group itself, under `<group>#header`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[str, str] = {}
    header: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    block: list[str] = []
    start = 0  # the line the comment block began on (the opening comment is the file's)
    stack: list[tuple[int, str]] = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            start = n if not block else start
            block.append(stripped.lstrip("#").strip())
            continue
        match = KEY_LINE.match(line)
        if match and not stripped.startswith("-"):
            indent = len(match.group(1))
            stack = [(i, k) for i, k in stack if i < indent] + [(indent, match.group(2))]
            key = ".".join([prefix, *(k for _, k in stack)])
            if block and start >= len(header):
                found[key] = " ".join(block)
        block = []
    text = " ".join(header)
    if text:
        found[f"{prefix}{HEADER}"] = first_sentence(text)
    for key in list(dict.fromkeys(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", text))):
        said = naming(text, key)
        full = f"{prefix}.{key}"
        if said and full not in found:
            found[full] = " ".join(said)
    return found


def conf_comments(conf: Path) -> dict[str, str]:
    """The comments of the default run's config group files, by full key."""
    found: dict[str, str] = {}
    for group, _, option in groups(conf):
        path = conf / group / f"{option}.yaml"
        if path.is_file():
            found.update(yaml_comments(path, group))
    return found


def inner_class(tp: object) -> type | None:
    """The dataclass or Enum a type is, holds in a list, or maps names to; None otherwise."""
    if isinstance(tp, type) and (is_dataclass(tp) or issubclass(tp, Enum)):
        return tp
    for arg in typing.get_args(tp):
        nested = inner_class(arg)
        if nested is not None:
            return nested
    return None


def type_text(tp: object) -> str:
    """A type as a reader of YAML sees it (no `|`, which would split a table cell)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(type_text(a) for a in args)
    if tp is type(None):
        return "null"
    if origin is list:
        return f"list of {type_text(args[0])}"
    if origin is dict:
        return f"mapping of {type_text(args[0])} to {type_text(args[1])}"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in tp)
    if isinstance(tp, type) and is_dataclass(tp):
        return f"`{tp.__name__}`"
    return getattr(tp, "__name__", str(tp))


def plain(value: object) -> object:
    """A value as YAML would hold it: Enums by value, dataclasses as mappings."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def shown(value: object) -> str:
    """A default as it is written on the command line or in YAML."""
    value = plain(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        return "entries " + ", ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else text


def default_text(schema: object, run: object) -> str:
    """The schema's default, and the default run's value where conf/ sets another."""
    text = code(shown(schema))
    if run is not NOT_SET and shown(run) != shown(schema):
        text += f" (default run: {code(shown(run))})"
    return text


def composed_value(composed: object, key: str) -> object:
    """The value of a key in the default run's composed configuration (NOT_SET inside a mapping
    or list, which have no single value)."""
    if composed is None or NAME in key or ITEM in key:
        return NOT_SET
    from omegaconf import OmegaConf

    value = OmegaConf.select(composed, key, default=NOT_SET)
    if value is NOT_SET:
        return NOT_SET
    if OmegaConf.is_config(value):
        return OmegaConf.to_container(value, resolve=True)
    return value


def field_value(instance: object, f) -> object:
    if instance is not None:
        return getattr(instance, f.name)
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return None


def children(tp: object, key: str) -> tuple[type, str] | None:
    """The dataclass a field holds, and the key prefix of its fields: directly, per item of a
    list, or per name of a mapping (of mappings)."""
    if isinstance(tp, type) and is_dataclass(tp):
        return tp, key
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and args:
        inner = children(args[0], f"{key}{ITEM}")
        return inner
    if origin is dict and len(args) == 2:
        return children(args[1], f"{key}.{NAME}")
    if origin in (types.UnionType, typing.Union):
        for arg in args:
            if arg is not type(None):
                return children(arg, key)
    return None


def walk(
    cls: type,
    path: str,
    instance: object,
    composed: object,
    conf: dict[str, str],
    parent: type | None = None,
) -> list[Section]:
    """The sections of one dataclass at `path` and of every dataclass below it, depth first
    (`parent`: the class whose field holds this one)."""
    hints = typing.get_type_hints(cls)
    section = Section(path, cls)
    below: list[Section] = []
    for f in fields(cls):
        tp, key = hints[f.name], f"{path}.{f.name}" if path else f.name
        value = field_value(instance, f)
        nested = children(tp, key)
        if nested is not None and nested[1] == key:  # a dataclass field: its own section
            default = f"[section](#{anchor(key)})"
        else:
            default = default_text(value, composed_value(composed, key))
        said = meaning(cls, f.name, tp, key, parent, conf)
        section.rows.append(Row(key, type_text(tp), default, said))
        if nested is not None:
            inner_cls, prefix = nested
            inner = value if prefix == key else None
            below += walk(inner_cls, prefix, inner, composed, conf, cls)
    return [section, *below]


def anchor(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.replace(NAME, "name")).strip("-")


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def groups(conf: Path) -> list[tuple[str, list[str], str]]:
    """The config groups of conf/ (name, options, the default's option)."""
    import yaml

    defaults = {}
    for entry in yaml.safe_load((conf / "config.yaml").read_text(encoding="utf-8"))["defaults"]:
        if isinstance(entry, dict):
            defaults.update({str(k): shown(v) for k, v in entry.items()})
    found = []
    for folder in sorted(p for p in conf.iterdir() if p.is_dir() and p.name != "hydra"):
        options = sorted(p.stem for p in folder.glob("*.yaml"))
        found.append((folder.name, options, defaults.get(folder.name, "null")))
    return found


def reference_markdown() -> str:
    """The whole reference page."""
    from patientflow.config.hydra import compose, conf_dir, experiments_dir
    from patientflow.config.schema import RunConfig

    composed = compose([])
    sections = walk(RunConfig, "", RunConfig(), composed, conf_comments(conf_dir()))
    out = [
        "# Configuration reference",
        "",
        "Every key of patientflow's configuration, generated from the structured configs "
        "(`src/patientflow/config/schema.py` and the dataclasses it uses) when the site is "
        "built: the type, the default and the meaning as the code documents it. Set a key on "
        "the command line (`patientflow facilities.seh.stop_queue=5`), in a config group's "
        "YAML file under `conf/`, or in an experiment. A typo in a key or a wrong type fails "
        "with exit code 2 (docs/reliability.md).",
        "",
        "*Default* is the schema's; where the default run (`patientflow` without overrides: "
        "the defaults of `conf/config.yaml`) sets another value, that value follows as "
        '"default run". Keys under a mapping are written with `<name>` (e.g. '
        "`care.interventions.<name>.tariff_eur`), items of a list with `[i]` (e.g. "
        "`network.night_closures[i].site`).",
        "",
        "## Config groups",
        "",
        "Choose a group's option with `GROUP=OPTION` (e.g. `region=zuidwest`); a ready study "
        "with `-m +experiment=NAME`.",
        "",
        "| group | options | default run |",
        "|---|---|---|",
    ]
    for name, options, default in groups(conf_dir()):
        listed = ", ".join(f"`{o}`" for o in options)
        out.append(f"| `{name}` | {listed} | `{default}` |")
    folder = experiments_dir()
    if folder is not None:
        studies = ", ".join(f"`{p.stem}`" for p in sorted(folder.glob("*.yaml")))
        out.append(f"| `+experiment` | {studies} | none |")
    out += ["", "## Keys", ""]
    top = sections[0]
    out += ["| key | holds |", "|---|---|"]
    for row in top.rows:
        out.append(f"| [`{row.key}`](#{anchor(row.key)}) | {cell(row.meaning)} |")
    described: dict[type, str] = {}
    for section in sections[1:]:
        level = "##" if "." not in section.path else "###"
        out += ["", f"{level} `{section.path}` {{#{anchor(section.path)}}}", ""]
        doc = class_docs(section.cls).doc
        if section.cls in described:
            first = described[section.cls]
            out.append(f"A `{section.cls.__name__}`, described at [`{first}`](#{anchor(first)}).\n")
        else:
            described[section.cls] = section.path
            if doc:
                out.append(" ".join(doc.split()) + "\n")
        out += ["| key | type | default | meaning |", "|---|---|---|---|"]
        for row in section.rows:
            out.append(
                f"| `{row.key}` | {cell(row.type)} | {cell(row.default)} | {cell(row.meaning)} |"
            )
    return "\n".join(out) + "\n"


def main() -> None:
    sys.stdout.write(reference_markdown())


if __name__ == "__main__":
    main()
