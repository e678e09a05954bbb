"""Every figure of issue 12 ("Fast at a thousand briefings") on N clones of the reference briefing.

Usage: python benchmarks/scale_bench.py N [--rounds R] [--pdf-sample M] [--growth-pdfs G]
                                         [--no-full-pdf]

Makes a temporary project holding the reference briefing (content/briefings/ of this
repository, without content/archive/) cloned to N briefings, then runs the real command line,
R rounds, interleaving the kinds of run in each round so that a noisy machine disturbs all of
them alike, and prints for each figure the median and min–max of the rounds, the goal, and
the ratio median/goal (≤ 1 meets it):

- ``validate``: wall, CPU (user + system of the process) and peak memory (max RSS);
- ``build --format html,md`` fresh; the same again with nothing changed; after one edited
  briefing (each round edits a different one);
- ``publish --no-pdf`` fresh, against Hugo building the same N Markdown pages (when ``hugo``
  is installed: Debian's package ``hugo``; not needed otherwise);
- PDFs, on M of the clones (default 20): CPU per PDF through briefgen against raw WeasyPrint
  laying out, once, the page briefgen finally lays out (with the printed contents when the
  note keeps them) with the same stylesheets and options; ``build --format pdf --jobs 2``
  against serial
  (wall); growth of the resident memory of one process rendering G PDFs (default 100) after
  25 to warm up, per 100 (the slope through a reading every 10 PDFs);
- unless ``--no-full-pdf``: a full ``build --jobs 2`` of all N (to set up), then ``publish``
  with nothing changed and ``publish`` after one edit (how many PDFs each rendered).

Say in the note whether the machine was idle: CPU seconds suffer least from other load, wall
times and the --jobs speed-up most.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from briefgen.model import Project

REPO = Path(__file__).resolve().parent.parent
REFERENCE = "pa-security-coordination-2023-02"
RENDERED = re.compile(r"(\d+) PDFs? rendered")


@dataclass(frozen=True)
class Run:
    """One process: wall and CPU seconds, peak memory (MiB), its standard error."""

    wall: float
    cpu: float
    peak_mib: float
    stderr: str


@dataclass
class Figures:
    """Samples by figure name, in the order first recorded."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        """Record one sample of ``name``."""
        self.samples.setdefault(name, []).append(value)


# Figure -> (goal, unit); a figure without a goal is printed for reference. A goal is a most,
# except for the figures in AT_LEAST.
GOALS: dict[str, tuple[float | None, str]] = {
    "validate wall": (3.0, "s"),
    "validate CPU": (None, "s"),
    "validate peak memory": (150.0, "MiB"),
    "build html,md fresh CPU": (None, "s"),
    "no-change build wall": (1.0, "s"),
    "one edited briefing, build html,md wall": (2.0, "s"),
    "publish --no-pdf fresh CPU": (None, "s"),
    "hugo build CPU": (None, "s"),
    "no-change publish wall": (2.0, "s"),
    "publish after one edit: PDFs rendered": (1.0, ""),
    "PDF per briefing CPU, briefgen": (None, "s"),
    "PDF per briefing CPU, raw WeasyPrint": (None, "s"),
    "PDF briefgen / raw WeasyPrint": (1.10, "x"),
    "build pdf serial wall": (None, "s"),
    "build pdf --jobs 2 wall": (None, "s"),
    "--jobs 2 speed-up": (1.8, "x (at least)"),
    "memory growth per 100 PDFs": (1.0, "MiB"),
}


AT_LEAST = {"--jobs 2 speed-up"}
EXACTLY = {"publish after one edit: PDFs rendered"}


def _met(name: str, median: float, goal: float) -> str:
    if name in AT_LEAST:
        return "yes" if median >= goal else "NO"
    if name in EXACTLY:
        return "yes" if median == goal else "NO"
    return "yes" if median <= goal else "NO"


def run(*args: str, cwd: Path | None = None) -> Run:
    """Run ``python -m briefgen ARGS`` (or a program, when args[0] is absolute) and measure it."""
    command = list(args) if args[0].startswith("/") else [sys.executable, "-m", "briefgen", *args]
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr)


def make_corpus(target: Path, count: int) -> Path:
    """A project with the reference briefing cloned to ``count`` briefings."""
    target.mkdir(parents=True)
    shutil.copy(REPO / "briefgen.yaml", target / "briefgen.yaml")
    shutil.copytree(REPO / "content", target / "content", ignore=shutil.ignore_patterns("archive"))
    briefings = target / "content" / "briefings"
    original = briefings / f"{REFERENCE}.yaml"
    for other in briefings.glob("*.yaml"):
        if other != original:
            other.unlink()
    for n in range(1, count):
        shutil.copy(original, briefings / f"{REFERENCE}-c{n:05d}.yaml")
    return target


def edit_one(root: Path, round_number: int) -> None:
    """Change the title of one briefing (a different one each round)."""
    files = sorted((root / "content" / "briefings").glob("*.yaml"))
    path = files[round_number % len(files)]
    text = path.read_text(encoding="utf-8")
    # A plain (unquoted) title in the reference briefing: a word in front keeps it plain.
    path.write_text(text.replace("\ntitle: ", f"\ntitle: Round {round_number} ", 1), "utf-8")


def hugo_site(root: Path, target: Path) -> Path | None:
    """A Hugo site of the corpus's Markdown editions (from output/<id>/briefing.md)."""
    if shutil.which("hugo") is None:
        return None
    (target / "content").mkdir(parents=True)
    (target / "hugo.toml").write_text('title = "scale"\n', encoding="utf-8")
    (target / "layouts" / "_default").mkdir(parents=True)
    page = "<html><body>{{ .Content }}</body></html>\n"
    for name in ("single.html", "list.html"):
        (target / "layouts" / "_default" / name).write_text(page, encoding="utf-8")
    for md in sorted(root.glob("output/*/briefing.md")):
        body = md.read_text(encoding="utf-8")
        front = f'---\ntitle: "{md.parent.name}"\n---\n'
        (target / "content" / f"{md.parent.name}.md").write_text(front + body, encoding="utf-8")
    return target


