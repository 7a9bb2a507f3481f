"""``storyline eval actors``: actor coding on the NGEC test cases.

Each line of ``ngec_cases.jsonl`` is one unit test of the NGEC actor coder (Halterman):
the function under test (``agent_to_code``, ``short_text_to_agent``, ``search_nat``,
``query_wiki``, ``trf_agent_match``), an input string and Python-style assertions about
the result (``code['country'] == "RUS"``).  Storyline answers each with its own coder
(:func:`storyline.actors.codes.code_actor`, :func:`search_nationality`, :func:`wiki_title`)
and the assertions are checked with a small safe evaluator.

Cases whose input or assertions need the test's fixture data (``d['actor']``) cannot be
scored and are counted apart, as are cases whose assertions contradict each other
(``code['code_1'] == "MIL"`` and ``code['code_1'] == "SPY"``).  Actors are coded as of the
case's ``date`` field when it has one, else ``REFERENCE_DATE`` (the cases were written in
2021-22 and assume who held office then); a ``context`` field (a country or nationality)
is passed on as the coder's context.

Some cases ask the same question as another case and want a different answer (the upstream
tests passed a query date or a context that the case file does not carry: "Vladimir Putin"
in 1999, 2009 and 2022).  No coder can pass both; ``accuracy_consistent`` scores the cases
that conflict with no other, next to ``accuracy`` over all scorable cases.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings

DEFAULT_DATA = "../shared/eval/actors/ngec_cases.jsonl"
REFERENCE_DATE = dt.date(2022, 1, 1)
FUNCTIONS = ("agent_to_code", "short_text_to_agent", "search_nat", "query_wiki", "trf_agent_match")
_ALLOWED = (
    ast.Expression,
    ast.Compare,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.Name,
    ast.Load,
    ast.Subscript,
    ast.Constant,
    ast.Eq,
    ast.NotEq,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Gt,
    ast.GtE,
    ast.Lt,
    ast.LtE,
    ast.List,
    ast.Tuple,
    ast.Call,
    ast.Index if hasattr(ast, "Index") else ast.Constant,
)


def load_cases(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvalDataError(
            f"NGEC cases not found: {path}",
            hint="pass --data ../shared/eval/actors/ngec_cases.jsonl",
        )
    cases = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except ValueError as exc:
            raise EvalDataError(f"{path}:{i} is not JSON: {exc}") from None
        if not isinstance(case, dict) or "input" not in case or "asserts" not in case:
            raise EvalDataError(f"{path}:{i}: expected an object with input and asserts")
        cases.append(case)
    return cases


def check(expression: str, namespace: dict[str, Any]) -> bool:
    """Evaluate one assertion safely (comparisons, subscripts, len()); errors are False."""
    expression = expression.split("#", 1)[0].strip()
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            return False
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id == "len"
        ):
            return False
    try:
        return bool(
            eval(compile(tree, "<assert>", "eval"), {"__builtins__": {"len": len}}, namespace)
        )
    except Exception:  # noqa: BLE001 - a failing assertion (e.g. code is None)
        return False


def _needs_fixture(case: dict[str, Any]) -> bool:
    return "d[" in case["input"] or any("d[" in a for a in case["asserts"])


def _contradictory(asserts: list[str]) -> bool:
    wanted: dict[str, set[str]] = defaultdict(set)
    for a in asserts:
        m = re.match(r"^\s*(.+?)\s*==\s*(['\"])(.*?)\2\s*(?:#.*)?$", a)
        if m:
            wanted[m.group(1).replace('"', "'")].add(m.group(3))
    return any(len(v) > 1 for v in wanted.values())


def _expectations(asserts: list[str]) -> dict[str, str]:
    """``expression -> wanted value`` of a case's equality assertions."""
    wanted = {}
    for a in asserts:
        m = re.match(r"^\s*(.+?)\s*==\s*(['\"])(.*?)\2\s*(?:#.*)?$", a)
        if m:
            wanted[m.group(1).replace('"', "'")] = m.group(3)
    return wanted


