"""``python -m tavus_async``: the same as the ``tavus-async`` command."""

from .cli import main

raise SystemExit(main())
