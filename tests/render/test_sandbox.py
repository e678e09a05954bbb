"""Project templates render in a sandbox, bounded in time and size (security issue 8, finding 5).

Each hostile template must fail the build with an error naming the template and line, write
no output file, and print nothing it read from outside the project. Most cases build in this
process with the limits lowered (fast); a few run the real CLI with the default limits.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import REPO
from tests.render.helpers import copy_fixture

FULL_ID = "water-quotas-2024-03"
CANARY = "CANARY-5f1d0c7e-outside-the-project"

# (case id, template text, fragment the error must contain). The template is
# templates/briefing.md; the error must name it at the line of the attack (the last line).
ATTACKS: list[tuple[str, str, str]] = [
    ("class-mro", "{{ ''.__class__.__mro__ }}", "__class__"),
    ("subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("template-reference", "{{ self._TemplateReference__context }}", "_TemplateReference"),
    ("cycler-globals", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "__init__"),
    ("lipsum-globals", "{{ lipsum.__globals__['os'].popen('id').read() }}", "__globals__"),
    ("namespace-globals", "{{ namespace.__init__.__globals__ }}", "__init__"),
    ("joiner-globals", "{{ joiner.__init__.__globals__ }}", "__init__"),
    ("range-self", "{{ range.__self__ }}", "__self__"),
    ("builtins", "{{ range.__builtins__ }}", "__builtins__"),
    ("config", "{{ config.items() }}", "'config' is undefined"),
    ("request", "{{ request.application.__globals__ }}", "'request' is undefined"),
    ("format-field", "{{ '{0.__class__}'.format(view) }}", "__class__"),
    ("format-map", "{{ '{x.__class__}'.format_map({'x': view}) }}", "__class__"),
    ("attr-filter", "{{ view|attr('__class__') }}", "__class__"),
    ("map-attribute", "{{ view.key_points|map(attribute='__class__')|list }}", "__class__"),
    ("selectattr", "{{ view.key_points|selectattr('__class__')|list }}", "__class__"),
    ("sort-attribute", "{{ view.key_points|sort(attribute='__class__')|list }}", "__class__"),
    ("include-absolute", "{% include '/etc/passwd' %}", "template not found"),
    ("include-parent", "{% include '../../canary.txt' %}", "template not found"),
    ("import-parent", "{% import '../canary.txt' as c %}", "template not found"),
    ("from-import-parent", "{% from '../../canary.txt' import x %}", "template not found"),
    ("dict-pop", "{{ project.actors.pop('nobody', 1) }}", "pop"),
    ("dict-update", "{{ project.actors.update({}) }}", "update"),
    ("dict-clear", "{{ project.sources.clear() }}", "clear"),
    ("model-dict", "{{ project.settings.__dict__ }}", "__dict__"),
    (
        "list-append",
        "{% for s in project.sources.values() %}{{ s.authors.append('x') }}{% endfor %}",
        "append",
    ),
    ("path-read", "{{ project.root.read_text() }}", "root"),
    ("path-open", "{{ project.root.joinpath('x').open().read() }}", "root"),
    ("pydantic-parse-file", "{{ project.settings.parse_file('/etc/passwd') }}", "parse_file"),
    ("pydantic-fields", "{{ project.settings.model_fields }}", "model_fields"),
    ("pydantic-copy", "{{ project.settings.model_copy(update={'title': 1}) }}", "model_copy"),
    ("str-encode", "{{ 'x'.encode('utf-8') }}", "encode"),
    ("str-translate", "{{ 'aaaa'.translate({97: 'bbbbbbbb'}) }}", "translate"),
    ("int-to-bytes", "{{ (1).to_bytes(10000000000, 'big') }}", "to_bytes"),
    ("call-class", "{{ view.title.__class__('x') }}", "__class__"),
    # Bounds on size (the limits are lowered for these in-process cases).
    ("str-times", "{{ 'a' * 10**10 }}", "characters"),
    ("list-times", "{{ ([0] * 10**9)|length }}", "items"),
    ("power-tower", "{{ 10 ** (10 ** 10) }}", "bits"),
    ("big-product", "{% set n = 10**4000 %}{{ n * n * n * n * n * n * n * n }}", "bits"),
    ("range-huge", "{% for i in range(10**10) %}{% endfor %}", "range"),
    ("center", "{{ 'x'|center(10**10) }}", "characters"),
    ("ljust", "{{ 'x'.ljust(10**10) }}", "characters"),
    ("indent", "{{ 'a\\nb'|indent(10**9) }}", "characters"),
    ("indent-string", "{{ ('a\\n' * 1000)|indent('x' * 100000) }}", "characters"),
    ("printf-width", "{{ '%10000000000d' % 1 }}", "width"),
    ("printf-star", "{{ '%*d' % (10**9, 1) }}", "'*'"),
    ("format-filter", "{{ '%10000000000d'|format(1) }}", "width"),
    ("format-width", "{{ '{:>10000000000}'.format(1) }}", "width"),
    ("format-nested", "{{ '{:>{}}'.format(1, 10**9) }}", "nested"),
    ("printf-mapping", "{{ ('%(a)s' * 1000) % {'a': 'x' * 100000} }}", "characters"),
    ("format-repeat", "{{ ('{0}' * 1000).format('x' * 100000) }}", "characters"),
    ("format-filter-repeat", "{{ ('%s' * 1000)|format('x' * 100000) }}", "characters"),
    ("split-many", "{{ ('a ' * 500000).split()|length }}", "items"),
    ("splitlines-many", "{{ ('a\\n' * 500000).splitlines()|length }}", "items"),
    ("list-of-chars", "{{ ('a' * 500000)|list|length }}", "items"),
    ("wordcount", "{{ ('a ' * 500000)|wordcount }}", "items"),
    ("replace-empty", "{{ ('a' * 100000).replace('', 'b' * 100000) }}", "characters"),
    ("replace-filter", "{{ ('a' * 100000)|replace('', 'b' * 100000) }}", "characters"),
    ("join-many", "{{ (['x'] * 100000)|join('y' * 1000) }}", "characters"),
    ("join-method", "{{ ('y' * 1000).join(['x'] * 100000) }}", "characters"),
    ("string-of-list", "{{ (['x' * 100000] * 1000)|string }}", "characters"),
    ("print-list", "{{ ['x' * 100000] * 1000 }}", "characters"),
    ("wordwrap", "{{ ('a' * 100000)|wordwrap(1, wrapstring='b' * 1000) }}", "characters"),
    # Python's textwrap slices a long word or a long run of spaces again and again: quadratic.
    ("wordwrap-long-word", "{{ ('a' * 400000)|wordwrap(1)|length }}", "wordwrap would cut"),
    ("wordwrap-long-space", "{{ ('\t' * 400000)|wordwrap(1)|length }}", "wordwrap would cut"),
    ("wordwrap-dashes", "{{ ('-' * 400000)|wordwrap(2)|length }}", "wordwrap would cut"),
    ("wordwrap-huge-text", "{{ ('a ' * 600000)|wordwrap(79)|length }}", "at most 1,000,000"),
    # Values that no single check sees: a lazy map piling up big strings, or big values made
    # and dropped in a loop. The total of every value made is bounded.
    ("map-center", "{{ range(60)|map('center', 1000000)|list|length }}", "in all"),
    (
        "loop-of-big-values",
        "{% for i in range(400) %}{% set x = 'a'|center(1900000) %}{% endfor %}",
        "in all",
    ),
    (
        "loop-of-big-concats",
        "{% for i in range(400) %}{% set x = 'a' * 1900000 ~ i %}{% endfor %}",
        "in all",
    ),
    ("batch-fill", "{{ [1]|batch(10**9, 0)|list }}", "items"),
    ("slice-many", "{{ [1]|slice(10**9)|list }}", "items"),
    ("sum-lists", "{{ range(100)|batch(1)|sum(start=[]) }}", "numbers"),
    ("tojson-indent", "{{ (['x'] * 100000)|tojson(indent=10**6) }}", "characters"),
    ("lipsum", "{{ lipsum(10**6) }}", "lipsum"),
    (
        "concat-doubling",
        "{% set ns = namespace(s='ab') %}"
        "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "characters",
    ),
    (
        "plus-doubling",
        "{% set ns = namespace(s=[1]) %}"
        "{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "items",
    ),
    ("output", "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}", "wrote more"),
    (
        "captured-literal",
        "{% set x %}{% for i in range(100000) %}{% for j in range(1000) %}"
        "literal text{% endfor %}{% endfor %}{% endset %}",
        "",
    ),
    # Bounds on time.
    (
        "nested-loops",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "loop iterations",
    ),
    ("recursion", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "levels deep"),
    (
        "recursive-loop",
        "{% for x in [[1]] recursive %}{{ loop([[1]]) }}{% endfor %}",
        "levels deep",
    ),
    ("self-include", "{% include 'briefing.md' %}", "too deeply"),
    # Plain Python errors are located too.
    ("zero-division", "{{ 1 / 0 }}", "ZeroDivisionError"),
    ("overflow", "{{ 2.0 ** 10000 }}", "OverflowError"),
    ("unknown-actor", "{{ 'nobody'|actor_title('2023') }}", "KeyError"),
    ("type-error", "{{ view.title + 1 }}", "TypeError"),
    ("index", "{{ view.title.index('no such text') }}", "ValueError"),
]


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits low enough that the runaway cases stop in a fraction of a second."""
    from briefgen.render import sandbox

    limits = sandbox.Limits(
        seconds=5.0,
        output_chars=2_000_000,
        value_chars=2_000_000,
        items=100_000,
        steps=200_000,
        produced_chars=20_000_000,
    )
    monkeypatch.setattr(sandbox, "LIMITS", limits)


