"""HR completion tracking with the minimum of personal data.

load -> compute -> plot -> write, one small module per step:

- ``roster``: the HR roster CSV, validated line by line
- ``rule``: the completion rule file (defaults, validation naming the key)
- ``gradebooks``: attempts from the lunch sessions' nbgrader gradebooks
- ``completion``: pure functions on DataFrames (who completed, aggregates,
  small-group protection)
- ``charts``: matplotlib drawings on a given ``ax``
- ``report``: the self-contained report.html
- ``exports``: completion.csv, completion_items.csv, reminders.csv, xapi.jsonl
- ``pipeline``: ``run_report``, the typed API behind ``ambassador progress report``
- ``demo``: a synthetic organisation for the demo, benchmark and tests
"""
