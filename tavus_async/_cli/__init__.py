"""The ``tavus-async`` command line (``tavus_async.cli:main`` is its entry point)."""
