"""The family record's tests run on a frozen day (ages, school years, audit dates); `records` gives
the family's first child one of every sub-record."""

import pytest
import time_machine

from .factories import child_with_records


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel("2026-11-27 10:00 +01:00", tick=False):
        yield


@pytest.fixture
def records(family) -> dict:
    return child_with_records(family.child)
