"""The API's collections: ``tavus.replicas`` and ``tavus.videos``."""

from .replicas import Replicas
from .videos import Videos

__all__ = ["Replicas", "Videos"]