def _project(tmp_path: Path, template: str, name: str = "briefing.md") -> Path:
    project = copy_fixture("full", tmp_path)
    (tmp_path / "canary.txt").write_text(CANARY, encoding="utf-8")
    target = project / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# A title\n\n" + template + "\n", encoding="utf-8")
    return project


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _assert_no_canary(root: Path) -> None:
    for path in _files(root / "output"):
        assert CANARY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("template", "fragment"), [c[1:] for c in ATTACKS], ids=[c[0] for c in ATTACKS]
)
@pytest.mark.usefixtures("low_limits")
def test_attack_is_a_located_error(tmp_path: Path, template: str, fragment: str) -> None:
    project = _project(tmp_path, template)
    start = time.monotonic()
    result = build(project, BuildOptions(formats=("md",), force=True))
    assert time.monotonic() - start < 30
    message = result.failures.get(FULL_ID, "")
    assert message.startswith("template error: templates/briefing.md:3: "), message
    assert fragment in message, message
    assert "Traceback" not in message
    assert not result.written
    assert _files(project / "output") == set()
    _assert_no_canary(project)


def test_attack_in_html_override_and_site_template(tmp_path: Path) -> None:
    """The sandbox applies to every template, HTML (autoescaped) and nested names alike."""
    project = _project(tmp_path, "{{ ''.__class__ }}", "briefing/body.html")
    result = build(project, BuildOptions(formats=("html",), force=True))
    message = result.failures.get(FULL_ID, "")
    assert message.startswith("template error: templates/briefing/body.html:3: "), message
    assert _files(project / "output") == set()


