"""What the tests share besides fixtures, one module per theme.

``tests/`` is on ``sys.path`` (pyproject.toml's ``pythonpath``), so a test module imports
``from _support.http import BASE``; no test imports ``conftest`` or another test module.
The fixtures themselves live in the ``conftest.py`` of the folder that uses them.

- ``http``: the key and base url of mocked Tavus, what a mock was sent, loopback servers.
- ``clocks``: ``FakeClock``, the emulator's manual clock that remembers its pauses.
- ``emulator``: FakeTavus on a manual clock: job lengths, a quick policy, a stock replica.
- ``waits``: ``wait_many`` on mocked Tavus: a quick deadline, its outcomes gathered.
- ``paging``: a mocked list endpoint serving pages from a table.
- ``json_strategies``: Hypothesis strategies for the JSON a server could send, and checks.
- ``fake_http``: plain HTTP requests to FakeTavus, without the SDK.
- ``callbacks``, ``cli``, ``cli_batch``: what the callback and command line tests share.
- ``faults``: the seeded fault suite's model and the runs that play it.
"""
