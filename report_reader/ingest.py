"""Stage 1: seed bytes → SourceText. Checks the encoding, removes page furniture by the rules
in furniture.yml (plus a sidecar's), and records every removed line with its rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Problem, RemovedLine, SourceText
from .patterns import HEADING_RE, is_sentence_line

RULES_FILE = Path(__file__).with_name("furniture.yml")

DATELINE_RE = re.compile(r"^[—―\-－]*\s*(\d{4})年(\d{1,2})月(\d{1,2})日在(.+?会议上)\s*(.*)$")
SPEAKER_RE = re.compile(r"^(\S{0,20}?(?:省长|市长|区长|县长|州长|盟长|旗长|主席|代区长|代市长|代县长))[\s\u3000]*(\S{2,4})$")
SALUTATION_RE = re.compile(r"^各位(代表|委员)")
TITLE_RE = re.compile(r"政府工作报告")


@dataclass
class Rules:
    join: list[str] = field(default_factory=list)
    drop_block: list[dict] = field(default_factory=list)
    capture: list[dict] = field(default_factory=list)
    drop_line: set[str] = field(default_factory=set)
    drop_pattern: list[tuple[str, re.Pattern]] = field(default_factory=list)
    drop_after: list[tuple[str, re.Pattern]] = field(default_factory=list)
    keep_pattern: list[re.Pattern] = field(default_factory=list)


def load_rules(extra: dict | None = None) -> Rules:
    """The shipped rules, extended by a sidecar's `furniture:` mapping."""
    base = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    extra = extra or {}

    def merged(key):
        return list(base.get(key) or []) + list(extra.get(key) or [])

    def named(items, default):
        out = []
        for item in items:
            if isinstance(item, str):
                item = {"name": default, "pattern": item}
            out.append((item["name"], re.compile(item["pattern"])))
        return out

    return Rules(
        join=merged("join"),
        drop_block=[{"name": b["name"], "start": re.compile(b["start"]), "end": re.compile(b["end"])}
                    for b in merged("drop_block")],
        capture=[{**c, "re": re.compile(c["pattern"])} for c in merged("capture")],
        drop_line={s.strip() for s in merged("drop_line")},
        drop_pattern=named(merged("drop_pattern"), "sidecar pattern"),
        drop_after=named(merged("drop_after"), "sidecar drop_after"),
        keep_pattern=[re.compile(p) for p in merged("keep_pattern")],
    )


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 with or without BOM, LF or CRLF; anything else is a one-line problem."""
    if not data.strip():
        return None, Problem(path, None, "the file is empty", "put the report's text in it, UTF-8 encoded")
    if b"\x00" in data[:8192]:
        return None, Problem(path, None, "this is a binary file, not text",
                             "seeds/ takes plain-text reports (.txt, UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                             "convert it, e.g. `iconv -f GB18030 -t UTF-8 in.txt > out.txt`")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), None


def strip_furniture(text: str, path: str, report_id: str, rules: Rules) -> SourceText:
    src = SourceText(path=path, report_id=report_id, raw=text, lines=[])
    numbered = _join_split_lines([(i, s.strip()) for i, s in enumerate(text.split("\n"), 1)], rules, src)
    kept: list[tuple[int, str]] = []
    block: dict | None = None
    after: str | None = None
    pending_capture: str | None = None
    for n, line in numbered:
        if not line:
            continue
        if any(p.search(line) for p in rules.keep_pattern):
            kept.append((n, line))
            continue
        if after:
            src.removed.append(RemovedLine(n, line, after))
            continue
        if block:
            src.removed.append(RemovedLine(n, line, block["name"]))
            if block["end"].search(line):
                block = None
            continue
        if pending_capture:  # "来源：" on one line, its value on the next
            src.meta.setdefault(pending_capture, line)
            src.removed.append(RemovedLine(n, line, f"value of {pending_capture}"))
            pending_capture = None
            continue
        rule = _match_rule(line, rules, src)
        if rule == "block":
            block = next(b for b in rules.drop_block if b["start"].search(line))
            src.removed.append(RemovedLine(n, line, block["name"]))
            if block["end"].search(line[1:]):
                block = None
            continue
        if rule and rule.startswith("after:"):
            after = rule[6:]
            src.removed.append(RemovedLine(n, line, after))
            continue
        if rule and rule.startswith("pending:"):
            pending_capture = rule[8:]
            src.removed.append(RemovedLine(n, line, f"label of {pending_capture}"))
            continue
        if rule:
            src.removed.append(RemovedLine(n, line, rule))
            continue
        kept.append((n, line))
    src.lines = _strip_header_and_trailer(kept, src)
    src.removed.sort(key=lambda r: r.line)
    return src


def _join_split_lines(lines, rules, src):
    out = []
    carry = None
    for n, line in lines:
        if carry is not None:
            if not line:
                continue
            out.append((carry[0], carry[1] + line))
            carry = None
            continue
        if line in rules.join:
            carry = (n, line)
            src.warnings.append(Problem(src.path, n, f"joined a line holding only “{line}” to the next one",
                                        "rule `join` in furniture.yml", "warning"))
            continue
        out.append((n, line))
    if carry:
        out.append(carry)
    return out


def _match_rule(line: str, rules: Rules, src: SourceText) -> str | None:
    for b in rules.drop_block:
        if b["start"].search(line):
            return "block"
    for name, pattern in rules.drop_after:
        if pattern.search(line):
            return "after:" + name
    for c in rules.capture:
        m = c["re"].match(line)
        if m:
            if m.group(1):
                src.meta.setdefault(c["field"], m.group(1))
                return c["name"]
            return "pending:" + c["field"]
    if line in rules.drop_line:
        return "navigation"
    for name, pattern in rules.drop_pattern:
        if pattern.search(line):
            return name
    return None


def _strip_header_and_trailer(lines: list[tuple[int, str]], src: SourceText) -> list[tuple[int, str]]:
    start = next((i for i, (_, s) in enumerate(lines) if _starts_body(s)), None)
    if start is None:
        return []
    header: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for n, line in lines[:start]:
        kind = _header_kind(line)
        if kind and kind not in seen:
            seen.add(kind)
            header.append((n, line, kind))
        else:
            src.removed.append(RemovedLine(n, line, f"repeated {kind}" if kind else "header"))
    src.meta["header"] = header
    body = lines[start:]
    last = max((i for i, (_, s) in enumerate(body) if is_sentence_line(s) or HEADING_RE.match(s)), default=len(body) - 1)
    tail = body[last + 1:]
    # Remove the trailer only when every line of it looks like a widget; never guess at prose.
    if all(len(s) < 40 and not re.search(r"[。！？；]", s) for _, s in tail):
        src.removed.extend(RemovedLine(n, s, "trailer") for n, s in tail)
        body = body[: last + 1]
    return body


def _starts_body(line: str) -> bool:
    if TITLE_RE.search(line) and len(line) < 60:
        return False
    return bool(HEADING_RE.match(line) or SALUTATION_RE.match(line) or is_sentence_line(line))


def _header_kind(line: str) -> str | None:
    if DATELINE_RE.match(line):
        return "dateline"
    if SPEAKER_RE.match(line):
        return "speaker"
    if TITLE_RE.search(line) and len(line) < 60 and not re.search(r"作政府工作报告$", line):
        return "title"
    return None


def ingest(path: Path, sidecar: dict | None = None, name: str = "") -> tuple[bytes, SourceText | None, list[Problem]]:
    """Read one seed; problems are returned, not raised, so every seed's errors are reported.
    `name` is the path shown in messages (relative to the project)."""
    name = name or str(path)
    data = path.read_bytes()
    text, problem = decode(data, name)
    if problem:
        return data, None, [problem]
    rules = load_rules((sidecar or {}).get("furniture"))
    src = strip_furniture(text, name, path.stem, rules)
    if not src.lines:
        return data, None, [Problem(name, None, "no report body found: expected a heading (一、 or （一）), "
                                    "the salutation 各位代表, or paragraphs of full sentences ending in 。",
                                    "check that this is a report's text; a sidecar `furniture.keep_pattern` "
                                    "keeps lines a rule removed")]
    return data, src, list(src.warnings)
