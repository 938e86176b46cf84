"""The ``tavus-async`` command line's entry point (the console script ``tavus_async.cli:main``)."""

from ._cli.main import main

__all__ = ["main"]
