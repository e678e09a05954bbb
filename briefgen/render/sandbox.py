"""Jinja's sandbox for every template, with bounds on the time and size of each render.

Project templates are untrusted (a template pack from someone else, a pull request): they may
print anything into the output, but must not read files, run code, reach the network, or keep
a build busy forever. :class:`BriefgenSandbox` is Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (no ``_private`` attributes, no
Python internals, no changing lists and dicts) with more refusals:

- values that lead to the file system or Python's machinery (paths, files, modules, classes)
  are never handed to a template, and pydantic's own model methods are hidden;
- only known, bounded methods of strings, numbers and collections can be called;
- every operation that can make a value much larger than its inputs (``*``, ``**``, ``%``,
  ``~``, ``str.format``, ``center``, ``indent``, ``replace``, ``join``, ``batch``, ...) is
  checked before it runs, and every result is checked after;
- each render has a :class:`Budget`: a deadline, a count of loop iterations and calls, a call
  depth and the number of characters written. Loops and output are counted by rewriting the
  parsed template (see :class:`_Guards`), so a loop that prints nothing still stops.

The budget lives in a :class:`~contextvars.ContextVar`, so renders in the threads of
``briefgen serve`` each have their own. The bounds are in :data:`LIMITS`; tests lower them.
"""

from __future__ import annotations

import inspect
import io
import re
import string
import time
import types
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace, _PassArg, generate_lorem_ipsum, pass_context
from jinja2.visitor import NodeTransformer
from pydantic import BaseModel


@dataclass(frozen=True)
class Limits:
    """The bounds of one render (one template rendered into one output)."""

    seconds: float = 30.0  # wall-clock time of one render
    output_chars: int = 50 * 1024 * 1024  # characters written, counting captured text too
    value_chars: int = 10 * 1024 * 1024  # length of any one value a template makes
    # Sum of the sizes of every value filters, calls and operators return in one render: what
    # bounds memory, since no single check sees the values a lazy filter (map) piles up.
    produced_chars: int = 256 * 1024 * 1024
    items: int = 1_000_000  # items of any one list, tuple or dict a template makes
    steps: int = 5_000_000  # loop iterations, calls and filters in one render
    depth: int = 100  # nested macro and function calls
    width: int = 10_000  # format width and precision (``'%5000d'``, ``'{:>5000}'``)
    int_bits: int = 100_000  # size of a number (about 30,000 digits)
    lipsum_words: int = 100_000
    # Python's textwrap, behind wordwrap, slices a chunk longer than the width again and again:
    # about (longest run) * (length) / width character copies. Both bounds keep one call of the
    # filter to a second or two (it is the one filter whose cost grows faster than its input).
    wordwrap_chars: int = 1_000_000
    wordwrap_work: int = 20_000_000_000


LIMITS = Limits()


class RenderLimitError(TemplateRuntimeError):
    """A render went past one of its :class:`Limits`."""


@dataclass
class Budget:
    """What one render has used so far (one per render, in a context variable)."""

    limits: Limits
    deadline: float
    steps: int = 0
    depth: int = 0
    written: int = 0
    produced: int = 0  # characters of the values made so far (Limits.produced_chars)
    # Sizes of the big collections already measured, by id (the object is kept alive so the
    # id cannot be reused): a template that measures one list in a loop walks it once.
    sizes: dict[int, tuple[object, int]] = field(default_factory=dict)


_BUDGET: ContextVar[Budget | None] = ContextVar("briefgen_render_budget", default=None)


@contextmanager
def render_budget() -> Iterator[Budget]:
    """A fresh :class:`Budget` for the render run inside the ``with`` block."""
    limits = LIMITS
    budget = Budget(limits, time.monotonic() + limits.seconds)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _limits() -> Limits:
    budget = _BUDGET.get()
    # Outside a render (Jinja folds constant expressions while compiling) sizes are still
    # bounded; only time and steps are not counted.
    return budget.limits if budget is not None else LIMITS


def tick(n: int = 1) -> None:
    """Count ``n`` steps of the current render and check its deadline."""
    budget = _BUDGET.get()
    if budget is None:
        return
    budget.steps += n
    if budget.steps > budget.limits.steps:
        raise RenderLimitError(
            f"the template ran more than {budget.limits.steps:,} loop iterations, calls and "
            "filters, the most one render may run (an endless or huge loop?)"
        )
    if time.monotonic() > budget.deadline:
        raise RenderLimitError(
            f"the render took longer than {budget.limits.seconds:g} s, the most one render "
            "may take (an endless or huge loop?)"
        )


