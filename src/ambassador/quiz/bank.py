"""The question bank: load ``data/quizzes/<chapter>.yaml`` files and validate them.

One file per chapter::

    chapter: privacy                # == the file name == the lesson book/lessons/privacy.md
    lesson: book/lessons/privacy    # the lesson's docname, where explanations point back to
    title: "Quiz: ..."
    intro: "..."                    # optional
    questions:
      - id: privacy-01              # unique across all files; letters, digits, - and _
        type: single                # single | multiple | scenario
        prompt: "..."               # paragraphs; **bold** and *italic* only
        post: "..."                 # optional: the draft post a scenario is about
        options:                    # single/multiple: 2-6, each with id, text, feedback
          - {id: a, text: "...", feedback: "..."}
        correct: [a]                # single/scenario: exactly one; multiple: one or more
        explanation: "..."

A scenario ("post it or not?") has exactly the options ``posten``,
``niet-posten`` and ``conversatieteam``; their text may be left out
(:data:`SCENARIO_OPTIONS` holds the defaults).

Every problem is collected, never only the first, as a :class:`Problem` naming
the file, the line, the question (its id, or ``#3`` when it has none) and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ambassador.paths import quiz_dir, repo_root

QUESTION_TYPES = ("single", "multiple", "scenario")

# "Post it or not?": always these three answers, in this order, with these default labels.
SCENARIO_OPTIONS = {
    "posten": "Posten",
    "niet-posten": "Niet posten",
    "conversatieteam": "Doorgeven aan het conversatieteam",
}

FILE_KEYS_REQUIRED = ("chapter", "lesson", "title", "questions")
FILE_KEYS_OPTIONAL = ("intro",)
QUESTION_KEYS_REQUIRED = ("id", "type", "prompt", "options", "correct", "explanation")
QUESTION_KEYS_OPTIONAL = ("post",)
OPTION_KEYS = ("id", "text", "feedback")
MIN_OPTIONS, MAX_OPTIONS = 2, 6

# Ids end up in HTML id attributes and widget names: keep them plain.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


# --- The model --------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    id: str
    text: str
    feedback: str


# How to answer each type of question; every renderer shows the same words.
HINTS = {
    "single": "Kies één antwoord.",
    "multiple": "Kies alle antwoorden die kloppen (één of meer).",
    "scenario": "Wat doe je met dit bericht? Kies één antwoord.",
}


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...]
    correct: tuple[str, ...]
    explanation: str
    chapter: str
    post: str = ""

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"question {self.id} has no option {option_id!r}")

    def is_correct(self, chosen) -> bool:
        """Right only when exactly the correct options are chosen."""
        if isinstance(chosen, str):
            chosen = [chosen]
        return set(chosen or ()) == set(self.correct)

    @property
    def correct_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.id in self.correct)

    @property
    def hint(self) -> str:
        """How to answer, shown with the question wherever it is rendered."""
        return HINTS[self.type]


@dataclass(frozen=True)
class Quiz:
    chapter: str
    lesson: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    path: Path | None = None

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"quiz {self.chapter} has no question {question_id!r}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bank file."""

    path: Path
    message: str
    question: str = ""   # the question's id, or "#3" (its position) when it has none
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = _display_path(self.path) + (f":{self.line}" if self.line else "")
        parts = []
        if self.question:
            parts.append(f"question {self.question}")
        if self.field:
            parts.append(f"field '{self.field}'")
        context = (", ".join(parts) + ": ") if parts else ""
        return f"{where}: {context}{self.message}"


class BankError(ValueError):
    """Raised by the loaders when a bank has problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _display_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(repo_root()))
    except ValueError:
        return str(path)


# --- YAML with line numbers --------------------------------------------------

class _LineDict(dict):
    """A mapping that remembers the line it started on (1-based)."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = _LineDict()
    data.line = node.start_mark.line + 1
    yield data
    seen = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in seen:
                loader.duplicate_keys.append((key_node.value, key_node.start_mark.line + 1))
            seen.add(key_node.value)
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _line(obj, default: int | None = None) -> int | None:
    return getattr(obj, "line", None) or default


# --- Validation -----------------------------------------------------------------

def _nonempty_text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


