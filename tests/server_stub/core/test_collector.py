"""The cycle collector held during bulk work, and running again after it."""

from __future__ import annotations

import gc

import pytest

from server_stub.core import collector


def test_the_collector_is_held_during_the_work_and_runs_again_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # work within work: held until the outer work ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_work_fails() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_held_by_someone_else_stays_held() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