def text_round(root: Path, work: Path, number: int, figures: Figures) -> None:
    """One round of the validation, HTML/Markdown and --no-pdf publish figures."""
    out = str(root / "output")
    shutil.rmtree(out, ignore_errors=True)
    checked = run("validate", str(root))
    figures.add("validate wall", checked.wall)
    figures.add("validate CPU", checked.cpu)
    figures.add("validate peak memory", checked.peak_mib)
    figures.add("build html,md fresh CPU", run("build", str(root), "-f", "html,md").cpu)
    figures.add("no-change build wall", run("build", str(root), "-f", "html,md").wall)
    edit_one(root, number)
    edited = run("build", str(root), "-f", "html,md")
    figures.add("one edited briefing, build html,md wall", edited.wall)
    site = hugo_site(root, work / f"hugo{number}")
    shutil.rmtree(out, ignore_errors=True)
    figures.add("publish --no-pdf fresh CPU", run("publish", str(root), "--no-pdf").cpu)
    if site is not None:
        hugo = run(shutil.which("hugo") or "hugo", "--quiet", "-s", str(site))
        figures.add("hugo build CPU", hugo.cpu)
        shutil.rmtree(site)


def pdf_rounds(sample: Path, rounds: int, growth: str, figures: Figures) -> None:
    """Serial against --jobs 2 PDF builds, and the in-process PDF figures, interleaved."""
    for _ in range(rounds):
        for jobs in ("1", "2"):
            shutil.rmtree(sample / "output", ignore_errors=True)
            took = run("build", str(sample), "-f", "pdf", "--jobs", jobs)
            figures.add(
                "build pdf serial wall" if jobs == "1" else "build pdf --jobs 2 wall", took.wall
            )
        child = run(sys.executable, __file__, "--child-pdf", str(sample), "--growth-pdfs", growth)
        for line in child.stderr.splitlines():
            name, _, value = line.partition("=")
            if name in GOALS:
                figures.add(name, float(value))
    serial = statistics.median(figures.samples["build pdf serial wall"])
    parallel = figures.samples["build pdf --jobs 2 wall"]
    for wall in parallel:
        figures.add("--jobs 2 speed-up", serial / wall)


def full_pdf(root: Path, rounds: int, figures: Figures) -> None:
    """Every PDF once (setup), then publish unchanged and after one edit."""
    shutil.rmtree(root / "output", ignore_errors=True)
    setup = run("build", str(root), "--jobs", "2")
    # Wall only: the workers are the fork server's children, not counted in this CPU time.
    figures.notes["full PDF build (--jobs 2, setup)"] = f"{setup.wall:.1f} s wall"
    run("publish", str(root))  # writes the site once; what follows is "nothing changed"
    for _ in range(rounds):
        figures.add("no-change publish wall", run("publish", str(root)).wall)
    edit_one(root, 10_000)
    edited = run("publish", str(root))
    found = RENDERED.search(edited.stderr)
    figures.add("publish after one edit: PDFs rendered", float(found[1]) if found else -1.0)


def child_pdf(project_root: Path, growth_pdfs: int) -> None:
    """In a fresh process: CPU per PDF (briefgen and raw WeasyPrint), memory growth per 100."""
    import weasyprint

    from briefgen.editions import render_briefing
    from briefgen.pdf import PDF_VARIANT, font_configuration, project_fetcher, stylesheets
    from briefgen.pdf import _base_url as base_url
    from briefgen.render import make_environment
    from briefgen.validate import validate_project

    project = validate_project(project_root).project
    assert project is not None
    ids = sorted(project.briefings)
    env = make_environment(project.root)
    html = _final_html(project, ids[0], env)  # also the warm-up: fonts, parsed CSS
    sheets = stylesheets(project, env, project.briefings[ids[0]].marking)

    def raw() -> None:
        document = weasyprint.HTML(
            string=html, base_url=base_url(project), url_fetcher=project_fetcher(project)
        ).render(font_config=font_configuration(), stylesheets=sheets)
        document.write_pdf(pdf_identifier=False, pdf_variant=PDF_VARIANT)

    def ours() -> None:
        render_briefing(project, ids[0], ("pdf",), env=env)

    for name, work in (("briefgen", ours), ("raw WeasyPrint", raw)):
        print(f"PDF per briefing CPU, {name}={_cpu_each(work, 5)}", file=sys.stderr)
    growth = _growth(project, ids, env, growth_pdfs)
    print(f"memory growth per 100 PDFs={growth}", file=sys.stderr)


