"""``python -m tavus_async``: the same as the ``tavus-async`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
