"""The core: what every family's calls go through, knowing no family.

The request path (``request_path``: session, slots, the one exchange, retries, body reads,
redaction), what a response means (``responses``), the converter (``convert``), argument
checks (``arguments``), paging (``paging``) and downloads (``download``). Nothing here
imports a family: families register with the converter by what they are (see
``convert``), and reach the request path through the ``Requester`` protocol.
"""
