"""The contributor's loop: `make serve` on a copy of the project; an edited term, an edited seed and a
broken annotation each show in the served page, and the preview recovers once the file is fixed.
Polls without a timing assertion (the bench measures time); the bound only keeps a hung server from
hanging the suite."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import copy_project

BOUND = 300  # seconds: a hung preview, not a slow one


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, predicate, server) -> str:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview stopped"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8")
            if predicate(body):
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never showed the change")


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "p")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "report_reader.serve", "--root", str(project), "--port", str(port)],
                              cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/report-reader/", server
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_edits_to_terms_and_seeds_show_and_a_broken_file_is_shown_then_recovered(preview):
    project, base, server = preview
    section = base + "reports/jinan-tianqiao-2024/s3/"
    _wait_for(section, lambda body: "前清后增" in body, server)

    term = project / "annotations" / "terms" / "chai-wei-kong-wei.yml"
    text = term.read_text(encoding="utf-8")
    short = next(line for line in text.splitlines() if line.startswith("short:"))
    term.write_text(text.replace(short, "short: 预览测试：拆除违法建设并防止新增"), encoding="utf-8")
    _wait_for(section, lambda body: "预览测试：拆除违法建设并防止新增" in body, server)

    seed = project / "seeds" / "jinan-tianqiao-2024.txt"
    seed.write_bytes(seed.read_bytes().replace("积蓄强区建设新势能".encode(), "积蓄强区建设新动能".encode(), 1))
    _wait_for(section, lambda body: "积蓄强区建设新动能" in body, server)

    term.write_text(text.replace(short, "short: [unclosed"), encoding="utf-8")
    broken = _wait_for(section, lambda body: "rr-build-problems" in body, server)
    assert "annotations/terms/chai-wei-kong-wei.yml" in broken
    assert "积蓄强区建设新动能" in broken  # the last good page, under the banner

    term.write_text(text, encoding="utf-8")
    _wait_for(section, lambda body: "rr-build-problems" not in body and "预览测试" not in body, server)