# -- sizes -------------------------------------------------------------------------------------

# What kind of value a type holds, worked out once per type: isinstance checks against ABCs
# (Collection, pydantic's models, io.IOBase) are slow, and every attribute and result of a
# render is checked.
_PLAIN, _COLLECTION, _ITERATOR, _FORBIDDEN, _MODEL, _VIEW = range(6)


_KINDS: dict[type, int] = {}


def _kind(tp: type) -> int:
    kind = _KINDS.get(tp)
    if kind is None:
        kind = _KINDS[tp] = _classify(tp)
    return kind


def _classify(tp: type) -> int:
    if issubclass(tp, _FORBIDDEN_VALUES):
        return _FORBIDDEN
    if issubclass(tp, BaseModel):
        return _MODEL
    if issubclass(tp, Collection) and not issubclass(tp, str | bytes | range):
        return _COLLECTION
    if issubclass(tp, Iterator):
        return _ITERATOR
    params = getattr(tp, "__dataclass_params__", None)
    if params is not None and params.frozen and tp.__module__.startswith("briefgen."):
        return _VIEW  # briefgen's own frozen dataclasses: the views templates print
    return _PLAIN


def approx_len(value: Any, depth: int = 0) -> int:
    """About how many characters ``value`` takes as text (at least its true length for str)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, bool) or value is None or isinstance(value, Undefined):
        return 1
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    if isinstance(value, range):
        return len(value) * (len(str(value.stop)) + 2)
    if isinstance(value, Namespace):
        return approx_len(dict(value._Namespace__attrs), depth)
    if _kind(type(value)) == _COLLECTION:
        return _collection_len(value, depth)
    return 1  # other objects print briefgen's own text (bounded by the content)


def _collection_len(value: Collection[Any], depth: int) -> int:
    limits = _limits()
    if depth > limits.depth:
        raise RenderLimitError(f"a value is nested more than {limits.depth} levels deep")
    budget = _BUDGET.get()
    if budget is not None and id(value) in budget.sizes:
        return budget.sizes[id(value)][1]
    total = len(value)
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    for item in items:
        total += approx_len(item, depth + 1)
        if total > limits.value_chars:
            break  # too big already: the caller refuses it
    if budget is not None and len(value) > 16:
        budget.sizes[id(value)] = (value, total)
    return total


def check_value(value: Any) -> Any:
    """``value`` if it is within the size limits; an iterator is counted as it is consumed.

    Every value checked here was just made by a filter, call or operator: its size also counts
    towards the render's :attr:`Limits.produced_chars`.
    """
    if isinstance(value, str):
        _check_chars(len(value))
        _count_produced(len(value))
        return value
    if isinstance(value, Undefined):
        return value
    kind = _kind(type(value))
    if kind == _ITERATOR:
        return _counted(value)
    if kind == _COLLECTION:
        _check_items(len(value))
        size = approx_len(value)
        _check_chars(size)
        _count_produced(size)
    elif kind == _PLAIN:
        size = approx_len(value)
        _check_chars(size)
        _count_produced(size)
    return value


def _count_produced(size: int) -> None:
    _spend(
        "produced",
        size,
        "the template made values of more than {limit:,} characters in all, the most one "
        "render may make (huge values in a loop or a map?)",
    )


def _spend(counter: str, size: int, message: str) -> None:
    """Add ``size`` to the render's ``counter`` ("produced" or "written"), within its limit."""
    budget = _BUDGET.get()
    if budget is None:
        return
    total = getattr(budget, counter) + size
    setattr(budget, counter, total)
    limit = budget.limits.produced_chars if counter == "produced" else budget.limits.output_chars
    if total > limit:
        raise RenderLimitError(message.format(limit=limit))


def _check_chars(size: int) -> None:
    limit = _limits().value_chars
    if size > limit:
        raise RenderLimitError(
            f"a value would be {size:,} characters or more, longer than the {limit:,} "
            "a template may make"
        )


def _check_items(count: int) -> None:
    limit = _limits().items
    if count > limit:
        raise RenderLimitError(
            f"a list would have {count:,} items, more than the {limit:,} a template may make"
        )


