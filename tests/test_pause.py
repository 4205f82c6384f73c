"""The collector is paused inside the block and left as it was found after it."""

import gc

import pytest

from radar.engine.pause import paused_gc


def test_collector_paused_inside_and_resumed_after_even_on_error() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_each_call_pauses() -> None:
    @paused_gc()
    def enabled() -> bool:
        return gc.isenabled()

    assert enabled() is False and enabled() is False and gc.isenabled()
