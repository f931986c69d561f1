"""The spec as an inspect-ai evaluation: the task, its grader and the `specgen eval` run.

The only package that imports inspect_ai (``task``, ``scorer``, ``messages``,
``tools``, ``run``, ``registry``); ``parts``, ``grading`` and ``selection`` are plain
Python, so they are importable and testable without it. Nothing is imported here: the
CLI imports ``run`` inside the command, inspect imports ``registry`` through its entry
point.
"""
