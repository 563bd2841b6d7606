"""Work done in forked processes: a stage's pool of workers, and one
function worked out in a process of its own while the build goes on
(`Forked`)."""
from __future__ import annotations

import os

import pytest

from quzhou_archive.pipeline.workers import Forked


def squares(n: int) -> dict[int, int]:
    return {k: k * k for k in range(n)}


def fails(_):
    raise OSError("the disk went away")


def test_a_forked_answer_is_the_function_s_answer():
    assert Forked(squares, 1000).result() == squares(1000)


def test_a_forked_process_that_failed_answers_none_and_says_nothing(capfd):
    assert Forked(fails, 1).result() is None
    assert capfd.readouterr() == ("", "")       # the build reports nothing of it: it does the work itself


def test_a_forked_process_stopped_is_waited_for():
    forked = Forked(squares, 10)
    pid = forked.pid
    forked.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
    forked.stop()       # again: nothing is killed, the number may be another process's now


def test_a_process_that_could_not_be_forked_answers_none(monkeypatch):
    def no_more_processes():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_more_processes)
    forked = Forked(squares, 10)
    assert forked.result() is None      # the caller does the work itself
    forked.stop()