class _FileChecker:
    """Checks one parsed file, collecting problems; builds the Quiz when it is clean."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.ids: dict[str, int | None] = {}   # well-formed question ids -> line, even in a broken file

    def add(self, message: str, question: str = "", field: str = "", line: int | None = None):
        self.problems.append(Problem(self.path, message, question, field, line))

    def check(self, data) -> Quiz | None:
        if not isinstance(data, dict):
            self.add("the file must be a mapping with chapter, lesson, title and questions", line=1)
            return None
        top = _line(data, 1)
        for key in FILE_KEYS_REQUIRED:
            if key not in data:
                self.add("is missing", field=key, line=top)
        for key in data:
            if key not in FILE_KEYS_REQUIRED + FILE_KEYS_OPTIONAL:
                self.add(f"unknown field (allowed: {', '.join(FILE_KEYS_REQUIRED + FILE_KEYS_OPTIONAL)})",
                         field=str(key), line=top)
        chapter = data.get("chapter")
        if "chapter" in data:
            if not _nonempty_text(chapter):
                self.add("must be a non-empty text", field="chapter", line=top)
            elif chapter != self.path.stem:
                self.add(f"is {chapter!r} but the file is named {self.path.name}: they must match",
                         field="chapter", line=top)
        lesson = data.get("lesson")
        if "lesson" in data and (not _nonempty_text(lesson) or lesson.endswith(".md")):
            self.add("must be the lesson's docname, e.g. book/lessons/privacy (no .md)",
                     field="lesson", line=top)
        for key in ("title", "intro"):
            if key in data and not _nonempty_text(data[key]):
                self.add("must be a non-empty text", field=key, line=top)

        questions = data.get("questions")
        built: list[Question] = []
        if "questions" in data:
            if not isinstance(questions, list) or not questions:
                self.add("must be a non-empty list of questions", field="questions", line=top)
            else:
                for index, raw in enumerate(questions, start=1):
                    q = self.check_question(raw, index, str(chapter or self.path.stem), self.ids)
                    if q is not None:
                        built.append(q)
        if self.problems:
            return None
        return Quiz(chapter=chapter, lesson=lesson, title=data["title"].strip(),
                    questions=tuple(built), intro=(data.get("intro") or "").strip(), path=self.path)

    def check_question(self, raw, index: int, chapter: str, seen: dict) -> Question | None:
        before = len(self.problems)
        if not isinstance(raw, dict):
            self.add("must be a mapping with id, type, prompt, options, correct and explanation",
                     question=f"#{index}")
            return None
        line = _line(raw)
        qid = raw.get("id")
        name = qid if _nonempty_text(qid) else f"#{index}"

        def add(message, field=""):
            self.add(message, question=str(name), field=field, line=line)

        for key in QUESTION_KEYS_REQUIRED:
            if key not in raw or raw[key] is None:
                add("is missing" if key != "correct" else "is missing: no correct answer given", key)
        for key in raw:
            if key not in QUESTION_KEYS_REQUIRED + QUESTION_KEYS_OPTIONAL:
                add(f"unknown field (allowed: {', '.join(QUESTION_KEYS_REQUIRED + QUESTION_KEYS_OPTIONAL)})",
                    str(key))
        if "id" in raw and raw["id"] is not None:
            if not isinstance(qid, str) or not ID_PATTERN.match(qid):
                add("must consist of letters, digits, '-' or '_'", "id")
            elif qid in seen:
                add(f"duplicate question id (also used at line {seen[qid]})", "id")
            else:
                seen[qid] = line
        qtype = raw.get("type")
        if "type" in raw and qtype is not None and qtype not in QUESTION_TYPES:
            add(f"unknown type {qtype!r} (allowed: {', '.join(QUESTION_TYPES)})", "type")
        for key in ("prompt", "explanation"):
            if key in raw and raw[key] is not None and not _nonempty_text(raw[key]):
                add("is empty", key)
        if "post" in raw and not _nonempty_text(raw["post"]):
            add("must be a non-empty text (or leave it out)", "post")

        options = self.check_options(raw.get("options"), qtype, add) if "options" in raw else None
        correct = self.check_correct(raw, qtype, options, add)

        if len(self.problems) > before:
            return None
        return Question(id=qid, type=qtype, prompt=raw["prompt"].strip(), options=tuple(options),
                        correct=tuple(correct), explanation=raw["explanation"].strip(),
                        chapter=chapter, post=(raw.get("post") or "").strip())

    def check_options(self, raw_options, qtype, add) -> list[Option] | None:
        if not isinstance(raw_options, list):
            add("must be a list of options", "options")
            return None
        options: list[Option] = []
        ids: list[str] = []
        for n, raw in enumerate(raw_options, start=1):
            where = f"options[{n}]"
            if not isinstance(raw, dict):
                add("must be a mapping with id and feedback", where)
                continue
            oid = raw.get("id")
            if not isinstance(oid, str) or not ID_PATTERN.match(oid):
                add("id is missing or not made of letters, digits, '-' or '_'", f"{where}.id")
                oid = None
            elif oid in ids:
                add(f"duplicate option id {oid!r}", f"{where}.id")
            else:
                ids.append(oid)
            label = f"options[{oid or n}]"
            for key in raw:
                if key not in OPTION_KEYS:
                    add(f"unknown field (allowed: {', '.join(OPTION_KEYS)})", f"{label}.{key}")
            if not _nonempty_text(raw.get("feedback")):
                add("feedback is missing or empty", f"{label}.feedback")
            text = raw.get("text")
            if qtype == "scenario":
                if text is not None and not _nonempty_text(text):
                    add("text is empty (leave it out for the default label)", f"{label}.text")
                text = text if _nonempty_text(text) else SCENARIO_OPTIONS.get(oid or "", "")
            elif not _nonempty_text(text):
                add("text is missing or empty", f"{label}.text")
            if oid:
                options.append(Option(id=oid, text=str(text or "").strip(),
                                      feedback=str(raw.get("feedback") or "").strip()))
        if qtype == "scenario":
            if sorted(ids) != sorted(SCENARIO_OPTIONS) or len(raw_options) != len(SCENARIO_OPTIONS):
                add(f"a scenario has exactly the options {', '.join(SCENARIO_OPTIONS)}"
                    f" (found: {', '.join(ids) or 'none'})", "options")
            order = list(SCENARIO_OPTIONS)
            options.sort(key=lambda o: order.index(o.id) if o.id in order else len(order))
        elif qtype in ("single", "multiple") and not MIN_OPTIONS <= len(raw_options) <= MAX_OPTIONS:
            add(f"needs {MIN_OPTIONS} to {MAX_OPTIONS} options (found {len(raw_options)})", "options")
        return options

    def check_correct(self, raw, qtype, options, add) -> list[str]:
        value = raw.get("correct")
        if value is None:
            return []   # reported as missing above
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            add("must be a list of option ids, e.g. [a]", "correct")
            return []
        if not value:
            add("is empty: no correct answer given", "correct")
        if len(set(value)) != len(value):
            add("lists the same option twice", "correct")
        if qtype in ("single", "scenario") and len(value) > 1:
            add(f"a {qtype} question has exactly one correct answer (found {len(value)})", "correct")
        if options is not None:
            known = {o.id for o in options}
            for v in value:
                if v not in known:
                    add(f"{v!r} is not among the options ({', '.join(sorted(known)) or 'none'})", "correct")
        return value


def check_file(path: Path) -> tuple[Quiz | None, list[Problem]]:
    """Parse and validate one bank file; the Quiz is None when there are problems."""
    quiz, problems, _ = _check_file(Path(path))
    return quiz, problems


def _check_file(path: Path) -> tuple[Quiz | None, list[Problem], dict[str, int | None]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(path, "no such question bank file")], {}
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, f"cannot be read: {exc}")], {}
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {reason}" + (f" ({context})" if context else "")
        return None, [Problem(path, message, line=line)], {}
    finally:
        loader.dispose()
    checker = _FileChecker(path)
    for key, line in loader.duplicate_keys:
        checker.add(f"the key {key!r} appears twice in the same mapping", field=key, line=line)
    quiz = checker.check(data)
    if checker.problems:
        return None, checker.problems, checker.ids
    return quiz, [], checker.ids


def bank_files(path: Path | None = None) -> list[Path]:
    """The bank files at PATH: the file itself, or every *.yaml/*.yml in the folder."""
    path = Path(path) if path is not None else quiz_dir()
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def check_bank(path: Path | None = None) -> tuple[dict[str, Quiz], list[Problem]]:
    """Validate every file at PATH (default ``data/quizzes/``), including ids repeated across files.

    Returns the valid quizzes by chapter and every problem found.
    """
    path = Path(path) if path is not None else quiz_dir()
    problems: list[Problem] = []
    if not path.exists():
        return {}, [Problem(path, "no such file or folder")]
    files = bank_files(path)
    if not files:
        return {}, [Problem(path, "no question bank files (*.yaml) in this folder")]
    quizzes: dict[str, Quiz] = {}
    owners: dict[str, Path] = {}
    for file in files:
        quiz, file_problems, ids = _check_file(file)
        problems.extend(file_problems)
        clashes = [qid for qid in ids if qid in owners]
        for qid in clashes:
            problems.append(Problem(file, f"duplicate question id: also used in {_display_path(owners[qid])}",
                                    question=qid, field="id", line=ids[qid]))
        for qid in ids:
            owners.setdefault(qid, file)
        if quiz is not None and not clashes:
            quizzes[quiz.chapter] = quiz
    return quizzes, problems


def load_bank(path: Path | None = None) -> dict[str, Quiz]:
    """Every chapter's quiz; raises :class:`BankError` listing all problems if there are any."""
    quizzes, problems = check_bank(path)
    if problems:
        raise BankError(problems)
    return quizzes


def load_quiz(chapter: str, folder: Path | None = None) -> Quiz:
    """One chapter's quiz from ``<folder>/<chapter>.yaml`` (default ``data/quizzes/``).

    The whole folder is checked, so a question id repeated in another file is
    caught too; only problems in this chapter's file are raised.
    """
    folder = Path(folder) if folder is not None else quiz_dir()
    path = folder / f"{chapter}.yaml"
    if not path.is_file():
        raise BankError([Problem(path, f"no question bank for chapter {chapter!r}")])
    quizzes, problems = check_bank(folder)
    mine = [p for p in problems if Path(p.path) == path]
    if mine:
        raise BankError(mine)
    return quizzes[chapter]


def chapters(folder: Path | None = None) -> list[str]:
    """The chapters that have a bank file, sorted."""
    return [p.stem for p in bank_files(folder or quiz_dir()) if p.suffix == ".yaml"]
