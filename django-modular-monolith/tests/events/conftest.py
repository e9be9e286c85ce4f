from collections.abc import Iterator

import pytest

from . import sample


@pytest.fixture(autouse=True)
def fresh_sample_listeners() -> Iterator[None]:
    sample.calls.clear()
    sample.broken.clear()
    yield
    sample.calls.clear()
    sample.broken.clear()
