"""Stage 3: annotations/*.yml → validated Terms and Notes. Every problem names the file, the line
of the offending field and how to fix it; problems are collected, never raised one by one."""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import yaml

from . import sources as source_policy
from .inputs import YAML_LIMIT, control_in_data, file_problem, shown, yaml_alias_problem, yaml_error_problem
from .matching import form_key
from .model import EVERYWHERE, Item, Note, Problem, Scope, Source, Term
from .parallel import fork_map
from .stored import Store
from .annotation_markdown import sanitize_markdown
from .typography import fold

SCHEMAS = Path(__file__).with_name("schemas")
NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
FIX = {
    "additionalProperties": "remove it, or check its spelling against CONTRIBUTING.md",
    "required": "add the field (see CONTRIBUTING.md for what it holds)",
    "maxLength": "shorten it",
    "minLength": "fill it in",
    "pattern": "use lowercase pinyin syllables joined by '-', e.g. wu-xiang-bao-zhang",
    "enum": "use one of the listed values",
    "oneOf": "see CONTRIBUTING.md for the allowed forms",
    "type": "check the YAML: quote text that contains ':' or starts with a symbol",
}
# Hints for one field, where the validator's general hint would mislead.
FIELD_FIX = {
    ("pattern", "date"): "write the date as YYYY-MM-DD, YYYY-MM or YYYY, e.g. date: \"2024-01-06\"",
    ("pattern", "url"): "use a full address starting with http:// or https://",
    ("pattern", "via"): "use a full address starting with http:// or https://",
    ("required", "title"): "add `title:` with the text's title as its publisher gave it",
    ("required", "quote"): "add `quote:` with the words copied exactly from the report",
}


def _fix(validator: str, field: str) -> str:
    return FIELD_FIX.get((validator, field.rpartition(".")[2]), FIX.get(validator, "see CONTRIBUTING.md"))


def _dates_as_text(data: dict) -> None:
    """YAML reads an unquoted 2024-01-06 as a date and 2024 as a number: a source's date is text."""
    for source in data.get("sources") or []:
        if isinstance(source, dict):
            value = source.get("date")
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                source["date"] = value.isoformat()
            elif isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
                source["date"] = str(value)


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str) -> "jsonschema.Draft202012Validator":
    """The reference validator: it words the errors contributors see. Imported when a file needs it
    (a tenth of a second at every start otherwise)."""
    import jsonschema
    return jsonschema.Draft202012Validator(_schema(name))


@lru_cache(maxsize=None)
def _is_valid(name: str) -> Callable[[dict], bool]:
    """A quick yes/no: the schema compiled to Python (fastjsonschema), a tenth of jsonschema's time.
    A file it rejects goes to the reference validator for the wording; the tests check that the two
    agree on what they reject."""
    check = fastjsonschema.compile(_schema(name))

    def is_valid(data: dict) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True
    return is_valid


# libyaml's parser where PyYAML has it: thousands of entries load in a second, not a minute.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, loader) -> tuple[yaml.Node | None, object]:
    """The node tree (for line numbers) and the data from one parse, as compose + safe_load give."""
    parser = loader(text)
    try:
        node = parser.get_single_node()
        return node, (parser.construct_document(node) if node is not None else None)
    finally:
        parser.dispose()


def _line_of(node, path) -> int:
    """1-based line of the YAML node at a JSON path, or of its nearest parent."""
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _display(path: Path, root: Path | None) -> str:
    """Paths as a contributor sees them in the repository: annotations/terms/x.yml. (A string prefix,
    not Path.relative_to: thousands of files are named, and pathlib costs more than reading one.)"""
    text = str(path)
    base = str(root) + os.sep if root else ""
    if base and text.startswith(base):
        return text[len(base):].replace(os.sep, "/")
    return text


