"""Time-domain short-term energy and entropy of energy (pyAudioAnalysis).

Both are computed from the raw (un-windowed) frames of ``frame_length``
samples: an engine :class:`~sklaudio._engine.FrameSpec` with
``input="frames"`` on a plan whose ``n_fft`` is ``frame_length`` (built by
the ``*_spec`` factories, so a composite estimator can share the framing
pass), and a librosa-style function on audio ``y`` returning
``(..., 1, n_frames)``.

Framing follows librosa's ``feature.rms``: with ``center=True`` each clip is
padded by ``frame_length // 2`` samples on both sides (``pad_mode``, zeros
by default) and frame ``t`` is centred on sample ``t * hop_length``
(``1 + n_samples // hop_length`` frames); with ``center=False`` frame ``t``
starts at sample ``t * hop_length`` (``1 + (n_samples - frame_length) //
hop_length`` frames, which is pyAudioAnalysis's framing with
``window=frame_length``, ``step=hop_length``).

Source: T. Giannakopoulos, "pyAudioAnalysis: An Open-Source Python Library
for Audio Signal Analysis", PLoS ONE 10(12), 2015; reference implementation
``pyAudioAnalysis/ShortTermFeatures.py`` (functions ``energy`` and
``energy_entropy``).
"""

from __future__ import annotations

import numpy as np

from .._docstrings import fill_params
from .._engine import FrameSpec
from .._kernels.energy import energy_entropy_rows, energy_rows
from .._params import check_framing, check_int, validate_params
from ._core import _float_dtype, _frame_feature

__all__ = [
    "energy_entropy",
    "energy_entropy_spec",
    "short_term_energy",
    "short_term_energy_spec",
]

#: pyAudioAnalysis's ``eps`` in ``energy_entropy``.
ENTROPY_EPS = 1e-8


# -- validation helpers (shared with the pitch module) ------------------------------------------
def _run_frames(y, spec, frame_length, hop_length, center, pad_mode, n_jobs):
    """Raw frames of ``frame_length`` samples (rectangular window) through one spec."""
    return _frame_feature(y, None, [spec], n_fft=frame_length, hop_length=hop_length,
                          win_length=None, window="boxcar", center=center, pad_mode=pad_mode,
                          n_jobs=n_jobs)[0]


# -- short-term energy --------------------------------------------------------------------------
def short_term_energy_spec(frame_length, dtype) -> FrameSpec:
    """Engine spec of :func:`short_term_energy` (raw-frame input, 1 column).

    The plan must frame with ``n_fft = frame_length`` (``dtype`` is accepted
    for the common ``*_spec`` signature; sums are float64 whatever the frames' dtype).

    Raises
    ------
    ValueError
        If ``frame_length`` is not an integer ``>= 2``.
    """
    check_int("frame_length", frame_length, 2, hint=" (samples)")

    def reduce(frames, out):
        energy_rows(frames, out)

    return FrameSpec(n_out=1, reduce=reduce, input="frames")


@fill_params("frames")
@validate_params({})
def short_term_energy(y, *, frame_length: int = 2048, hop_length: int = 512,
                      center: bool = True, pad_mode: str = "constant",
                      n_jobs=None) -> np.ndarray:
    """Short-term energy: the mean squared sample value of each frame.

    ``E[t] = (1 / L) sum_{n=0}^{L-1} x_t[n] ** 2`` over the ``L = frame_length``
    raw (un-windowed) samples ``x_t`` of frame ``t`` (pyAudioAnalysis
    ``ShortTermFeatures.energy``, formerly ``stEnergy``; Giannakopoulos
    2015). It is the square of librosa's ``feature.rms`` with the same
    framing. Units: squared sample units (``[0, 1]`` for audio in
    ``[-1, 1]``). A silent frame gives 0.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Energy per frame, same float precision as ``y``; ``n_frames`` is
        ``1 + n_samples // hop_length`` when ``center``.

    Raises
    ------
    ValueError
        For non-finite or empty audio, invalid framing parameters, or (with
        ``center=False``) fewer than ``frame_length`` samples.

    See Also
    --------
    energy_entropy, sklaudio.ShortTermEnergy

    References
    ----------
    .. [1] T. Giannakopoulos, "pyAudioAnalysis: an open-source Python library for audio
       signal analysis", PLoS ONE 10(12), 2015;
       https://github.com/tyiannak/pyAudioAnalysis
    .. [2] T. Giannakopoulos and A. Pikrakis, "Introduction to Audio Analysis: A MATLAB
       Approach", Academic Press, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import short_term_energy
    >>> y = 0.5 * np.ones(4000)
    >>> short_term_energy(y, frame_length=256, hop_length=128, center=False)[0, :3]
    array([0.25, 0.25, 0.25])
    """
    frame_length, hop_length = check_framing(frame_length, hop_length, center, pad_mode)
    spec = short_term_energy_spec(frame_length, _float_dtype(y))
    return _run_frames(y, spec, frame_length, hop_length, center, pad_mode, n_jobs)