def test_failed_render_keeps_previous_outputs(tmp_path: Path) -> None:
    project = _project(tmp_path, "{{ view.title }}")
    first = build(project, BuildOptions(formats=("md",), force=True))
    assert not first.failures, first.failures
    before = {p: p.read_bytes() for p in _files(project / "output")}
    (project / "templates" / "briefing.md").write_text("{{ ''.__class__ }}\n", encoding="utf-8")
    second = build(project, BuildOptions(formats=("md",), force=True))
    assert "templates/briefing.md:1" in second.failures[FULL_ID]
    assert {p: p.read_bytes() for p in _files(project / "output")} == before


def test_allowed_template_features_still_work(tmp_path: Path) -> None:
    """What a template may use (docs/templates.md) keeps working in the sandbox."""
    template = (
        "{% set ns = namespace(n=0) %}{% for k in view.key_points %}{% set ns.n = ns.n + 1 %}"
        "{% endfor %}{{ ns.n }} {{ view.title|upper|truncate(12) }} "
        "{{ '%05.1f'|format(3.14159) }} {{ '{:>6}'.format('r') }} {{ [3, 1, 2]|sort|join(',') }} "
        "{{ dict(a=1).items()|list }} {% for x in range(3) %}{{ loop.index }}"
        "{{ cycler('a', 'b').next() }}{% endfor %} {{ 'a-b'.split('-')|join('+') }} "
        "{{ 'x' * 3 }} {{ 2 ** 10 }} {{ 'aa bb cc'|wordwrap(5, wrapstring='/') }} "
        "{{ project.settings.title }} {{ project.actors|length > 0 }}"
        "{% macro twice(t) %}{{ t }}{{ t }}{% endmacro %} {{ twice('ok') }}"
    )
    project = _project(tmp_path, template)
    result = build(project, BuildOptions(formats=("md",), force=True))
    assert not result.failures, result.failures
    text = (project / "output" / FULL_ID / "briefing.md").read_text(encoding="utf-8")
    assert "003.1      r 1,2,3 [('a', 1)] 1a2a3a a+b xxx 1024 aa bb/cc" in text, text
    assert "okok" in text


