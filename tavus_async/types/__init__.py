"""Each family's models, status enums and settings classes, one module per family.

Models are frozen attrs classes that hold data and never do I/O; they import only attrs
and the shared helpers of ``_core.models``.
"""