# -- entropy of energy --------------------------------------------------------------------------
def check_n_sub_frames(n_sub_frames, frame_length):
    """``n_sub_frames`` must be an integer in ``[1, frame_length]``."""
    return check_int("n_sub_frames", n_sub_frames, 1, frame_length,
                      hint=f" (sub-frames per frame of frame_length={frame_length} samples)")


def energy_entropy_spec(frame_length, dtype, *, n_sub_frames=10) -> FrameSpec:
    """Engine spec of :func:`energy_entropy` (raw-frame input, 1 column).

    The plan must frame with ``n_fft = frame_length``.

    Raises
    ------
    ValueError
        If ``frame_length`` is not an integer ``>= 2`` or ``n_sub_frames`` is
        not an integer in ``[1, frame_length]``.
    """
    frame_length = check_int("frame_length", frame_length, 2, hint=" (samples)")
    k = check_n_sub_frames(n_sub_frames, frame_length)

    def reduce(frames, out):
        energy_entropy_rows(frames, k, ENTROPY_EPS, out)

    return FrameSpec(n_out=1, reduce=reduce, input="frames")


@fill_params("frames")
@validate_params({})
def energy_entropy(y, *, frame_length: int = 2048, hop_length: int = 512,
                   center: bool = True, pad_mode: str = "constant", n_sub_frames: int = 10,
                   n_jobs=None) -> np.ndarray:
    """Entropy of energy: how evenly a frame's energy spreads over its sub-frames.

    pyAudioAnalysis ``ShortTermFeatures.energy_entropy(frame, n_short_blocks)``
    (formerly ``stEnergyEntropy``; Giannakopoulos 2015), exactly: with
    ``L = frame_length``, ``K = n_sub_frames`` and ``eps = 1e-8``,

    - ``E = sum_{n=0}^{L-1} x[n] ** 2``, the energy of the whole raw frame;
    - the first ``K * (L // K)`` samples (the frame truncated to a multiple
      of ``K``; the energy ``E`` still includes the dropped tail) are cut
      into ``K`` consecutive sub-frames of ``L // K`` samples, with energies
      ``e_j``;
    - ``s_j = e_j / (E + eps)`` and ``H = -sum_j s_j log2(s_j + eps)``.

    ``H`` is in bits: ``log2 K`` when the energy is spread evenly, near 0
    when it sits in one sub-frame, so low values flag abrupt energy changes
    (onsets, clicks) inside the frame. Bounds: ``H >= -eps / ln 2`` and, for
    ``K >= 3``, ``H <= log2 K``; for ``K <= 2`` ``H <= log2 K + O(eps / E)``
    when ``K`` divides ``L`` (with truncation the dropped tail lowers
    ``sum_j s_j`` below 1 and ``H`` may reach ``K log2(e) / e``). Because of
    ``eps`` the value depends slightly on the signal's scale for very quiet
    frames, as in pyAudioAnalysis; a silent frame gives 0.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    n_sub_frames : int, default=10
        ``K``, the number of sub-frames (pyAudioAnalysis's
        ``n_short_blocks``), ``1 <= K <= frame_length``.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        Entropy in bits, same float precision as ``y`` (computed in float64).

    Raises
    ------
    ValueError
        For non-finite or empty audio, invalid framing parameters,
        ``n_sub_frames`` outside ``[1, frame_length]``, or (with
        ``center=False``) fewer than ``frame_length`` samples.

    See Also
    --------
    short_term_energy, sklaudio.EnergyEntropy

    References
    ----------
    .. [1] T. Giannakopoulos, "pyAudioAnalysis: an open-source Python library for audio
       signal analysis", PLoS ONE 10(12), 2015;
       https://github.com/tyiannak/pyAudioAnalysis
    .. [2] T. Giannakopoulos and A. Pikrakis, "Introduction to Audio Analysis: A MATLAB
       Approach", Academic Press, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import energy_entropy
    >>> steady = np.ones(1000)                   # energy in all 10 sub-frames
    >>> half = np.r_[np.ones(500), np.zeros(500)]  # energy in 5 of them
    >>> kw = dict(frame_length=1000, hop_length=1000, center=False)
    >>> float(energy_entropy(steady, **kw)[0, 0].round(6))   # log2(10)
    3.321928
    >>> float(energy_entropy(half, **kw)[0, 0].round(6))     # log2(5)
    2.321928
    """
    frame_length, hop_length = check_framing(frame_length, hop_length, center, pad_mode)
    spec = energy_entropy_spec(frame_length, _float_dtype(y), n_sub_frames=n_sub_frames)
    return _run_frames(y, spec, frame_length, hop_length, center, pad_mode, n_jobs)
