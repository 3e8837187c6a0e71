"""MkDocs' development server in the preview's own process (report_reader/serve.py drives it).

`mkdocs serve` as a separate process learns of a regenerated page only when its file poll (every
0.5 s) sees it, then waits 0.1 s for more changes. Here the preview asks for the rebuild the moment
regeneration has written docs/, and MkDocs' own server (LiveReloadServer: serving under the path of
site_url, the reload script, a page request waiting while a build runs) does the rest. Each rebuild
is `mkdocs build --dirty`, with the config read again only when mkdocs.yml or the navigation it
inherits has changed. The theme's templates are compiled once, not once per rebuild: their compiled
code is kept in memory and reused while a template's source is unchanged (Jinja's bytecode cache
checks it); and the theme's installed package is listed once. While a seed or annotation is broken,
every page is served under a banner naming the problems (templates/build_problems.html), put in as
MkDocs puts in its reload script. An edit that changes many pages (a definition shows on every
section using the term) is built in two parts: first the pages browsers are showing, which reload
at once, then the others, each request for one of them waiting until it is rendered, as MkDocs has
every request wait during a build. Preview only: the published build is `mkdocs build`, untouched
by this module."""

from __future__ import annotations

import logging
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import File

from .pipeline import mkdocs_setting

log = logging.getLogger("mkdocs.preview")

# MkDocs warns on every dirty build that its navigation may be inaccurate: true of pages added or
# removed while MkDocs alone serves, not here, where a navigation change re-renders every page.
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name, reused while a template's source is the same (Jinja compares a
    checksum of the source before it uses the code)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class _ThemeFiles:
    """The theme's files, as every build lists them to copy its assets (add_files_from_theme): a walk
    of Material's package, icons included, about half of a build that renders no page. The folders of
    installed packages (under this Python's prefix) are walked once; the others (overrides/) every time."""

    def __init__(self) -> None:
        self._listed: dict[str, list[str]] = {}  # package folder → the names the build's filter keeps
        self._installed = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}

    def names(self, folders: list[str], extensions, filter_func) -> list[str]:
        found: set[str] = set()
        for folder in folders:
            if not self._installed & set(Path(folder).resolve().parents):
                found.update(_kept(jinja2.FileSystemLoader(folder).list_templates(), extensions, filter_func))
            else:
                if folder not in self._listed:
                    self._listed[folder] = _kept(jinja2.FileSystemLoader(folder).list_templates(), extensions, filter_func)
                found.update(self._listed[folder])
        return sorted(found)


def _kept(names: list[str], extensions, filter_func) -> list[str]:
    """jinja2.Environment.list_templates' filters."""
    if extensions is not None:
        names = [n for n in names if "." in n and n.rsplit(".", 1)[1] in extensions]
    return [n for n in names if filter_func is None or filter_func(n)]


