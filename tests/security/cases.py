"""The hostile corpus: projects that try to read, write, fetch, run or leak what they must not.

Each case is data: files to write, links to make, a command, the exit code and a message.
``@@CANARY@@`` is the folder outside the project, ``@@LISTENER@@`` a loopback listener that must
receive nothing. The harness (harness.py) checks every promise for every case; a case only says
what is special about it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.security.harness import Case

BRIEFING = "content/briefings/north-quay-2024.yaml"
BUILD_MD = ("build", "--format", "html,md", "--force")
BUILD_PDF = ("build", "--format", "pdf", "--only", "north-quay-2024", "--force")
PUBLISH = ("publish", "--no-pdf")
CSS_PDF = "templates/pdf.css"
CSS_BRIEFING = "templates/briefing.css"
MD_TEMPLATE = "templates/briefing.md"


def _nested(depth: int) -> str:
    return "title: " + "[" * depth + "x" + "]" * depth + "\n"


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _hard_link_output(project: Path, canary: Path) -> None:
    # A hard link from the output to a file outside: a rewrite must not change the other name.
    target = project / "output/north-quay-2024/briefing.html"
    target.unlink()
    os.link(canary / "briefing.html", target)


def _content_moved_out(project: Path, canary: Path) -> None:
    shutil.copytree(project / "content", canary / "content")
    shutil.rmtree(project / "content")
    (project / "content").symlink_to(canary / "content")


def _newline_name(project: Path, canary: Path) -> None:
    source = project / BRIEFING
    (source.parent / "north\nquay.yaml").write_bytes(source.read_bytes())


READS = [
    Case(
        "briefing-file-links-out",
        ("validate",),
        links={"content/briefings/leak.yaml": "@@CANARY@@/briefing.yaml"},
        message=r"content/briefings/leak\.yaml:1:1: .*link",
    ),
    Case(
        "actors-file-links-out",
        ("validate",),
        links={"content/actors.yaml": "@@CANARY@@/secret.txt"},
        message=r"content/actors\.yaml:1:1: .*link",
    ),
    Case(
        "sources-file-links-out",
        BUILD_MD,
        links={"content/sources.yaml": "@@CANARY@@/secret.txt"},
        message=r"content/sources\.yaml:1:1: .*link",
    ),
    Case(
        "project-file-links-out",
        ("validate",),
        links={"briefgen.yaml": "@@CANARY@@/secret.txt"},
        exit=None,
        message=r"briefgen\.yaml",
    ),
    Case("content-folder-links-out", BUILD_MD, setup=_content_moved_out, message=r"content.*link"),
    Case(
        "briefings-folder-links-out",
        BUILD_MD,
        links={"content/briefings": "@@CANARY@@/sub"},
        message=r"content/briefings.*link",
    ),
    Case(
        "briefing-file-is-a-fifo",
        ("validate",),
        fifos=("content/briefings/pipe.yaml",),
        message=r"content/briefings/pipe\.yaml:1:1: ",
    ),
    Case(
        "briefing-file-links-to-dev-zero",
        ("validate",),
        links={"content/briefings/zero.yaml": "/dev/zero"},
        message=r"content/briefings/zero\.yaml:1:1: ",
    ),
    Case(
        "briefing-file-is-a-folder",
        ("validate",),
        files={"content/briefings/odd.yaml/inner.txt": "x"},
        message=r"content/briefings/odd\.yaml",
    ),
    Case(
        "briefing-file-too-large",
        ("validate",),
        files={"content/briefings/huge.yaml": "title: " + "x" * (3 * 1024 * 1024) + "\n"},
        message=r"content/briefings/huge\.yaml:1:1: ",
    ),
    Case(
        "yaml-nested-too-deeply",
        ("validate",),
        files={"content/briefings/deep.yaml": _nested(5000)},
        message=r"content/briefings/deep\.yaml:\d+:\d+: ",
    ),
    Case(
        "yaml-alias-bomb",
        ("validate",),
        files={"content/briefings/bomb.yaml": _alias_bomb()},
        message=r"content/briefings/bomb\.yaml:\d+:\d+: ",
    ),
    Case(
        "briefing-id-too-long",
        ("validate",),
        files={f"content/briefings/{'a' * 81}.yaml": "title: x\n"},
        message=r"content/briefings/a{81}\.yaml:1:1: .*at most 80",
    ),
    Case(
        "briefing-file-name-with-newline",
        ("validate",),
        setup=_newline_name,
        message=r"not a valid id",
    ),
    Case(
        "archive-absolute-path",
        ("validate",),
        setup=lambda p, c: _archive(p, str(c / "secret.txt")),
        message=r"content/sources\.yaml:\d+:\d+: .*absolute",
    ),
    Case(
        "archive-links-out",
        ("validate",),
        links={"content/archive/notice.txt": "@@CANARY@@/secret.txt"},
        setup=lambda p, c: _archive(p, "content/archive/notice.txt"),
        message=r"content/sources\.yaml:\d+:\d+: .*outside the project",
    ),
    Case(
        "archive-is-a-fifo",
        ("validate",),
        fifos=("content/archive/notice.txt",),
        setup=lambda p, c: _archive(p, "content/archive/notice.txt"),
        message=r"content/sources\.yaml:\d+:\d+: ",
    ),
    Case(
        "template-links-out",
        BUILD_MD,
        links={MD_TEMPLATE: "@@CANARY@@/secret.txt"},
        message=r"templates/briefing\.md.*link",
    ),
    Case(
        "templates-folder-links-out",
        BUILD_MD,
        links={"templates": "@@CANARY@@/sub"},
        message=r"templates.*link",
    ),
    Case("templates-link-loop", BUILD_MD, exit=None, links={"templates/loop": "."}),
    Case(
        "templates-link-to-dev-zero", BUILD_MD, links={"templates/zero.css": "/dev/zero"}, exit=None
    ),
]


def _archive(project: Path, path: str) -> None:
    sources = project / "content/sources.yaml"
    text = sources.read_text(encoding="utf-8")
    marker = "  - id: board-notice-2024\n"
    addition = f"    archive:\n      path: {path}\n      sha256: {'0' * 64}\n"
    head, _, tail = text.partition(marker)
    # After the entry's first line: archive is a key of that source.
    first, _, rest = tail.partition("\n")
    sources.write_text(head + marker + first + "\n" + addition + rest, encoding="utf-8")


WRITES = [
    Case(
        "output-folder-links-out", BUILD_MD, links={"output": "@@CANARY@@"}, message=r"output.*link"
    ),
    Case(
        "briefing-output-folder-links-out",
        BUILD_MD,
        links={"output/north-quay-2024": "@@CANARY@@"},
        message=r"output/north-quay-2024.*link",
    ),
    Case(
        "output-file-links-out",
        BUILD_MD,
        exit=None,
        links={"output/north-quay-2024/briefing.html": "@@CANARY@@/briefing.html"},
    ),
    Case(
        "output-key-links-out",
        ("build", "--format", "html,md"),
        exit=None,
        links={"output/north-quay-2024/.briefgen-key": "@@CANARY@@/secret.txt"},
    ),
    Case("output-file-hard-linked-out", BUILD_MD, exit=None, setup=_hard_link_output),
    Case(
        "site-folder-links-out",
        PUBLISH,
        links={"output/site": "@@CANARY@@"},
        message=r"output/site.*link",
    ),
    Case(
        "site-subfolder-links-out",
        PUBLISH,
        exit=None,
        links={"output/site/briefings": "@@CANARY@@/sub"},
    ),
    Case(
        "site-file-links-out",
        PUBLISH,
        exit=None,
        links={"output/site/index.html": "@@CANARY@@/index.html"},
    ),
    Case(
        "stale-temporaries-are-removed",
        BUILD_MD,
        exit=0,
        files={
            "output/north-quay-2024/.briefing.html.k2j4h1q8.tmp": "half",
            "output/night-shift-2021/.briefing.md.x81hq0zz.tmp": "half",
        },
    ),
    Case(
        "stale-site-staging-is-removed",
        PUBLISH,
        exit=0,
        files={
            "output/.site.new-4hq1z0ab/index.html": "half",
            "output/.site.old-9kd0aa_c/x": "old",
        },
    ),
]

_LISTENER_CSS = """@import url("http://@@LISTENER@@/import.css");
body { background: url("http://@@LISTENER@@/bg.png"); }
"""
_FONT_CSS = """@font-face { font-family: Leak; src: url("file://@@CANARY@@/secret.txt"); }
body { font-family: Leak; }
"""
_TRAVERSAL_CSS = "p { background-image: url('../../canary/secret.txt'); }\n"

CSS = [
    Case(
        "pdf-css-data-import-of-network",
        BUILD_PDF,
        files={CSS_PDF: "@import url('data:text/css,@import url(http://@@LISTENER@@/x.css);');\n"},
        exit=1,
    ),
    Case(
        "pdf-css-imports-from-network",
        BUILD_PDF,
        files={CSS_PDF: _LISTENER_CSS},
        message=r"templates/pdf\.css:1:\d+: ",
    ),
    Case(
        "briefing-css-imports-from-network",
        BUILD_PDF,
        files={CSS_BRIEFING: _LISTENER_CSS},
        message=r"templates/briefing\.css:1:\d+: ",
    ),
    Case(
        "pdf-css-font-from-outside",
        BUILD_PDF,
        files={CSS_PDF: _FONT_CSS},
        message=r"templates/pdf\.css:1:\d+: ",
    ),
    Case(
        "pdf-css-traversal",
        BUILD_PDF,
        files={CSS_PDF: _TRAVERSAL_CSS},
        message=r"templates/pdf\.css:1:\d+: ",
    ),
    Case(
        "pdf-css-link-inside-templates",
        BUILD_PDF,
        files={CSS_PDF: "@import url('leak.css');\n"},
        links={"templates/leak.css": "@@CANARY@@/secret.css"},
        message=r"templates/leak\.css:1:1: .*link",
    ),
    Case(
        "pdf-css-percent-traversal",
        BUILD_PDF,
        files={CSS_PDF: "p { background: url('%2e%2e/%2e%2e/%2e%2e/etc/passwd'); }\n"},
        message=r"templates/pdf\.css:1:\d+: ",
    ),
    Case(
        "pdf-css-file-localhost",
        BUILD_PDF,
        files={CSS_PDF: "p { background: url('file://localhost@@CANARY@@/secret.txt'); }\n"},
        message=r"templates/pdf\.css:1:\d+: ",
    ),
    Case(
        "html-template-fetches-network",
        BUILD_PDF,
        files={
            "templates/briefing.html": '{% extends "builtin/briefing.html" %}'
            '{% block title %}<img src="http://@@LISTENER@@/x.png">{% endblock %}'
        },
        exit=None,
    ),
    Case(
        "html-template-links-outside-stylesheet",
        BUILD_PDF,
        files={
            "templates/briefing/body.html": '<link rel="stylesheet" href="file://@@CANARY@@/secret.css">'
            '<img src="file://@@CANARY@@/secret.txt">{{ view.title }}'
        },
        message=r"PDF",
    ),
]

_TEMPLATE_ATTACKS = {
    "class-mro": "{{ ''.__class__.__mro__ }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].listdir('/') }}",
    "template-context": "{{ self._TemplateReference__context }}",
    "format-field": "{{ '{0.__class__.__mro__}'.format('') }}",
    "attr-filter": "{{ ''|attr('__class__') }}",
    "map-attribute": "{{ ['']|map(attribute='__class__')|list }}",
    "include-absolute": "{% include '@@CANARY@@/secret.txt' %}",
    "include-traversal": "{% include '../../canary/secret.txt' %}",
    "path-read": "{{ project.root.joinpath('..', 'canary', 'secret.txt').read_text() }}",
    "list-append": "{% set _ = view.authors.append('x') %}{{ view.title }}",
    "huge-string": "{{ 'a' * 10000000000 }}",
    "huge-power": "{{ 10 ** (10 ** 10) }}",
    "recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "self-include": "{% include 'briefing.md' %}",
    "extends-traversal": "{% extends 'builtin/../../../../etc/passwd' %}",
    "import-outside": "{% import '@@CANARY@@/secret.txt' as x %}",
    "nested-loops": "{% for a in range(100000) %}{% for b in range(100000) %}"
    "{% endfor %}{% endfor %}",
}

TEMPLATES = [
    Case(
        f"template-{name}",
        BUILD_MD,
        files={MD_TEMPLATE: text},
        message=r"templates/briefing\.md:\d+",
    )
    for name, text in _TEMPLATE_ATTACKS.items()
]

CASES = [*READS, *WRITES, *CSS, *TEMPLATES]