def _cli(project: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(project), "--format", "md"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
        ("{{ cycler.__init__.__globals__.os.popen('cat ../canary.txt').read() }}", "__init__"),
        ("{{ 'a' * 10**10 }}", "characters"),
        ("{% for i in range(10**10) %}{% endfor %}", "range"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "levels deep"),
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "loop iterations",
        ),
        # The reviewer's cases: 162 s inside one filter call; 3.95 GB before any check.
        ("{{ ('a' * 3000000)|wordwrap(1)|length }}", "wordwrap may wrap at most"),
        ("{{ range(400)|map('center', 10000000)|list|length }}", "in all"),
    ],
    ids=[
        *("subclasses", "popen", "str-times", "range", "recursion", "nested-loops"),
        *("wordwrap-3m", "map-center-10m"),
    ],
)
def test_cli_with_default_limits(tmp_path: Path, template: str, fragment: str) -> None:
    """The real CLI, default limits: exit 1, a located message, no traceback, no file."""
    project = _project(tmp_path, template)
    start = time.monotonic()
    result = _cli(project)
    elapsed = time.monotonic() - start
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/briefing.md:3: " in result.stderr, result.stderr
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert CANARY not in result.stdout + result.stderr
    assert _files(project / "output") == set()
    assert elapsed < 40, elapsed


def test_wordwrap_of_ordinary_text_is_unchanged(tmp_path: Path) -> None:
    """The bounds leave ordinary text alone: long, with a long URL, wrapped narrow."""
    from jinja2 import Environment

    from briefgen.render import sandbox
    from briefgen.render.environment import make_environment

    text = ("A paragraph with https://example.com/" + "x" * 300 + " in it. ") * 500
    template = "{{ text|wordwrap(20) }}"
    env = make_environment(tmp_path)
    with sandbox.render_budget():
        wrapped = env.from_string(template).render(text=text)
    assert wrapped == Environment().from_string(template).render(text=text)


def test_deadline_stops_a_loop_that_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a step limit out of reach, the deadline alone ends the render."""
    from briefgen.render import sandbox

    monkeypatch.setattr(sandbox, "LIMITS", sandbox.Limits(seconds=0.5, steps=10**12))
    project = _project(
        tmp_path,
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    )
    start = time.monotonic()
    result = build(project, BuildOptions(formats=("md",), force=True))
    assert time.monotonic() - start < 10
    message = result.failures[FULL_ID]
    assert message.startswith("template error: templates/briefing.md:3: "), message
    assert "longer than 0.5 s" in message
    assert _files(project / "output") == set()


def test_renders_in_threads_have_their_own_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``briefgen serve`` renders in request threads: one runaway render stops alone."""
    from briefgen.render import sandbox
    from briefgen.render.environment import TemplateError, make_environment, render_template

    monkeypatch.setattr(sandbox, "LIMITS", sandbox.Limits(steps=100_000))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "slow.md").write_text("{% for a in range(100000) %}{{ a }}{% endfor %}")
    (folder / "small.md").write_text("{% for a in range(60000) %}{% endfor %}done")
    env = make_environment(tmp_path)
    results: dict[str, str] = {}

    def run(name: str) -> None:
        try:
            results[name] = render_template(env, name)
        except TemplateError as exc:
            results[name] = f"error: {exc}"

    threads = [threading.Thread(target=run, args=(n,)) for n in ("slow.md", "small.md") * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results["small.md"] == "done"
    assert results["slow.md"].startswith("error: templates/slow.md:1: "), results


def test_printing_the_project_reveals_no_path(tmp_path: Path) -> None:
    """``project`` printed whole (its repr) names no folder of the machine that built it."""
    project = _project(tmp_path, "{{ project }} {{ project.sources }} {{ project.settings }}")
    result = build(project, BuildOptions(formats=("md",), force=True))
    assert not result.failures, result.failures
    text = (project / "output" / FULL_ID / "briefing.md").read_text(encoding="utf-8")
    assert "water-quotas" in text
    assert str(tmp_path) not in text
    _assert_no_canary(project)