def cross_conflicts(cases: list[dict[str, Any]]) -> set[int]:
    """Indices of cases that want another answer than a case asking the same question
    (same function, input, date and context)."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        question = (
            case.get("function"),
            case["input"].strip(),
            case.get("date"),
            case.get("context"),
        )
        groups[question].append(i)
    conflicting: set[int] = set()
    for members in groups.values():
        for a in members:
            for b in members:
                wa, wb = _expectations(cases[a]["asserts"]), _expectations(cases[b]["asserts"])
                if any(wa[k] != wb[k] for k in wa.keys() & wb.keys()):
                    conflicting |= {a, b}
    return conflicting


def case_date(case: dict[str, Any]) -> dt.date | None:
    """The date a case asks about (its ``date`` field), else ``REFERENCE_DATE``."""
    value = str(case.get("date") or "").strip()
    if not value or value.lower() == "today":
        return REFERENCE_DATE
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        import dateparser

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
        return parsed.date() if parsed else REFERENCE_DATE


def answer(case: dict[str, Any], kb: Any, nlp: Any, when: dt.date | None) -> dict[str, Any]:
    """The namespace the case's assertions are evaluated in."""
    from ..actors.codes import code_actor, search_nationality, wiki_title

    function, text = case.get("function", "agent_to_code"), case["input"]
    if function == "search_nat":
        cc, rest = search_nationality(text, kb)
        return {"cc": cc, "text": rest}
    context = case.get("context") or None
    namespace: dict[str, Any] = {"code": code_actor(text, kb, nlp, when, context=context)}
    if function == "query_wiki":
        namespace["wiki"] = wiki_title(text, kb, nlp, when) or {"title": None, "intro_para": ""}
    return namespace


def evaluate(
    data: Path, settings: Settings, progress: Any = None, limit: int | None = None
) -> dict[str, Any]:
    from ..actors.kb import load_kb
    from ..nlp.pipeline import load_nlp

    cases = load_cases(Path(data))[:limit] if limit else load_cases(Path(data))
    kb = load_kb(settings.actors.user_kb)
    nlp = load_nlp(settings.nlp.model)
    counts: Counter[str] = Counter()
    by_function: dict[str, Counter[str]] = defaultdict(Counter)
    failures: list[dict[str, Any]] = []
    asserts_ok = asserts_total = 0
    if progress is not None:
        progress.start("NGEC actor cases", total=len(cases))
    conflicts = cross_conflicts(cases)
    consistent = Counter()
    for index, case in enumerate(cases):
        if progress is not None:
            progress.advance()
        function = case.get("function", "agent_to_code")
        if _needs_fixture(case):
            counts["needs_fixture"] += 1
            continue
        if _contradictory(case["asserts"]):
            counts["contradictory"] += 1
            continue
        namespace = answer(case, kb, nlp, case_date(case))
        results = [check(a, namespace) for a in case["asserts"]]
        asserts_ok += sum(results)
        asserts_total += len(results)
        passed = all(results)
        counts["passed" if passed else "failed"] += 1
        if index in conflicts:
            counts["conflicts_with_another_case"] += 1
        else:
            consistent["passed" if passed else "failed"] += 1
        by_function[function]["passed" if passed else "failed"] += 1
        if not passed:
            failures.append(
                {
                    "test": case.get("test"),
                    "function": function,
                    "input": case["input"],
                    "failed": [a for a, ok in zip(case["asserts"], results) if not ok],
                    "conflicts_with_another_case": index in conflicts,
                    "got": {k: v for k, v in namespace.items()},
                }
            )
    if progress is not None:
        progress.done()
    scored = counts["passed"] + counts["failed"]
    return {
        "metrics": {
            "accuracy": round(counts["passed"] / scored, 4) if scored else 0.0,
            "assert_accuracy": round(asserts_ok / asserts_total, 4) if asserts_total else 0.0,
            "cases_scored": scored,
            "accuracy_consistent": (
                round(consistent["passed"] / sum(consistent.values()), 4) if consistent else 0.0
            ),
        },
        "reference": {
            "accuracy": "target >= 0.90 (no published figure for this set)",
            "accuracy_consistent": "the same, without cases that want another answer than an "
            "identical case (their query date or context is missing from the file)",
        },
        "details": {
            "counts": dict(counts),
            "reference_date": REFERENCE_DATE.isoformat() if REFERENCE_DATE else "today",
            "by_function": {
                f: {
                    "accuracy": round(c["passed"] / (c["passed"] + c["failed"]), 4),
                    "cases": c["passed"] + c["failed"],
                }
                for f, c in sorted(by_function.items())
            },
            "failures": failures,
        },
    }