class _Server(LiveReloadServer):
    """MkDocs' server, which puts the problems banner (when there is one) at the top of every page
    it serves, as it puts its reload script at the end: no page is rebuilt to show or drop it. It
    also knows which pages browsers show now (those fetched, and those whose reload script is
    waiting for the next build, which names its page), so that a build can render them first."""

    banner = b""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._read: dict[str, float] = {}  # a page's file below the site (…/index.html) → when last shown
        self._shown_first: frozenset[str] | None = None  # during a build in two parts: the pages rendered first
        self._parts = threading.Condition()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        body = _BODY.search(content) if self.banner else None
        return content[:body.end()] + self.banner + content[body.end():] if body else content

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        asked = not path.startswith("/livereload/")  # else a reload script waiting, on the page it names
        shown = self._site_file(path if asked else urlsplit(environ.get("HTTP_REFERER", "")).path)
        if shown is not None and shown.endswith(".html"):
            with self._parts:
                if asked:  # another page waits for the whole build, as MkDocs has every page wait
                    self._parts.wait_for(lambda: self._shown_first is None or shown in self._shown_first)
                self._read[shown] = time.monotonic()
                if len(self._read) > 4 * READ_FIRST:  # requests for many pages between two builds
                    self._keep_latest()
        return super()._serve_request(environ, start_response)

    def _keep_latest(self, since: float = float("-inf")) -> list[str]:
        """The READ_FIRST pages last shown, shown after `since`: the only ones remembered from now on
        (latest last). Called with `_parts` held."""
        latest = sorted((t, f) for f, t in self._read.items() if t > since)[-READ_FIRST:]
        self._read = {f: t for t, f in latest}
        return [f for _, f in latest]

    def _site_file(self, path: str) -> str | None:
        """The file below the site that `path` asks for, as MkDocs' server finds it."""
        if not (path + "/").startswith(self.mount_path):
            return None
        rel = path[len(self.mount_path):] + ("index.html" if path.endswith("/") else "")
        return posixpath.normpath("/" + rel).lstrip("/")

    def being_read(self) -> frozenset[str]:
        """The pages of the site browsers showed in the last READING seconds, the latest few (any
        path a request names is remembered until then; only the site's own pages are returned)."""
        with self._parts:
            recent = self._keep_latest(since=time.monotonic() - READING)
        return frozenset(f for f in recent if os.path.isfile(os.path.join(self.root, f)))

    def first_part(self, pages: frozenset[str]) -> None:
        with self._parts:
            self._shown_first = pages

    def reload_now(self) -> None:
        """What MkDocs' build loop does once a build is done: the browsers reload, and the pages they
        ask for are served (those of the first part; the others wait for `whole`)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def whole(self) -> None:
        with self._parts:
            self._shown_first = None
            self._parts.notify_all()


READING = 90  # s: an open page's reload script asks again at least every minute
READ_FIRST = 8


_BODY = re.compile(rb"<body[^>]*>")
SHOWN = 20  # problems in the banner; the terminal has them all


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def log_to_terminal() -> None:
    """MkDocs' messages as `mkdocs serve` prints them (its command line sets this up, not the library)."""
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    stream = logging.StreamHandler()
    stream.setFormatter(ColorFormatter())
    stream.addFilter(_Quiet())
    logger.addHandler(stream)