def _counted(iterator: Iterator[Any]) -> Iterator[Any]:
    for item in iterator:
        tick()
        yield item


class _LoopIterable:
    """What a ``{% for %}`` loop iterates: the same items, one step of the budget each."""

    def __init__(self, iterable: Any) -> None:
        self.iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        return _counted(iter(self.iterable))

    def __len__(self) -> int:
        # loop.length and loop.last use it when the iterable has a length (TypeError if not).
        return len(self.iterable)


# -- checks before an operation runs -----------------------------------------------------------

_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")


def check_printf(fmt: Any, values: Any) -> None:
    """Refuse a ``%`` format whose width or precision is huge or taken from the arguments,
    or whose result could be too long (``('%(a)s' * 1000) % {'a': long_text}``)."""
    if not isinstance(fmt, str):
        return
    specs = 0
    for match in _PRINTF_SPEC.finditer(fmt):
        specs += 1
        for number in match.groups():
            if number == "*":
                raise SecurityError("a '*' width or precision in a % format is not allowed")
            if number is not None:
                _check_width(int(number))
    _check_chars(len(fmt) + specs * approx_len(values))


def _check_width(width: int) -> None:
    limit = _limits().width
    if width > limit:
        raise RenderLimitError(f"a format width or precision of {width:,} is more than {limit:,}")


