"""sklaudio: audio features as scikit-learn transformers.

Importing this package compiles nothing: Numba kernels compile lazily on first
use and are cached on disk when the package directory (or ``NUMBA_CACHE_DIR``)
is writable.
"""

from ._cepstral import BFCC, GFCC, LFCC, GammatoneSpectrogram
from ._chroma import Chroma
from ._composite import AudioFeatures
from ._energy import EnergyEntropy, ShortTermEnergy
from ._lpc import LPC, LPCC, Cepstrum
from ._mel import MFCC, MelSpectrogram
from ._patches import LogMelPatches
from ._pitch import Pitch
from ._pncc import PNCC
from ._spectral import (
    SpectralBandwidth,
    SpectralCentroid,
    SpectralContrast,
    SpectralEntropy,
    SpectralFlatness,
    SpectralFlux,
    SpectralRolloff,
)
from ._temporal import RMS, ZeroCrossingRate
from ._trim import Trim
from ._version import __version__
from ._voice import HNR, SpectralBalance
from ._windows import WindowedClassifier
from .io import AudioLoader, load

__all__ = [
    "LPC",
    "LPCC",
    "MFCC",
    "RMS",
    "BFCC",
    "GFCC",
    "LFCC",
    "PNCC",
    "AudioFeatures",
    "AudioLoader",
    "Cepstrum",
    "Chroma",
    "EnergyEntropy",
    "GammatoneSpectrogram",
    "LogMelPatches",
    "Pitch",
    "HNR",
    "SpectralBalance",
    "ShortTermEnergy",
    "Trim",
    "WindowedClassifier",
    "ZeroCrossingRate",
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
