"""nbgrader's Execute preprocessor, adapted for grading many hand-ins at once.

- Output is capped per cell while it arrives (nbgrader's LimitOutput only
  trims after the cell has finished, by which time an endless ``print`` loop
  may have filled the grader's memory).
- Time-outs and cut output are recorded in ``EVENTS`` for the trainer's report.
- The gradebook lock is released while the kernel runs, so several workers
  execute notebooks in parallel while their gradebook writes stay serial.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

MAX_OUTPUT_CHARS = 100_000

# (kind, cell index) events of the notebook being graded; reset by the worker.
EVENTS: list[tuple[str, int]] = []
# Set by the worker: callables that release and re-take the gradebook lock.
LOCK_HOOKS: dict[str, object] = {}


def _size(msg: dict) -> int:
    content = msg.get("content", {})
    if "text" in content:
        return len(content["text"])
    return sum(len(str(v)) for v in (content.get("data") or {}).values()) + len(str(content.get("traceback", "")))


class GuardedExecute(Execute):
    def preprocess(self, nb, resources=None, km=None):
        self._chars: dict[int, int] = {}
        release, acquire = LOCK_HOOKS.get("release"), LOCK_HOOKS.get("acquire")
        if release:
            release()
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            if acquire:
                acquire()

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