def check_format_string(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a ``str.format`` string with a huge or nested width (``'{:{}}'``), or one whose
    result could be too long (``('{0}' * 1000).format(long_text)``)."""
    fields = 0
    for _, name, spec, _ in string.Formatter().parse(fmt):
        fields += name is not None
        if spec and "{" in spec:
            raise SecurityError("a nested replacement field in a format spec is not allowed")
        for digits in _DIGITS.findall(spec or ""):
            _check_width(int(digits))
    _check_chars(len(fmt) + fields * (approx_len(args) + approx_len(kwargs)))


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``*``, ``**`` and ``%`` whose result would be huge, before computing it."""
    limits = _limits()
    if operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right > 0 and left.bit_length() * right > limits.int_bits:
            raise RenderLimitError(f"a number would have more than {limits.int_bits:,} bits")
    elif operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > limits.int_bits:
                raise RenderLimitError(f"a number would have more than {limits.int_bits:,} bits")
            return
        times, seq = (left, right) if isinstance(left, int) else (right, left)
        if isinstance(times, int) and isinstance(seq, str | list | tuple) and times > 0:
            if not isinstance(seq, str):
                _check_items(len(seq) * times)
            _check_chars(approx_len(seq) * times)
    elif operator == "%":
        check_printf(left, right)


# Methods of built-in values a template may call. Others (str.translate, int.to_bytes,
# str.encode, ...) are refused: each can make a huge value or bytes, and no template needs them.
_STR_METHODS = frozenset(
    {
        *("capitalize", "casefold", "count", "endswith", "find", "index", "lower", "lstrip"),
        *("isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower"),
        *("isnumeric", "isprintable", "isspace", "istitle", "isupper", "partition", "title"),
        *("removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip"),
        *("split", "splitlines", "startswith", "strip", "swapcase", "upper"),
        *("striptags", "unescape"),  # Markup's own
        # These can make a long string: checked by _check_str_method before they run.
        *("center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join"),
    }
)
_METHODS: dict[type, frozenset[str]] = {
    str: _STR_METHODS,
    int: frozenset({"bit_length", "is_integer", "as_integer_ratio", "conjugate"}),
    float: frozenset({"is_integer", "as_integer_ratio", "conjugate"}),
    list: frozenset({"count", "index", "copy"}),
    tuple: frozenset({"count", "index"}),
    dict: frozenset({"get", "items", "keys", "values", "copy"}),
    set: frozenset({"copy", "difference", "intersection", "isdisjoint", "issubset", "union"}),
    frozenset: frozenset({"copy", "difference", "intersection", "isdisjoint", "issubset"}),
}
_VALUE_TYPES = (str, bytes, bytearray, int, float, complex, list, tuple, dict, set, frozenset)
_CALLABLE_CLASSES = frozenset({dict, Cycler, Joiner, Namespace})


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a method of a built-in value unless it is known to be bounded; the args to use."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, _VALUE_TYPES) or isinstance(obj, types.ModuleType):
        return args
    name = getattr(obj, "__name__", "")
    allowed = next((m for t, m in _METHODS.items() if isinstance(owner, t)), frozenset())
    if name not in allowed:
        raise SecurityError(f"{type(owner).__name__}.{name}() is not available in templates")
    if isinstance(owner, str):
        return _check_str_method(owner, name, args, kwargs)
    return args


def _check_str_method(
    text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _check_chars(max(len(text), _as_int(args[0])))
    elif name == "expandtabs":
        tabsize = _as_int(args[0] if args else kwargs.get("tabsize", 8))
        _check_chars(len(text) + text.count("\t") * max(tabsize, 0))
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count"))
    elif name in ("split", "rsplit"):
        sep = args[0] if args else kwargs.get("sep")
        _check_items(text.count(sep) + 1 if isinstance(sep, str) and sep else _runs(text, _WS_RUN))
    elif name == "splitlines":
        _check_items(_runs(text, _LINE_END))
    elif name == "join" and args:
        items = list(check_value(iter(args[0])))
        _check_items(len(items))
        _check_chars(approx_len(items) + len(text) * len(items))
        return (items, *args[1:])
    return args


_WS_RUN = re.compile(r"\S+")
# What textwrap may take as one chunk: a word, or a run of white space within a line.
_CHUNK_RUN = re.compile(r"\S+|[^\S\n]+")
_WORD_RUN = re.compile(r"\w+")
_LINE_END = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _runs(text: str, pattern: re.Pattern[str]) -> int:
    # Counted without building the list: splitting 10 MiB of "a a a" makes millions of strings.
    return sum(1 for _ in pattern.finditer(text)) + 1


def _check_sized(value: Any, pattern: re.Pattern[str] | None = None) -> None:
    """A list (or word list) made from ``value`` would have a bounded number of items."""
    if isinstance(value, str):
        _check_items(_runs(value, pattern) if pattern else len(value))
    elif isinstance(value, Collection):
        _check_items(len(value))


def _check_replace(text: Any, old: Any, new: Any, count: Any) -> None:
    text, old, new = str(text), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    _check_chars(len(text) + times * max(len(new) - len(old), 0))


# -- filters -----------------------------------------------------------------------------------

Checker = Callable[[inspect.BoundArguments], None]


def _arg(bound: inspect.BoundArguments, name: str) -> Any:
    return bound.arguments.get(name, bound.signature.parameters[name].default)


def _check_center(bound: inspect.BoundArguments) -> None:
    _check_chars(max(approx_len(_arg(bound, "value")), _as_int(_arg(bound, "width"))))


def _check_indent(bound: inspect.BoundArguments) -> None:
    text, width = str(_arg(bound, "s")), _arg(bound, "width")
    per_line = len(width) if isinstance(width, str) else _as_int(width)
    _check_chars(len(text) + (text.count("\n") + 1) * per_line)


def _check_wordwrap(bound: inspect.BoundArguments) -> None:
    text, wrap = str(_arg(bound, "s")), _arg(bound, "wrapstring")
    limits = _limits()
    if len(text) > limits.wordwrap_chars:
        raise RenderLimitError(
            f"wordwrap may wrap at most {limits.wordwrap_chars:,} characters, not {len(text):,}"
        )
    # At worst a break after every character: the default wrapstring is one newline.
    _check_chars(len(text) * (1 + (len(wrap) if isinstance(wrap, str) else 1)))
    if _arg(bound, "break_long_words"):
        width = max(_as_int(_arg(bound, "width")), 1)
        longest = max((m.end() - m.start() for m in _CHUNK_RUN.finditer(text)), default=0)
        if longest > width and longest * len(text) // width > limits.wordwrap_work:
            raise RenderLimitError(
                f"wordwrap would cut a run of {longest:,} characters into pieces of {width}, "
                f"which takes too long in a text of {len(text):,} characters"
            )


def _check_batch(bound: inspect.BoundArguments) -> None:
    if _arg(bound, "fill_with") is not None:  # fills the last batch up to linecount
        _check_items(_as_int(_arg(bound, "linecount")))


def _check_slice(bound: inspect.BoundArguments) -> None:
    _check_items(_as_int(_arg(bound, "slices")))


def _check_join(bound: inspect.BoundArguments) -> None:
    items = list(check_value(iter(_arg(bound, "value"))))
    _check_items(len(items))
    _check_chars(approx_len(items) + len(str(_arg(bound, "d"))) * len(items))
    bound.arguments["value"] = items


def _check_sum(bound: inspect.BoundArguments) -> None:
    # sum(start=[]) of many lists copies them again and again (quadratic time).
    if not isinstance(_arg(bound, "start"), int | float):
        raise SecurityError("the sum filter adds numbers only (start must be a number)")


def _check_tojson(bound: inspect.BoundArguments) -> None:
    indent = _arg(bound, "indent")
    per_line = len(indent) if isinstance(indent, str) else _as_int(indent)
    _check_chars(approx_len(_arg(bound, "value")) * (1 + per_line))


_FILTER_CHECKS: dict[str, Checker] = {
    "center": _check_center,
    "indent": _check_indent,
    "format": lambda b: check_printf(_arg(b, "value"), (_arg(b, "args"), _arg(b, "kwargs"))),
    "list": lambda b: _check_sized(_arg(b, "value")),
    "sort": lambda b: _check_sized(_arg(b, "value")),
    "wordcount": lambda b: _check_sized(_arg(b, "s"), _WORD_RUN),
    "replace": lambda b: _check_replace(
        _arg(b, "s"), _arg(b, "old"), _arg(b, "new"), _arg(b, "count")
    ),
    "wordwrap": _check_wordwrap,
    "batch": _check_batch,
    "slice": _check_slice,
    "join": _check_join,
    "sum": _check_sum,
    "tojson": _check_tojson,
}


_LEADS = frozenset({"context", "eval_ctx", "environment", "env"})


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` counted as a step, its arguments and result checked.

    The guard takes the context, so Jinja never runs it while compiling (constant folding):
    every filter runs inside a render, under its budget.
    """
    pass_arg = _PassArg.from_obj(func)
    checker = _FILTER_CHECKS.get(name)
    signature = inspect.signature(func) if checker else None
    # Jinja's async variants take the eval context without naming it in their signature.
    named_lead = signature is not None and next(iter(signature.parameters), "") in _LEADS

    def guarded(context: Context, *args: Any, **kwargs: Any) -> Any:
        tick()
        lead: tuple[Any, ...] = ()
        if pass_arg is _PassArg.context:
            lead = (context,)
        elif pass_arg is _PassArg.eval_context:
            lead = (context.eval_ctx,)
        elif pass_arg is _PassArg.environment:
            lead = (context.environment,)
        if checker is not None and signature is not None:
            bound = (
                signature.bind(*lead, *args, **kwargs)
                if named_lead
                else signature.bind(*args, **kwargs)
            )
            checker(bound)
            lead = () if named_lead else lead
            return check_value(func(*lead, *bound.args, **bound.kwargs))
        return check_value(func(*lead, *args, **kwargs))

    guarded.__name__ = getattr(func, "__name__", name)
    guarded.__doc__ = func.__doc__
    return pass_context(guarded)


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum()`` with at most :attr:`Limits.lipsum_words` words."""
    limit = _limits().lipsum_words
    if _as_int(n) * _as_int(max) > limit or _as_int(n) * _as_int(min) > limit:
        raise RenderLimitError(f"lipsum() may make at most {limit:,} words")
    return generate_lorem_ipsum(n, html, min, max)


# -- the parsed template -----------------------------------------------------------------------


def _guard_call(name: str, arg: nodes.Expr, lineno: int) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(name), [arg], [], None, None)
    call.set_lineno(lineno)
    return call


class _Guards(NodeTransformer):
    """Rewrites a parsed template so that a render counts its loops and what it writes.

    - the iterable of every ``{% for %}`` is wrapped, so each iteration is a step;
    - every ``~`` concatenation is checked for size;
    - every output node first adds its literal text to the characters written (expressions
      are counted by the environment's ``finalize``), so text captured by ``{% set %}``
      blocks, macros and ``caller()`` counts as well.
    """

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        node.iter = _guard_call("briefgen_loop", node.iter, node.lineno)  # type: ignore[arg-type]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _guard_call("briefgen_value", node, node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        literal = sum(len(n.data) for n in node.nodes if isinstance(n, nodes.TemplateData))
        node.nodes.insert(0, _guard_call("briefgen_text", nodes.Const(literal), node.lineno))
        return node


def _count_written(size: int) -> None:
    _spend(
        "written",
        size,
        "the template wrote more than {limit:,} characters, the most one render may write",
    )


def _loop_guard(iterable: Any) -> Any:
    tick()
    return iterable if isinstance(iterable, Undefined) else _LoopIterable(iterable)


def _text_guard(size: int) -> str:
    if size:
        _count_written(size)
    tick()
    return ""


def _finalize(value: Any) -> Any:
    if not isinstance(value, Undefined):
        _count_written(len(value) if isinstance(value, str) else approx_len(value))
    return value


for _guard in (_loop_guard, _text_guard, check_value):
    setattr(_guard, "briefgen_guard", True)  # noqa: B010 - a marker read by BriefgenSandbox.call


# -- the environment ---------------------------------------------------------------------------

# Values a template never gets: they lead to files, code or Python's machinery.
_FORBIDDEN_VALUES = (
    PurePath,
    io.IOBase,
    types.ModuleType,
    type,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
)
_MODEL_INTERNALS = frozenset(dir(BaseModel))
_MISSING = object()


class BriefgenSandbox(ImmutableSandboxedEnvironment):
    """The sandboxed environment of every briefgen template (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=_finalize, **kwargs)
        self.globals["lipsum"] = bounded_lipsum
        self.briefgen_loop = _loop_guard
        self.briefgen_text = _text_guard
        self.briefgen_value = check_value

    def guard_filters(self) -> None:
        """Wrap every filter (call once, after adding briefgen's own)."""
        self.filters = {name: guard_filter(name, f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        guarded = _Guards().visit(tree)
        guarded.set_environment(self)
        return guarded  # type: ignore[no-any-return]

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rules, and: no attribute of a path or file, no pydantic model internals."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        kind = _kind(type(obj))
        if kind == _FORBIDDEN or _kind(type(value)) == _FORBIDDEN:
            return False
        if kind == _MODEL and attr in _MODEL_INTERNALS:
            return attr in type(obj).model_fields
        return True

    def is_safe_callable(self, obj: Any) -> bool:
        """Jinja's rules, and: no class but ``dict``, ``cycler``, ``joiner``, ``namespace``."""
        if isinstance(obj, type) and obj not in _CALLABLE_CLASSES:
            return False
        return super().is_safe_callable(obj)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        """Refused access is an error at once (not an undefined that may print silently)."""
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is not "
            "allowed in templates"
        )

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``, refusing paths, files, modules and classes."""
        return self._allowed(obj, argument, super().getitem(obj, argument))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute``, refusing paths, files, modules and classes."""
        kind = _kind(type(obj))
        if kind == _VIEW and not attribute.startswith("_"):
            # The hot path (templates read view attributes all the time): Jinja's other
            # checks concern functions, classes and built-in containers, never these.
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING:
                return self._allowed(obj, attribute, value)
        if kind == _MODEL and not self.is_safe_attribute(obj, attribute, None):
            self.unsafe_undefined(obj, attribute)  # before reading it: some warn or compute
        return self._allowed(obj, attribute, super().getattr(obj, attribute))

    def _allowed(self, obj: Any, name: Any, value: Any) -> Any:
        if _kind(type(value)) == _FORBIDDEN:
            raise SecurityError(
                f"{name!r} of {type(obj).__name__!r} object is not available in templates "
                f"(a {type(value).__name__})"
            )
        return value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` as Jinja sandboxes it, refusing huge widths first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt: str = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            tick()
            check_format_string(fmt, args, kwargs)
            return check_value(wrapped(*args, **kwargs))  # type: ignore[no-any-return]

        return checked

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``%`` and ``+``, refused when the result would be too big."""
        tick()
        check_binop(operator, left, right)
        return check_value(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Call ``__obj`` from a template: a step of the budget, one level deeper."""
        if getattr(__obj, "briefgen_guard", False):
            return __obj(*args)  # the guards added by _Guards (no context arguments)
        tick()
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"calling {__obj!r} is not allowed in templates")
        args = check_method(__obj, args, kwargs)
        budget = _BUDGET.get()
        if budget is None:
            return check_value(__context.call(__obj, *args, **kwargs))
        if budget.depth >= budget.limits.depth:
            raise RenderLimitError(
                f"macros and calls nest more than {budget.limits.depth} levels deep "
                "(endless recursion?)"
            )
        budget.depth += 1
        try:
            return check_value(__context.call(__obj, *args, **kwargs))
        finally:
            budget.depth -= 1
