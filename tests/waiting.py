"""Waiting for what happens in its own time (a worker, a server starting) by its condition, never by a
fixed sleep: poll often, give up late, and say what was waited for when it does not come."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager

import pytest


def wait_until(
    predicate: Callable, *, timeout: float = 20.0, every: float = 0.05, message: str | Callable[[], str]
):
    """Poll ``predicate`` every ``every`` seconds until it returns something truthy, and return that; after
    ``timeout`` seconds fail the test with ``message`` (a callable is asked then, to describe the state)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message
            pytest.fail(f"Gave up after {timeout:g} s: {said}", pytrace=False)
        time.sleep(every)


class TaskTracker:
    """The Celery tasks published while it tracks, and whether each has run: a task published again (a
    retry keeps its id) must run as many times. Tasks published by a task running in the worker count too,
    so "none pending" means every task that was sent, and every task those sent, has run to its end."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: Counter[str] = Counter()  # published minus finished, per task id
        self._names: dict[str, str] = {}
        self.published: list[str] = []  # the names of the tasks published, in order

    def _published(self, sender=None, headers=None, body=None, **kwargs):
        task_id = (headers or {}).get("id") or (body or {}).get("id")  # protocol 2, or 1
        if task_id:
            with self._lock:
                self._pending[task_id] += 1
                self._names[task_id] = str(sender)
                self.published.append(str(sender))

    def _finished(self, task_id=None, **kwargs):
        with self._lock:
            # May come before the publish is counted (a fast worker): the count goes back to 0 then.
            self._pending[task_id] -= 1

    def pending(self) -> list[str]:
        with self._lock:
            return sorted(
                f"{self._names[task_id]}[{task_id}]" for task_id, n in self._pending.items() if n > 0
            )

    def wait_until_all_ran(self, *, timeout: float = 30.0) -> None:
        """Until every task published so far has run (whatever its outcome)."""
        wait_until(
            lambda: not self.pending(), timeout=timeout,
            message=lambda: f"these tasks were published and never ran to their end: {self.pending()}",
        )  # fmt: skip


@contextmanager
def tracked_tasks():
    """A ``TaskTracker`` of the tasks published and run in this process (the thread worker of
    ``tests.conftest.solo_worker`` runs in it)."""
    from celery.signals import after_task_publish, task_postrun

    tracker = TaskTracker()
    after_task_publish.connect(tracker._published, weak=False)
    task_postrun.connect(tracker._finished, weak=False)
    try:
        yield tracker
    finally:
        after_task_publish.disconnect(tracker._published)
        task_postrun.disconnect(tracker._finished)
