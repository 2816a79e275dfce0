"""Datasets: loaders that download public audio datasets into a local data home.

See :func:`get_data_home` for where files are kept (``SKLAUDIO_DATA``, else
``~/sklaudio_data``).
"""

from ._base import clear_data_home, get_data_home
from ._coughvid import fetch_coughvid
from ._esc50 import fetch_esc50
from ._fsdd import fetch_fsdd
from ._gtzan import fetch_gtzan
from ._ravdess import fetch_ravdess
from ._soundscapes import make_soundscapes
from ._urbansound8k import fetch_urbansound8k

__all__ = ["fetch_fsdd", "fetch_ravdess", "fetch_esc50", "fetch_urbansound8k", "fetch_gtzan",
           "fetch_coughvid", "make_soundscapes", "get_data_home", "clear_data_home"]
