"""The examples in the package's docstrings run and print what they show."""
import doctest
import importlib

import pytest

MODULES = ["tessel", "tessel._api", "tessel._device", "tessel._errors", "tessel._files",
           "tessel._kernel", "tessel._memory", "tessel._numpy", "tessel.ndimage",
           "tessel.signal", "tessel.dask", "tessel.dask._files"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
