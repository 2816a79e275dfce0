"""Datasets: loaders that download public audio datasets into a local data home.

See :func:`get_data_home` for where files are kept (``SKLAUDIO_DATA``, else
``~/sklaudio_data``).
"""

from ._base import clear_data_home, get_data_home
from ._fsdd import fetch_fsdd
from ._ravdess import fetch_ravdess
from ._soundscapes import make_soundscapes

__all__ = ["fetch_fsdd", "fetch_ravdess", "make_soundscapes", "get_data_home", "clear_data_home"]
