"""nbgrader's Execute preprocessor, adapted for grading many hand-ins at once.

- Output is capped per cell while it arrives (nbgrader's LimitOutput only
  trims after the cell has finished, by which time an endless ``print`` loop
  may have filled the grader's memory).
- Time-outs and cut output are recorded in ``EVENTS`` for the trainer's report.
- Only the steps that read or write the gradebook hold the session's
  gradebook lock (``Locked*`` classes and ``LockedAutograde``); running the
  kernel and converting notebooks happen in parallel across workers.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (AssignLatePenalties, Execute, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)

MAX_OUTPUT_CHARS = 100_000

# (kind, cell index) events of the notebook being graded; reset by the worker.
EVENTS: list[tuple[str, int]] = []
# Set by the worker: a context manager factory holding the session's gradebook lock.
LOCK: dict[str, object] = {}


def _locked():
    return LOCK["hold"]()


def _under_the_lock(preprocessor: type) -> type:
    """A subclass of an nbgrader preprocessor that touches the gradebook, run holding the lock.

    It keeps the parent's name in its config lookup (traitlets follows the MRO),
    so ``c.OverwriteCells...`` settings still apply.
    """

    def preprocess(self, nb, resources):
        with _locked():
            return preprocessor.preprocess(self, nb, resources)

    return type(f"Locked{preprocessor.__name__}", (preprocessor,),
                {"preprocess": preprocess, "__module__": __name__, "__doc__": preprocessor.__doc__})


LockedOverwriteKernelspec = _under_the_lock(OverwriteKernelspec)
LockedOverwriteCells = _under_the_lock(OverwriteCells)
LockedSaveAutoGrades = _under_the_lock(SaveAutoGrades)
LockedAssignLatePenalties = _under_the_lock(AssignLatePenalties)


class LockedAutograde(Autograde):
    """nbgrader's Autograde, holding the gradebook lock while it prepares a hand-in."""

    def init_assignment(self, assignment_id, student_id):
        with _locked():
            return super().init_assignment(assignment_id, student_id)


def _size(msg: dict) -> int:
    content = msg.get("content", {})
    if "text" in content:
        return len(content["text"])
    return sum(len(str(v)) for v in (content.get("data") or {}).values()) + len(str(content.get("traceback", "")))


class GuardedExecute(Execute):
    def preprocess(self, nb, resources=None, km=None):
        self._chars: dict[int, int] = {}
        return super().preprocess(nb, resources, km=km)

    def output(self, outs, msg, display_id, cell_index):
        used = self._chars.get(cell_index, 0)
        if used > MAX_OUTPUT_CHARS:
            return None
        used += _size(msg)
        self._chars[cell_index] = used
        if used > MAX_OUTPUT_CHARS:
            EVENTS.append(("output", cell_index))
            note = new_output("stream", name="stderr",
                              text=f"\n[output cut off by the grader: more than {MAX_OUTPUT_CHARS} characters]\n")
            outs.append(note)
            return None
        return super().output(outs, msg, display_id, cell_index)

    async def _async_handle_timeout(self, timeout, cell=None):
        index = next((i for i, c in enumerate(self.nb.cells) if c is cell), -1)
        EVENTS.append(("timeout", index))
        return await super()._async_handle_timeout(timeout, cell)
