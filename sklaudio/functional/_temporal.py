"""Time-domain frame features: zero-crossing rate and RMS (librosa ``feature.zero_crossing_rate``,
``feature.rms``).

Each feature is an engine :class:`~sklaudio._engine.FrameSpec` built by a
``*_spec(frame_length, dtype, ...)`` factory (``input="frames"``: the raw,
un-windowed frames of a plan whose ``n_fft`` is the ``frame_length``), so a
composite estimator can compute them from the same framing pass as other
features, and a librosa-style function taking audio ``y`` of shape
``(..., n_samples)``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._docstrings import fill_params
from .._engine import FrameSpec, plan_frames, run_features
from .._kernels.temporal import rms_rows, rms_spectrum_rows, zcr_rows
from .._params import check_bool, check_framing, validate_params
from .._validation import ClipBatch
from ._core import _as_audio, _frame_feature, _unbatch

__all__ = ["zero_crossing_rate", "rms", "zcr_spec", "rms_spec"]

#: librosa pads centred zero-crossing-rate frames with edge values (not a parameter).
ZCR_PAD_MODE = "edge"


# -- validation -------------------------------------------------------------------------------
def check_threshold(threshold, ref_magnitude):
    """Validate ``threshold`` and ``ref_magnitude`` of :func:`zero_crossing_rate`."""
    if (isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real)
            or not np.isfinite(threshold) or threshold < 0):
        raise ValueError(
            f"threshold must be a finite number >= 0 (amplitude), got {threshold!r}."
        )
    if ref_magnitude is None or callable(ref_magnitude):
        return float(threshold)
    if (isinstance(ref_magnitude, (bool, np.bool_))
            or not isinstance(ref_magnitude, numbers.Real) or not np.isfinite(ref_magnitude)
            or ref_magnitude <= 0):
        raise ValueError(
            "ref_magnitude must be None, a positive number or a callable (e.g. np.max), got "
            f"{ref_magnitude!r}."
        )
    return float(threshold)


def _time_plan(batch, frame_length, hop_length, center, pad_mode):
    return plan_frames(batch, n_fft=frame_length, hop_length=hop_length, win_length=None,
                       window="boxcar", center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)


# -- zero-crossing rate -----------------------------------------------------------------------
def zcr_spec(frame_length, dtype, *, threshold=1e-10, ref_magnitude=None, zero_pos=True,
             pad=False) -> FrameSpec:
    """Engine spec of :func:`zero_crossing_rate` (``input="frames"``, 1 column).

    The plan must frame with ``n_fft = frame_length``, a rectangular window
    and (for librosa's result with ``center=True``) ``pad_mode="edge"``.
    ``ref_magnitude`` may be None or a positive number (the threshold becomes
    ``threshold * ref_magnitude``); a callable depends on the whole clip and
    is handled by :func:`zero_crossing_rate` instead.

    Raises
    ------
    ValueError
        For a bad parameter, or a callable ``ref_magnitude``.
    """
    if (isinstance(frame_length, (bool, np.bool_))
            or not isinstance(frame_length, numbers.Integral) or frame_length < 2):
        raise ValueError(f"frame_length must be an integer >= 2 (samples), got {frame_length!r}.")
    threshold = check_threshold(threshold, ref_magnitude)
    if callable(ref_magnitude):
        raise ValueError(
            "zcr_spec needs a fixed threshold: a callable ref_magnitude depends on each whole "
            "clip; use zero_crossing_rate (or the ZeroCrossingRate estimator) for it."
        )
    if ref_magnitude is not None:
        threshold = threshold * float(ref_magnitude)
    zero_pos = check_bool("zero_pos", zero_pos)
    pad = check_bool("pad", pad)
    thr = np.array([threshold], dtype=dtype)

    def reduce(frames, out):
        zcr_rows(frames, thr, zero_pos, pad, out)

    return FrameSpec(n_out=1, reduce=reduce, input="frames")


def zcr_frames(batch: ClipBatch, *, frame_length=2048, hop_length=512, center=True,
               threshold=1e-10, ref_magnitude=None, pad=False, zero_pos=True, n_jobs=None):
    """Zero-crossing rate of every frame of a batch: ``((n_frames_total, 1), frame_offsets)``."""
    frame_length, hop_length = check_framing(frame_length, hop_length, center, ZCR_PAD_MODE,
                                             hop_none=False)
    threshold = check_threshold(threshold, ref_magnitude)
    zero_pos = check_bool("zero_pos", zero_pos)
    pad = check_bool("pad", pad)
    plan = _time_plan(batch, frame_length, hop_length, center, ZCR_PAD_MODE)
    dtype = batch.samples.dtype
    if not callable(ref_magnitude):
        spec = zcr_spec(frame_length, dtype, threshold=threshold, ref_magnitude=ref_magnitude,
                        zero_pos=zero_pos, pad=pad)
        return run_features(batch, plan, [spec], n_jobs)[0], plan.frame_offsets
    # A callable reference is evaluated per clip on |frames| (frame_length, n_frames), the
    # array librosa passes it; the threshold may be a scalar or one value per frame.
    fo = plan.frame_offsets
    out = np.empty((plan.n_frames, 1), dtype=dtype)
    half = frame_length // 2
    for i in range(batch.n_clips):
        x = batch.clip(i)
        if center:
            x = np.pad(x, half, mode=ZCR_PAD_MODE)
        n_frames = int(fo[i + 1] - fo[i])
        frames = np.lib.stride_tricks.sliding_window_view(x, frame_length)[::hop_length]
        frames = frames[:n_frames]
        ref = np.asarray(ref_magnitude(np.abs(frames).T))
        thr = np.asarray(threshold * ref, dtype=dtype)
        if thr.size == 1:
            thr = thr.reshape(1)
        elif thr.size == n_frames and thr.ndim >= 1 and thr.shape[-1] == n_frames:
            thr = np.ascontiguousarray(thr.reshape(n_frames))
        else:
            raise ValueError(
                f"ref_magnitude returned shape {np.shape(ref)} for clip {i}; it must return a "
                f"scalar or one value per frame ({n_frames},) from |frames| of shape "
                f"({frame_length}, {n_frames})."
            )
        if not np.all(np.isfinite(thr)):
            raise ValueError(f"ref_magnitude returned a non-finite value for clip {i}.")
        zcr_rows(frames, thr, zero_pos, pad, out[fo[i]:fo[i + 1]])
    return out, fo


@fill_params("frames")
@validate_params({})
def zero_crossing_rate(y, *, frame_length: int = 2048, hop_length: int = 512,
                       center: bool = True, threshold: float = 1e-10, ref_magnitude=None,
                       pad: bool = False, zero_pos: bool = True, n_jobs=None) -> np.ndarray:
    """Zero-crossing rate: the fraction of sign changes in each frame.

    Samples with ``|x| <= thr`` count as 0, where ``thr = threshold`` or
    ``threshold * ref_magnitude`` (``ref_magnitude(|frames|)`` if callable).
    With ``zero_pos`` 0 counts as positive, else ``-1, 0, +1`` are three
    distinct signs. In each frame of ``frame_length`` samples, sample ``i >= 1``
    crosses when its sign differs from sample ``i - 1``'s; sample 0 crosses
    iff ``pad``::

        zcr[t] = (pad + #{i >= 1 : sign(x[i]) != sign(x[i-1])}) / frame_length

    so ``0 <= zcr <= 1`` (at most ``(frame_length - 1) / frame_length``
    without ``pad``). With ``center`` the clip is padded by
    ``frame_length // 2`` copies of its edge samples (librosa's "edge"
    padding for this feature). Equals librosa ``feature.zero_crossing_rate``
    (which calls ``zero_crossings`` with ``pad=False``). Dimensionless. A
    silent clip gives 0.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples)
        Audio; integers are cast to float64.
    center : bool, default=True
        Centre frame ``t`` at sample ``t * hop_length`` (edge padding).
    threshold : float, default=1e-10
        Amplitudes within ``[-thr, thr]`` are treated as 0; ``>= 0``.
    ref_magnitude : float, callable or None, default=None
        Scale of ``threshold``: a positive number, or a callable applied to
        ``np.abs`` of each clip's frames (shape ``(frame_length, n_frames)``)
        returning a scalar or one value per frame (e.g. ``np.max``). Each
        leading row (clip) gets its own reference; librosa evaluates it on
        all channels at once.
    pad : bool, default=False
        Count each frame's first sample as a crossing.
    zero_pos : bool, default=True
        Treat 0 as positive.

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        ``n_frames = 1 + n_samples // hop_length`` when ``center``, else
        ``1 + (n_samples - frame_length) // hop_length``.

    Raises
    ------
    ValueError
        For invalid audio, ``frame_length < 2``, ``hop_length < 1``,
        ``threshold < 0``, a non-positive ``ref_magnitude``, a callable
        returning the wrong shape, or (``center=False``) a clip shorter than
        ``frame_length``.

    References
    ----------
    .. [1] librosa ``feature.zero_crossing_rate``,
       https://librosa.org/doc/latest/generated/librosa.feature.zero_crossing_rate.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import zero_crossing_rate
    >>> y = np.tile([1.0, -1.0], 4000)
    >>> zero_crossing_rate(y, frame_length=256, hop_length=128, center=False)[0, :3]
    array([0.99609375, 0.99609375, 0.99609375])
    """
    batch, lead = _as_audio(y)
    feats, offs = zcr_frames(batch, frame_length=frame_length, hop_length=hop_length,
                             center=center, threshold=threshold, ref_magnitude=ref_magnitude,
                             pad=pad, zero_pos=zero_pos, n_jobs=n_jobs)
    return _unbatch(feats, offs, lead)


# -- RMS --------------------------------------------------------------------------------------
def rms_spec(frame_length, dtype, *, spectrum=False) -> FrameSpec:
    """Engine spec of :func:`rms` (1 column).

    ``spectrum=False``: from the raw frames (``input="frames"``, plan with
    ``n_fft = frame_length`` and a rectangular window). ``spectrum=True``:
    from the magnitude spectrum (``input="spectrum"``, ``power=1``) of a plan
    with ``n_fft = frame_length``, by librosa's ``rms(S=...)`` formula.
    ``dtype`` is unused (uniform factory signature).
    """
    if (isinstance(frame_length, (bool, np.bool_))
            or not isinstance(frame_length, numbers.Integral) or frame_length < 2):
        raise ValueError(f"frame_length must be an integer >= 2 (samples), got {frame_length!r}.")
    frame_length = int(frame_length)
    if check_bool("spectrum", spectrum):
        n_bins = frame_length // 2 + 1

        def reduce_spectrum(S, out):
            if S.shape[1] != n_bins:
                raise ValueError(
                    f"The spectrum has {S.shape[1]} bins but frame_length={frame_length} needs "
                    f"{n_bins}."
                )
            rms_spectrum_rows(S, frame_length, out)

        return FrameSpec(n_out=1, reduce=reduce_spectrum, input="spectrum", power=1.0)

    def reduce(frames, out):
        rms_rows(frames, out)

    return FrameSpec(n_out=1, reduce=reduce, input="frames")


@fill_params("frames")
@validate_params({})
def rms(y=None, *, S=None, frame_length: int = 2048, hop_length: int = 512, center: bool = True,
        pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Root-mean-square amplitude of each frame, from audio ``y`` or a spectrogram ``S``.

    From ``y``: ``rms[t] = sqrt(mean_i x_t[i] ** 2)`` over the ``frame_length``
    raw (un-windowed) samples of frame ``t``; with ``center`` the clip is padded
    by ``frame_length // 2`` samples on each side with ``pad_mode``.
    From a magnitude spectrogram ``S`` (Parseval, librosa's formula)::

        rms[t] = sqrt(2 sum_k w[k] S[k, t] ** 2 / frame_length ** 2)

    with ``w = 1/2`` at DC and, for an even ``frame_length``, at the Nyquist
    bin, else 1. Units: those of ``y`` (amplitude). Equals librosa
    ``feature.rms`` (which returns float32 by default; here the output has
    ``y``'s or ``S``'s float precision, accumulated in float64). A silent clip
    gives 0.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required; ``y`` wins if both are
        given (as in librosa).
    S : ndarray of shape (..., frame_length // 2 + 1, n_frames), optional
        Magnitude spectrogram (complex values are replaced by their modulus).

    Returns
    -------
    ndarray of shape (..., 1, n_frames)
        The RMS amplitude per frame.

    Raises
    ------
    ValueError
        For invalid audio or spectrogram, bad framing parameters, an ``S``
        whose number of bins is not ``frame_length // 2 + 1``, neither ``y``
        nor ``S``, or (``center=False``) a clip shorter than ``frame_length``.

    References
    ----------
    .. [1] librosa ``feature.rms``,
       https://librosa.org/doc/latest/generated/librosa.feature.rms.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import rms
    >>> y = 0.5 * np.sin(2 * np.pi * np.arange(22050) / 64)   # 32 periods per frame
    >>> float(np.round(np.median(rms(y)), 4))  # 0.5 / sqrt(2)
    0.3536
    """
    if y is None and S is not None:
        S = np.asarray(S)
        if S.ndim < 2:
            raise ValueError(f"S must have shape (..., n_bins, n_frames), got {S.shape}.")
        if S.dtype.kind == "c":
            S = np.abs(S)
        spec = rms_spec(frame_length, S.dtype, spectrum=True)  # validates frame_length
        if S.shape[-2] != int(frame_length) // 2 + 1:
            raise ValueError(
                f"S has {S.shape[-2]} frequency bins, so frame_length must be "
                f"{2 * S.shape[-2] - 2} or {2 * S.shape[-2] - 1}; got {frame_length!r}."
            )
        return _frame_feature(None, S, [spec])[0]
    if y is None:
        raise ValueError("Either y (audio) or S (magnitude spectrogram) is required.")
    frame_length, hop_length = check_framing(frame_length, hop_length, center, pad_mode,
                                             hop_none=False)
    batch, lead = _as_audio(y)
    plan = _time_plan(batch, frame_length, hop_length, center, pad_mode)
    out = run_features(batch, plan, [rms_spec(frame_length, batch.samples.dtype)], n_jobs)[0]
    return _unbatch(out, plan.frame_offsets, lead)
