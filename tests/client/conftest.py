"""The client's tests: an error logged that the test did not announce fails it
(tests/fixtures.py)."""

import pytest


@pytest.fixture(autouse=True)
def errors_are_announced(no_unexpected_errors: None) -> None:
    """An unexpected failure the application only logs (a background call) fails the test."""