def _final_html(project: Project, briefing_id: str, env: jinja2.Environment) -> str:
    """The page briefgen's PDF of the briefing finally lays out, recorded while it renders.

    Whatever briefgen decides (the reader's printed contents kept or dropped), raw WeasyPrint
    is then timed on that very page: the last one given to ``briefgen.pdf._document``, which
    is wrapped (not replaced) for the one render.
    """
    import briefgen.pdf
    from briefgen.editions import render_briefing

    original = briefgen.pdf._document
    laid_out: list[str] = []

    def recording(project: Project, html: str, sheets: list[Any]) -> Any:
        laid_out.append(html)
        return original(project, html, sheets)

    briefgen.pdf._document = recording
    try:
        render_briefing(project, briefing_id, ("pdf",), env=env)
    finally:
        briefgen.pdf._document = original
    return laid_out[-1]


def _cpu_each(work: Callable[[], None], times: int) -> float:
    start = time.process_time()
    for _ in range(times):
        work()
    return (time.process_time() - start) / times


def _growth(project: object, ids: list[str], env: object, count: int) -> float:
    """MiB of resident memory gained per 100 PDFs over ``count`` PDFs, after 25 to warm up.

    The slope of a straight line through the resident size after every 10th PDF: single
    readings jump by a MiB either way as the allocator takes and returns memory, and the
    first two dozen PDFs still fill caches (fonts, glyphs), which is not growth.
    """
    from briefgen.editions import render_briefing

    def rss_mib() -> float:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(x for x in status if x.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    for n in range(25):
        render_briefing(project, ids[n % len(ids)], ("pdf",), env=env)  # type: ignore[arg-type]
    done, sizes = [0], [rss_mib()]
    for n in range(1, count + 1):
        render_briefing(project, ids[n % len(ids)], ("pdf",), env=env)  # type: ignore[arg-type]
        if n % 10 == 0:
            done.append(n)
            sizes.append(rss_mib())
    return statistics.linear_regression(done, sizes).slope * 100 if len(done) > 1 else 0.0


def report(figures: Figures) -> None:
    """The table: median, min–max, goal and ratio of each figure."""
    print(f"{'figure':44s} {'median':>9s} {'min–max':>19s} {'goal':>14s} {'ratio':>6s} met")
    for name, (goal, unit) in GOALS.items():
        values = figures.samples.get(name)
        if not values:
            continue
        median = statistics.median(values)
        spread = f"{min(values):.3f}–{max(values):.3f}"
        goal_text = f"{goal:g} {unit}" if goal is not None else ""
        ratio = f"{median / goal:.2f}" if goal else ""
        met = _met(name, median, goal) if goal else ""
        print(f"{name:44s} {median:9.3f} {spread:>19s} {goal_text:>14s} {ratio:>6s} {met}")
    hugo, ours = (
        figures.samples.get("hugo build CPU"),
        figures.samples.get("publish --no-pdf fresh CPU"),
    )
    if hugo and ours:
        times = statistics.median(ours) / statistics.median(hugo)
        met = "yes" if times <= 3 else "NO"
        print(f"publish --no-pdf / Hugo (CPU): {times:.2f}x (goal: at most 3x; met: {met})")
    for name, note in figures.notes.items():
        print(f"{name}: {note}")


def main() -> None:
    """Build the corpus, run every round, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdf-sample", type=int, default=20)
    parser.add_argument("--no-full-pdf", action="store_true")
    parser.add_argument("--growth-pdfs", type=int, default=100)
    parser.add_argument("--child-pdf", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_pdf:
        child_pdf(args.child_pdf, args.growth_pdfs)
        return
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        root = make_corpus(work / "corpus", args.count)
        sample = make_corpus(work / "sample", max(args.pdf_sample, 11))
        print(
            f"N = {args.count}, {args.rounds} rounds, PDF sample {args.pdf_sample}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
        )
        for number in range(1, args.rounds + 1):
            text_round(root, work, number, figures)
        pdf_rounds(sample, args.rounds, str(args.growth_pdfs), figures)
        if not args.no_full_pdf:
            full_pdf(root, args.rounds, figures)
        figures.add("PDF briefgen / raw WeasyPrint", _ratio(figures))
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    report(figures)


def _ratio(figures: Figures) -> float:
    ours = statistics.median(figures.samples["PDF per briefing CPU, briefgen"])
    raw = statistics.median(figures.samples["PDF per briefing CPU, raw WeasyPrint"])
    return ours / raw


if __name__ == "__main__":
    main()
