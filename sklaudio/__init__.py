"""sklaudio: audio features as scikit-learn transformers.

Importing this package compiles nothing: Numba kernels compile lazily on first
use and are cached on disk when the package directory (or ``NUMBA_CACHE_DIR``)
is writable.
"""

from ._composite import AudioFeatures
from ._mel import MFCC, MelSpectrogram
from ._spectral import (
    SpectralBandwidth,
    SpectralCentroid,
    SpectralContrast,
    SpectralEntropy,
    SpectralFlatness,
    SpectralFlux,
    SpectralRolloff,
)
from ._version import __version__
from .io import AudioLoader, load

__all__ = [
    "MFCC",
    "AudioFeatures",
    "AudioLoader",
    "MelSpectrogram",
    "SpectralBandwidth",
    "SpectralCentroid",
    "SpectralContrast",
    "SpectralEntropy",
    "SpectralFlatness",
    "SpectralFlux",
    "SpectralRolloff",
    "__version__",
    "load",
]