def _load(path: Path, schema: str, problems: list[Problem], root: Path | None = None) -> tuple[dict | None, yaml.Node | None]:
    """A contributor's YAML file (a term, a note, a seed's sidecar), checked against its schema. Only a
    regular file inside the project, of at most YAML_LIMIT bytes, without anchors or aliases, whose
    strings hold no control character: anything else is a Problem naming the file and line."""
    name = _display(path, root)
    refused = file_problem(path, root, name, YAML_LIMIT)
    if refused:
        problems.append(refused)
        return None, None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, None, "not UTF-8 text", "save the file as UTF-8"))
        return None, None
    aliased = yaml_alias_problem(text, name, _FAST_LOADER)
    if aliased:
        problems.append(aliased)
        return None, None
    try:
        try:
            node, data = _parse(text, _FAST_LOADER)
        except yaml.YAMLError:
            node, data = _parse(text, yaml.SafeLoader)  # the pure parser words errors as before
    except yaml.YAMLError as exc:
        problems.append(yaml_error_problem(exc, name, "check indentation and quote text containing ': '"))
        return None, None
    if schema == "sidecar" and data is None:
        data = {}  # an empty sidecar says nothing
    if schema == "sidecar" and isinstance(data, dict) and isinstance(data.get("date"), datetime.date):
        data["date"] = data["date"].isoformat()  # `date: 2024-01-16` unquoted: YAML reads a date
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "expected a mapping of fields (key: value)", "see CONTRIBUTING.md"))
        return None, None
    _dates_as_text(data)
    errors = [] if _is_valid(schema)(data) else \
        sorted(_validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        path_ = list(err.absolute_path)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
            for key in extra:
                problems.append(Problem(name, _line_of(node, path_ + [key]), f"unknown field `{shown(str(key), 60)}`",
                                        FIX["additionalProperties"]))
            continue
        field = ".".join(map(str, path_)) or "(top level)"
        if err.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", err.message)
            field = ".".join(map(str, path_ + missing)) or field
            message = f"missing field `{field}`"
        elif err.validator == "anyOf" and path_[:1] == ["sources"]:
            problems.append(Problem(name, _line_of(node, path_), f"`{field}` has neither `url` nor `via`",
                                    "add `url:` (the publisher's own address) or `via:` (where you read a reprint)"))
            continue
        else:  # the message quotes the value: a line or two of it at most
            message = f"field `{shown(field, 80)}`: {shown(err.message, 160)}"
        fix = err.schema.get("x-fix") if isinstance(err.schema, dict) else None
        problems.append(Problem(name, _line_of(node, path_), message, fix or _fix(err.validator, field)))
    if errors:
        return None, node
    control = control_in_data(data, node, name, _line_of)
    if control:
        problems.append(control)
        return None, node
    return data, node


load_yaml = _load  # seeds' sidecars are contributors' YAML too (pipeline.load_sidecar)


def _sources(raw) -> list[Source]:
    return [Source(**s) for s in raw or []]


def load_terms(folder: Path, problems: list[Problem], root: Path | None = None, jobs: int = 1,
               store: Store | None = None) -> list[Term]:
    """Every annotations/terms/*.yml, validated; files are read in `jobs` processes (thousands of
    entries: YAML, schema and pinyin are the cost), or taken from `store` when read before, and
    checked against each other here."""
    paths = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    terms: list[Term] = []
    seen: dict[str, str] = {}
    # A file takes about a millisecond and a pool a tenth of a second to start: hundreds make it pay.
    for term, found, id_line in fork_map(_read_term_stored, (root, store), paths, jobs, min_items=400):
        problems += found
        if term is None:
            continue
        if term.id in seen:
            problems.append(Problem(term.file, id_line, f"duplicate id `{term.id}` (also in {seen[term.id]})",
                                    "choose another id"))
            continue
        seen[term.id] = term.file
        terms.append(term)
    ids = {t.id for t in terms}
    refused = {path.stem for path in paths}  # an entry refused above is reported once, not by each that names it
    for t in terms:
        for rel in t.related:
            if rel not in ids and rel not in refused:
                problems.append(Problem(t.file, None, f"`related` names unknown entry `{rel}`",
                                        "use the id of an existing file in annotations/terms/"))
    return terms


def _read_term_stored(given: tuple[Path | None, Store | None], path: Path):
    """`_read_term`, or what it gave for the same name and bytes before. Whether the file may be read
    at all (a link, too large, outside the project) is asked every time: that is not in its bytes."""
    root, store = given
    name = _display(path, root)
    if store is None or file_problem(path, root, name, YAML_LIMIT):
        return _read_term(root, path)
    return store.through(lambda: [name.encode("utf-8"), path.read_bytes()], lambda: _read_term(root, path))[0]


def _read_term(root: Path | None, path: Path) -> tuple[Term | None, list[Problem], int | None]:
    """One entry file: the Term, the problems of this file alone, and the line of its id."""
    problems: list[Problem] = []
    data, node = _load(path, "term", problems, root)
    if data is None:
        return None, problems, None
    name = _display(path, root)
    id_line = _line_of(node, ["id"])
    if data["id"] != path.stem:
        problems.append(Problem(name, id_line, f"id `{data['id']}` differs from the file name `{path.stem}`",
                                f"rename the file to {data['id']}.yml or set id: {path.stem}"))
        return None, problems, id_line
    for field_name, forms in (("term", [data["term"]]), ("short", [data["short"]]), ("variants", data.get("variants") or [])):
        if any(not _words(form) for form in forms):
            problems.append(Problem(name, _line_of(node, [field_name]), f"`{field_name}` is blank once quotes and spaces "
                                    "are taken away", "write the words themselves, e.g. term: 五项保障"))
            return None, problems, id_line
    scope = data["scope"]
    scope = EVERYWHERE if scope == "all" else (Scope("region", scope["region"]) if "region" in scope
                                               else Scope("report", scope["report"]))
    term = Term(
        id=data["id"], term=data["term"], english=data["english"], category=data["category"],
        short=data["short"], scope=scope, status=data["status"], file=name,
        pinyin=data.get("pinyin") or to_pinyin(data["term"]),
        variants=list(data.get("variants") or []), explanation=data.get("explanation", ""),
        # Converted here, where files are read in parallel: Markdown costs more than the rest of an entry.
        explanation_html=sanitize_markdown(data["explanation"]) if data.get("explanation") else "",
        items=[Item(**i) for i in data.get("items") or []], sources=_sources(data.get("sources")),
        related=list(data.get("related") or []), line=1,
    )
    if term.status == "verified" and not term.sources:
        problems.append(Problem(name, _line_of(node, ["status"]), "status is verified but no source is cited",
                                "add a source (publisher, title, url; or report + quote), or set status: unverified"))
    problems += source_policy.check(name, term.sources, lambda path: _line_of(node, path),
                                    verified=term.status == "verified", scope=term.scope,
                                    texts=[("explanation", term.explanation)])
    count = item_numeral(term.term)
    if term.items and count and count != len(term.items):
        problems.append(Problem(name, _line_of(node, ["items"]),
                                f"“{term.term}” names {count} items but `items` lists {len(term.items)}",
                                "list exactly as many items as the numeral in the term says"))
    return term, problems, id_line


# Quotes and brackets a term may be written with (“五项保障”): they are not its words.
_NOT_WORDS = "\"'“”‘’「」『』《》〈〉()（）【】〔〕 \t\u3000"


def _words(text: str) -> str:
    return text.strip(_NOT_WORDS)


def item_numeral(term: str) -> int:
    """The count a numbered slogan announces: 五项保障 → 5, 项目七大推进体系 → 7; 0 when none."""
    m = re.search(r"[一两二三四五六七八九十](?=[项大个条规化乱公平有不抓强到])", term)
    return NUMERALS[m.group(0)] if m else 0


def to_pinyin(term: str) -> str:
    """Tone-marked pinyin, one syllable per Han character; quotes dropped, Latin and digits kept whole."""
    # Imported when first needed: its dictionaries take 0.2 s to load, and a build whose terms all
    # come from the store (stored.py) and whose reports have no glossary of their own needs none.
    from pypinyin import Style, pinyin

    words: list[str] = []
    for piece in pinyin(term, style=Style.TONE, errors=lambda chars: [chars]):
        token = piece[0]
        if re.fullmatch(r"[A-Za-z0-9+.\-]+", token):
            words.append(token)
        elif re.search(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]", token):
            words.append(token)
    return " ".join(words)


def sort_key(term: Term) -> tuple:
    return (fold(pinyin_key(term)), term.term)


def pinyin_key(term: Term) -> str:
    return _pinyin_key(term.pinyin, term.term)


@lru_cache(maxsize=None)  # asked for every entry on every glossary page
def _pinyin_key(pinyin: str, text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", _toneless(pinyin.lower())) or text


def _toneless(text: str) -> str:
    import unicodedata
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("ü", "v")


def initial(term: Term) -> str:
    key = pinyin_key(term).strip()
    return key[0].upper() if key and key[0].isalpha() else "#"


def load_notes(folder: Path, problems: list[Problem], root: Path | None = None) -> list[Note]:
    notes: list[Note] = []
    for path in sorted(folder.glob("*/*.yml")) + sorted(folder.glob("*/*.yaml")):
        data, node = _load(path, "note", problems, root)
        if data is None:
            continue
        if data["report"] != path.parent.name:
            problems.append(Problem(_display(path, root), _line_of(node, ["report"]),
                                    f"report `{data['report']}` differs from the folder `{path.parent.name}`",
                                    f"move the file to annotations/notes/{data['report']}/"))
            continue
        name = _display(path, root)
        cited = _sources(data.get("sources"))
        problems += source_policy.check(name, cited, lambda p, node=node: _line_of(node, p), texts=[("body", data["body"])])
        notes.append(Note(id=path.stem, report=data["report"], quote=data["quote"], body=data["body"], file=name,
                          prefix=data.get("prefix", ""), suffix=data.get("suffix", ""), sources=cited, author=data.get("author", ""),
                          line=_line_of(node, ["quote"])))
    return notes


def check_overlaps(terms: list[Term], reports, problems: list[Problem]) -> None:
    """The same written form twice with scopes that both apply to one report is ambiguous (“两重” and
    两重 are the same form: both mark the quoted words)."""
    by_form: dict[str, list[Term]] = {}
    for t in terms:
        for form in {form_key(f)[0] for f in t.forms}:
            by_form.setdefault(form, []).append(t)
    for form, owners in sorted(by_form.items()):
        for i, a in enumerate(owners):
            for b in owners[i + 1:]:
                if a.scope.overlaps(b.scope, reports):
                    problems.append(Problem(b.file, None, f"“{form}” is also defined by {a.file} with an overlapping scope "
                                            f"({a.scope} / {b.scope})",
                                            "merge the two entries, or narrow one's scope to a region or report"))