class PreviewServer:
    """MkDocs serving a dirty-built site from a temporary folder at 127.0.0.1:`port`, rebuilt when
    `rebuild` is called. `lock` is held for each build: whoever writes docs/ takes it too, so a
    build never reads a half-written docs/."""

    def __init__(self, root: Path, port: int, lock: threading.Lock, regenerate: Callable[[], None]):
        self.root = root
        self.lock = lock
        self._regenerate = regenerate  # docs/ generated again, under `lock` (the pages carry mkdocs.yml's addresses)
        self.site_dir = tempfile.mkdtemp(prefix="mkdocs_")
        self._templates: tuple[bytes, _CompiledTemplates, _ThemeFiles] | None = None
        self._loaded: tuple[tuple[bytes, bytes], object] | None = None  # (the files' bytes, config)
        self._everything = False  # the next build renders every page
        self._built_with = b""  # mkdocs.yml as the last build read it
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.mount_path = urlsplit(config.site_url or "/").path or "/"
        self.url = _serve_url("127.0.0.1", port, self.mount_path)
        self.server = _Server(builder=self._build, host="127.0.0.1", port=port, root=self.site_dir,
                                       mount_path=self.mount_path)
        self.server.build_delay = 0  # the preview asks once its writes are done: nothing more is coming
        self.server.error_handler = self._error_page
        self._first = config

    def _config(self):
        """The config as the files say now: the one loaded before while mkdocs.yml and the file it
        inherits (the generated navigation) have the same bytes, else read again. Reading it is
        pure-Python YAML of a navigation that grows with the reports; what a build does to the
        config (its plugins' on_config) gives the same config when done again."""
        settings = self._settings()
        if self._loaded is not None and self._loaded[0] == settings:
            return self._loaded[1]
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=self.site_dir, strict=False)
        self._compile_once(config)
        self._loaded = (settings, config)
        return config

    def _settings(self) -> tuple[bytes, bytes]:
        main = self.root / "mkdocs.yml"
        inherited = mkdocs_setting(self.root, "INHERIT")
        try:
            return main.read_bytes(), (self.root / inherited).read_bytes() if inherited else b""
        except OSError:
            return main.read_bytes(), b"\0unreadable"  # load_config says what is wrong with it

    def _compile_once(self, config) -> None:
        """The theme's Jinja environment, made anew by every build, gets the compiled templates and
        the listing of the theme's package kept here; a changed mkdocs.yml (another theme, language,
        custom_dir, markdown extensions, which the listing's filter reads) starts afresh."""
        settings = (self.root / "mkdocs.yml").read_bytes()
        if self._templates is None or self._templates[0] != settings:
            self._templates = (settings, _CompiledTemplates(), _ThemeFiles())
        _, cache, files = self._templates
        theme = config.theme
        make_env: Callable[[], jinja2.Environment] = theme.get_env

        def get_env() -> jinja2.Environment:
            env = make_env()
            env.bytecode_cache = cache
            folders = list(env.loader.searchpath)
            env.list_templates = lambda extensions=None, filter_func=None: files.names(folders, extensions, filter_func)
            return env
        theme.get_env = get_env

    def _build(self, config=None) -> None:
        """A dirty build; a clean one (every page rendered) when mkdocs.yml or the theme's own
        templates changed, which shape every page while leaving its Markdown as it was. MkDocs'
        own poll of mkdocs.yml asks for this build when it changes (a poll sees a file replaced
        by an editor's save as well as one written in place): docs/ is generated again first."""
        with self.lock:
            with self.server._rebuild_cond:
                everything, self._everything = self._everything, False
            settings = (self.root / "mkdocs.yml").read_bytes()
            if self._built_with and settings != self._built_with:
                self._regenerate()
            everything = everything or settings != self._built_with
            self._built_with = settings
            config = config or self._config()
            config.site_url = self.url
            reading = frozenset() if everything else self.server.being_read()
            if not reading:
                build(config, serve_url=self.url, dirty=not everything)
                return
            # The pages browsers show are rendered first, and reloaded at once; the others changed by
            # the edit (a term's definition: every section using it) follow, requests for them waiting.
            self.server.first_part(reading)
            try:
                left = self._build_first(config, reading)
                if left:
                    log.info("Shown first: %s; %d other changed page(s) follow", ", ".join(sorted(reading)), len(left))
                    self.server.reload_now()
                    build(config, serve_url=self.url, dirty=True)
            finally:
                self.server.whole()

    def _build_first(self, config, pages: frozenset[str]) -> set[str]:
        """A dirty build of `pages` (and of changed files that are not pages: styles, scripts); returns
        the other changed pages, left for a second one. MkDocs asks each file whether it changed since
        it was last built; for the others the answer is no, this time."""
        changed = File.is_modified
        left: set[str] = set()

        def first(file: File) -> bool:
            if not changed(file):
                return False
            if file.dest_uri.endswith(".html") and file.dest_uri not in pages:
                left.add(file.dest_uri)
                return False
            return True
        File.is_modified = first
        try:
            build(config, serve_url=self.url, dirty=True)
        finally:
            File.is_modified = changed
        return left

    def _error_page(self, code: int) -> bytes | None:
        page = os.path.join(self.site_dir, f"{code}.html")
        if code in (404, 500) and os.path.isfile(page):
            with open(page, "rb") as fh:
                return fh.read()
        return None

    def show(self, problems: list[str]) -> None:
        """The problems every served page shows from now on, above the last good pages (none: no banner)."""
        from .render.templating import render

        self.server.banner = render("build_problems.html", problems=problems[:SHOWN]).encode() if problems else b""

    def rebuild(self, everything: bool = False) -> None:
        """Ask for a build now (LiveReloadServer's build loop runs it, then reloads the browsers);
        `everything`: of every page, not only of those whose Markdown changed."""
        server = self.server
        with server._rebuild_cond:
            self._everything = self._everything or everything
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    def serve(self) -> None:
        """The first build, then serve until interrupted (this thread runs the builds)."""
        try:
            self._build(self._first)
            self._first = None
            # Watching mkdocs.yml, as `mkdocs serve` does, is also what turns on the reload script.
            self.server.watch(str(self.root / "mkdocs.yml"))
            try:
                self.server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                self.server.shutdown()
        finally:
            shutil.rmtree(self.site_dir, ignore_errors=True)
