"""Chromagram from the STFT and tuning estimation (librosa ``feature.chroma_stft``,
``estimate_tuning``, ``pitch_tuning``).

:func:`chroma_spec` and :func:`tuning_spec` build engine
:class:`~sklaudio._engine.FrameSpec` objects, so a composite estimator can
compute chroma (for a fixed tuning) from the same STFT pass as other features.
Estimating the tuning (``tuning=None``) needs each whole clip first, so it
costs one extra pass: the peaks of every frame are collected, each clip's
tuning is the histogram peak of its strong peaks' deviations from the
equal-tempered grid, and the chroma is then computed with each clip's own
(cached) filterbank.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np

from .. import filters
from .._docstrings import fill_params
from .._engine import FrameSpec, plan_frames, run_features
from .._kernels.chroma import (
    NORM_INF,
    NORM_NEG_INF,
    NORM_NONE,
    NORM_P,
    NORM_ZERO,
    chroma_rows,
    tuning_peaks_rows,
)
from .._params import check_int, check_real, raise_invalid, validate_params
from .._validation import ClipBatch
from ..filters import chroma
from ..filters._chroma import check_chroma_params, check_norm
from ._core import _as_audio, _check_spectrogram, _unbatch

__all__ = ["chroma_stft", "chroma_spec", "estimate_tuning", "pitch_tuning", "tuning_spec"]


# -- validation -------------------------------------------------------------------------------
def chroma_norm_code(norm):
    norm = check_norm("norm", norm)
    if norm is None:
        return NORM_NONE, 0.0
    if norm == np.inf:
        return NORM_INF, 0.0
    if norm == -np.inf:
        return NORM_NEG_INF, 0.0
    if norm == 0:
        return NORM_ZERO, 0.0
    return NORM_P, float(norm)


def _check_tuning_params(resolution, bins_per_octave):
    resolution = check_real("resolution", resolution, low=0, low_open=True, high=1.0,
                             unit="fraction of a bin")
    return resolution, check_int("bins_per_octave", bins_per_octave, 1)


# -- chroma -----------------------------------------------------------------------------------
def chroma_spec(sample_rate, n_fft, dtype, *, tuning=0.0, n_chroma=12, ctroct=5.0, octwidth=2,
                base_c=True, norm=np.inf) -> FrameSpec:
    """Engine spec of :func:`chroma_stft` for a fixed ``tuning`` (power spectrum, ``n_chroma`` columns).

    Reads ``|STFT| ** 2`` and writes the normalised chroma of each frame with
    the dense filterbank :func:`sklaudio.filters.chroma` (one fused Numba
    pass: the 12 x n_bins product and the normalisation).

    Raises
    ------
    ValueError
        For invalid filterbank or normalisation parameters, or ``tuning=None``
        (estimation needs whole clips; see :func:`chroma_stft`).
    """
    if tuning is None:
        raise ValueError(
            "chroma_spec needs a fixed tuning (fraction of a chroma bin); tuning=None "
            "(estimated per clip) is handled by chroma_stft and the Chroma estimator."
        )
    code, p = chroma_norm_code(norm)
    W = chroma(sample_rate=sample_rate, n_fft=n_fft, n_chroma=n_chroma, tuning=tuning,
               ctroct=ctroct, octwidth=octwidth, norm=2, base_c=base_c, dtype=dtype)

    def reduce(S, out):
        chroma_rows(S, W, code, p, out)

    return FrameSpec(n_out=int(n_chroma), reduce=reduce, input="spectrum", power=2.0)


def _chroma_params(sample_rate, n_fft, tuning, n_chroma, ctroct, octwidth, base_c, norm):
    """Validate everything up front (so errors never come from inside a pass)."""
    check_chroma_params(sample_rate=sample_rate, n_fft=n_fft, n_chroma=n_chroma,
                        tuning=0.0 if tuning is None else tuning, ctroct=ctroct,
                        octwidth=octwidth, norm=2, base_c=base_c)
    chroma_norm_code(norm)


def chroma_frames(batch: ClipBatch, *, sample_rate=22050, n_fft=2048, hop_length=512,
                  win_length=None, window="hann", center=True, pad_mode="constant",
                  tuning=None, n_chroma=12, ctroct=5.0, octwidth=2, base_c=True, norm=np.inf,
                  n_jobs=None):
    """Chroma of every frame of a batch: ``((n_frames_total, n_chroma), frame_offsets, tunings)``.

    ``tunings`` is the per-clip tuning used, float64 ``(n_clips,)``.
    """
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    _chroma_params(sample_rate, plan.n_fft, tuning, n_chroma, ctroct, octwidth, base_c, norm)
    dtype = batch.samples.dtype
    kw = dict(n_chroma=n_chroma, ctroct=ctroct, octwidth=octwidth, base_c=base_c, norm=norm)
    if tuning is not None:
        spec = chroma_spec(sample_rate, plan.n_fft, dtype, tuning=tuning, **kw)
        feats = run_features(batch, plan, [spec], n_jobs)[0]
        return feats, plan.frame_offsets, np.full(batch.n_clips, float(tuning))
    tunings = _batch_tunings(batch, plan, sample_rate, 2 * (plan.n_bins - 1),
                             bins_per_octave=n_chroma, n_jobs=n_jobs)
    fo = plan.frame_offsets
    values = np.unique(tunings)
    if values.size == 1:
        spec = chroma_spec(sample_rate, plan.n_fft, dtype, tuning=float(values[0]), **kw)
        return run_features(batch, plan, [spec], n_jobs)[0], fo, tunings
    feats = np.empty((plan.n_frames, int(n_chroma)), dtype=dtype)
    for v in values:
        idx = np.flatnonzero(tunings == v)
        sub = ClipBatch(np.concatenate([batch.clip(i) for i in idx]),
                        np.concatenate(([0], np.cumsum(batch.lengths[idx]))).astype(np.int64))
        sub_plan = plan_frames(sub, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                               window=window, center=center, pad_mode=pad_mode, dtype=dtype)
        spec = chroma_spec(sample_rate, plan.n_fft, dtype, tuning=float(v), **kw)
        rows = np.concatenate([np.arange(fo[i], fo[i + 1]) for i in idx])
        feats[rows] = run_features(sub, sub_plan, [spec], n_jobs)[0]
    return feats, fo, tunings


@fill_params()
@validate_params({})
def chroma_stft(y=None, *, sample_rate: float = 22050, S=None, norm: float | None = np.inf,
                n_fft: int = 2048, hop_length: int = 512, win_length: int | None = None,
                window="hann", center: bool = True, pad_mode: str = "constant",
                tuning: float | None = None, n_chroma: int = 12, ctroct: float = 5.0,
                octwidth: float | None = 2, base_c: bool = True, n_jobs=None) -> np.ndarray:
    """Chromagram: the energy of each pitch class in each frame.

    ``C[c, t] = sum_k W[c, k] |STFT[k, t]| ** 2`` with ``W`` the chroma
    filterbank (:func:`sklaudio.filters.chroma`, column norm 2, octave
    dominance window ``ctroct``/``octwidth``), then each frame normalised with
    ``norm`` (default: divided by its maximum, so the strongest pitch class is
    1), as librosa ``util.normalize`` -- a frame whose norm is below the float
    ``tiny`` (silence) is left unnormalised, i.e. all zero. Equals librosa
    ``feature.chroma_stft`` (Ellis 2007, ``chromagram_E``). Rows are the pitch
    classes C, C#, ..., B (``base_c``; A, A#, ... otherwise). Dimensionless.

    With ``tuning=None`` (librosa's default) each clip's tuning is estimated
    from its power spectrogram as :func:`estimate_tuning` does
    (``bins_per_octave=n_chroma``, resolution 0.01); this costs a second STFT
    pass. Each leading row (clip) of ``y`` gets its own tuning; librosa
    estimates one for all channels together.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed power spectrogram (non-negative); ``n_fft`` is then
        ``2 (n_bins - 1)``.
    norm : float or None, default=np.inf
        Frame normalisation: ``np.inf`` (max), ``-np.inf``, ``0``, ``p > 0``
        or None.
    ctroct : float, default=5.0
        Centre (octaves above A0 = 27.5 Hz) of the octave dominance window.
    octwidth : float or None, default=2
        Gaussian half-width of the dominance window in octaves; None: flat.
    base_c : bool, default=True
        First row is C (else A).

    Returns
    -------
    ndarray of shape (..., n_chroma, n_frames)
        Same float precision as ``y`` (or ``S``).

    Raises
    ------
    ValueError
        For invalid audio or spectrogram, a negative ``S``, or invalid STFT,
        filterbank or normalisation parameters.

    References
    ----------
    .. [1] D. P. W. Ellis, "Chroma feature analysis and synthesis", web resource, 2007,
       https://www.ee.columbia.edu/~dpwe/resources/matlab/chroma-ansyn/
    .. [2] librosa ``feature.chroma_stft``,
       https://librosa.org/doc/latest/generated/librosa.feature.chroma_stft.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import chroma_stft
    >>> y = np.sin(2 * np.pi * 440.0 * np.arange(22050) / 22050)   # A4
    >>> C = chroma_stft(y, sample_rate=22050, tuning=0.0)
    >>> int(np.argmax(C[:, 20]))   # rows C, C#, ..., A is row 9
    9
    """
    kw = dict(n_chroma=n_chroma, ctroct=ctroct, octwidth=octwidth, base_c=base_c, norm=norm)
    if S is None:
        batch, lead = _as_audio(y)
        feats, offs, _ = chroma_frames(batch, sample_rate=sample_rate, n_fft=n_fft,
                                       hop_length=hop_length, win_length=win_length,
                                       window=window, center=center, pad_mode=pad_mode,
                                       tuning=tuning, n_jobs=n_jobs, **kw)
        return _unbatch(feats, offs, lead)
    rows, offs, lead, T = _spectrogram_rows(S, "Chroma")
    n_fft = 2 * (rows.shape[1] - 1)
    _chroma_params(sample_rate, n_fft, tuning, n_chroma, ctroct, octwidth, base_c, norm)
    n_lead = len(offs) - 1
    if tuning is None:
        tunings = _rows_tunings(rows, offs, sample_rate, n_fft, bins_per_octave=n_chroma)
    else:
        tunings = np.full(n_lead, float(tuning))
    out = np.empty((n_lead, T, int(n_chroma)), dtype=rows.dtype)
    rows3 = rows.reshape(n_lead, T, -1)
    for v in np.unique(tunings):
        idx = np.flatnonzero(tunings == v)
        spec = chroma_spec(sample_rate, n_fft, rows.dtype, tuning=float(v), **kw)
        o = np.empty((idx.size * T, int(n_chroma)), dtype=rows.dtype)
        spec.reduce(np.ascontiguousarray(rows3[idx].reshape(-1, rows.shape[1])), o)
        out[idx] = o.reshape(idx.size, T, -1)
    return _unbatch(out.reshape(-1, int(n_chroma)), offs, lead)


def _spectrogram_rows(S, what):
    """(..., n_bins, T) non-negative spectrogram -> frames-first rows, offsets, lead, T."""
    S = _check_spectrogram(
        S, nonnegative=f"{what} needs a non-negative spectrogram S; pass np.abs(S) ** 2",
        min_bins=2)
    dt = S.dtype if S.dtype.kind == "f" and S.dtype.itemsize >= 4 else np.float64
    lead = S.shape[:-2]
    n_bins, T = S.shape[-2:]
    rows = np.ascontiguousarray(np.swapaxes(S, -1, -2).reshape(-1, n_bins), dtype=dt)
    offs = np.arange(0, rows.shape[0] + 1, T, dtype=np.int64)
    return rows, offs, lead, T


# -- tuning -----------------------------------------------------------------------------------
@validate_params({})
def pitch_tuning(frequencies, *, resolution: float = 0.01, bins_per_octave: int = 12) -> float:
    """Tuning offset of a set of frequencies: the peak of their deviation histogram.

    Each frequency ``f > 0`` is placed on the equal-tempered grid,
    ``r = mod(bins_per_octave log2(f / 27.5), 1)``, folded to ``[-0.5, 0.5)``
    (``r - 1`` where ``r >= 0.5``); the deviations are histogrammed with
    ``ceil(1 / resolution)`` equal bins on ``[-0.5, 0.5]`` and the left edge
    of the fullest bin is returned. Equals librosa ``pitch_tuning``.

    Parameters
    ----------
    frequencies : array-like
        Frequencies in Hz (values ``<= 0`` are ignored).
    resolution : float, default=0.01
        Histogram bin width in fractions of a bin, in ``(0, 1]``.
    bins_per_octave : int, default=12
        Bins per octave of the deviation histogram.

    Returns
    -------
    float
        Tuning in fractions of a bin, in ``[-0.5, 0.5)``; 0.0 (with a
        ``UserWarning``, as librosa) when no frequency is positive.

    Raises
    ------
    ValueError
        For a bad ``resolution`` or ``bins_per_octave``, or non-finite
        frequencies.

    References
    ----------
    .. [1] librosa ``pitch_tuning``,
       https://librosa.org/doc/latest/generated/librosa.pitch_tuning.html

    Examples
    --------
    >>> from sklaudio.functional import pitch_tuning
    >>> pitch_tuning([440.0 * 2 ** (0.25 / 12), 220.0 * 2 ** (0.25 / 12)])
    0.25
    """
    resolution, bins_per_octave = _check_tuning_params(resolution, bins_per_octave)
    f = np.atleast_1d(np.asarray(frequencies, dtype=np.float64)).ravel()
    if not np.all(np.isfinite(f)):
        raise ValueError("frequencies contains NaN or inf.")
    f = f[f > 0]
    if f.size == 0:
        warnings.warn("Trying to estimate tuning from empty frequency set.", UserWarning,
                      stacklevel=3)  # the caller of pitch_tuning (past validate_params)
        return 0.0
    return float(_clip_tunings(f, np.zeros(f.size, dtype=np.int64), 1, resolution,
                               bins_per_octave)[0])


def _clip_tunings(freqs, clip, n_clips, resolution, bins_per_octave):
    """librosa ``pitch_tuning`` of each clip's frequencies (grouped by ``clip``), vectorised.

    The deviations and the histogram are computed exactly as NumPy does for
    librosa (``np.histogram`` with explicit edges: ``edges[i] <= r <
    edges[i + 1]``, NaN dropped). Clips without frequencies get 0.0; clips
    whose frequencies all fall outside the histogram (only subnormal ones
    can) get the first edge, -0.5, as librosa's ``argmax`` of empty counts.
    """
    with np.errstate(divide="ignore", invalid="ignore"):   # subnormal f / 27.5 -> log2(0)
        residual = np.mod(bins_per_octave * np.log2(freqs / (440.0 / 16)), 1.0)
    residual[residual >= 0.5] -= 1.0
    edges = np.linspace(-0.5, 0.5, int(np.ceil(1.0 / resolution)) + 1)
    nb = edges.size - 1
    binned = np.isfinite(residual)          # np.histogram drops NaN
    idx = np.clip(np.searchsorted(edges, residual[binned], side="right") - 1, 0, nb - 1)
    counts = np.bincount(clip[binned] * nb + idx, minlength=n_clips * nb).reshape(n_clips, nb)
    out = edges[np.argmax(counts, axis=1)]
    out[np.bincount(clip, minlength=n_clips) == 0] = 0.0
    return out


def _peaks_tunings(pitch, mag, counts, frame_offsets, resolution, bins_per_octave):
    """Per-clip tuning from all frames' peaks (librosa ``estimate_tuning`` after ``piptrack``).

    A clip's strong peaks are those whose magnitude is at least the median
    magnitude of all its peaks; their frequencies go to :func:`_clip_tunings`.
    """
    n_clips = len(frame_offsets) - 1
    clip_of_frame = np.repeat(np.arange(n_clips), np.diff(frame_offsets))
    clip = np.repeat(clip_of_frame, counts)
    keep = pitch > 0
    pitch, mag, clip = pitch[keep], mag[keep], clip[keep]
    n_per = np.bincount(clip, minlength=n_clips)
    start = np.concatenate(([0], np.cumsum(n_per)[:-1]))
    sorted_mag = mag[np.lexsort((mag, clip))]
    has = n_per > 0
    lo = (start + (n_per - 1) // 2)[has]
    hi = (start + n_per // 2)[has]
    median = np.zeros(n_clips)
    median[has] = (sorted_mag[lo] + sorted_mag[hi]) / 2
    strong = mag >= median[clip]
    return _clip_tunings(pitch[strong], clip[strong], n_clips, resolution, bins_per_octave)


def _tuning_parts(sample_rate, n_fft, dtype, *, power=2.0, fmin=150.0, fmax=4000.0,
                  threshold=0.1, resolution=0.01, bins_per_octave=12):
    """(spec, result) where ``result["tunings"]`` holds the float64 per-clip tunings after finalize."""
    sample_rate = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    n_fft = check_int("n_fft", n_fft, 2, hint=" (samples)")
    power = check_real("power", power, low=0, low_open=True)
    fmin = check_real("fmin", fmin, unit="Hz")
    fmax = check_real("fmax", fmax, unit="Hz")
    threshold = check_real("threshold", threshold, low=0)
    resolution, bins_per_octave = _check_tuning_params(resolution, bins_per_octave)
    fmin_eff = max(fmin, 0.0)
    fmax_eff = min(fmax, sample_rate / 2)
    if not fmin_eff < fmax_eff:
        raise_invalid("fmin", f"below fmax within [0, sample_rate / 2 = {sample_rate / 2}] Hz "
                      f"(fmax={fmax!r})", fmin)
    freqs = filters.fft_frequencies(sample_rate=sample_rate, n_fft=int(n_fft))
    in_band = np.flatnonzero((fmin_eff <= freqs) & (freqs < fmax_eff))
    k0, k1 = (int(in_band[0]), int(in_band[-1]) + 1) if in_band.size else (0, 0)
    max_peaks = (k1 - k0) // 2 + 1
    thr = np.dtype(dtype).type(threshold)
    counter = itertools.count()
    stash = {}
    result = {}

    def reduce(S, out):
        n = S.shape[0]
        pitch = np.empty(n * max_peaks)
        mag = np.empty(n * max_peaks)
        counts = np.empty(n, dtype=np.int64)
        total = tuning_peaks_rows(S, k0, k1, thr, sample_rate, int(n_fft), pitch, mag, counts)
        token = next(counter)
        stash[token] = (pitch[:total].copy(), mag[:total].copy())
        out[:, 0] = counts
        out[:, 1] = token

    def finalize(rows, frame_offsets):
        tokens = rows[:, 1]
        starts = np.flatnonzero(np.r_[True, tokens[1:] != tokens[:-1]]) if rows.shape[0] else []
        parts = [stash[int(tokens[s])] for s in starts]
        stash.clear()
        pitch = np.concatenate([p for p, _ in parts]) if parts else np.empty(0)
        mag = np.concatenate([m for _, m in parts]) if parts else np.empty(0)
        counts = rows[:, 0].astype(np.int64)
        tunings = _peaks_tunings(pitch, mag, counts, frame_offsets, resolution,
                                 bins_per_octave)
        result["tunings"] = tunings
        per_frame = np.repeat(tunings, np.diff(frame_offsets))
        return per_frame.astype(rows.dtype).reshape(-1, 1)

    spec = FrameSpec(n_out=2, reduce=reduce, input="spectrum", power=power, finalize=finalize)
    return spec, result


def tuning_spec(sample_rate, n_fft, dtype, *, power=2.0, fmin=150.0, fmax=4000.0, threshold=0.1,
                resolution=0.01, bins_per_octave=12) -> FrameSpec:
    """Engine spec of the per-clip tuning (1 column after ``finalize``: each frame's clip tuning).

    ``reduce`` picks each frame's spectral peaks (librosa ``piptrack`` on
    ``|STFT| ** power``; :func:`sklaudio._kernels.chroma.tuning_peaks_rows`)
    and keeps them aside; ``finalize`` computes each clip's tuning from its
    peaks (:func:`estimate_tuning`). ``n_fft`` sets the bin frequencies
    ``k sample_rate / n_fft``.
    """
    return _tuning_parts(sample_rate, n_fft, dtype, power=power, fmin=fmin, fmax=fmax,
                         threshold=threshold, resolution=resolution,
                         bins_per_octave=bins_per_octave)[0]


def _batch_tunings(batch, plan, sample_rate, freq_n_fft, *, power=2.0, bins_per_octave=12,
                   n_jobs=None, **kw):
    """Per-clip tunings (float64) of a batch, one engine pass over ``plan``.

    ``freq_n_fft`` sets the peak frequencies ``k sample_rate / freq_n_fft``:
    librosa's ``chroma_stft`` estimates the tuning from ``S``, so its
    ``piptrack`` sees ``2 (n_bins - 1)`` (not ``n_fft`` when it is odd).
    """
    spec, result = _tuning_parts(sample_rate, freq_n_fft, batch.samples.dtype, power=power,
                                 bins_per_octave=bins_per_octave, **kw)
    run_features(batch, plan, [spec], n_jobs)
    return result["tunings"]


def _rows_tunings(rows, offs, sample_rate, n_fft, *, power=2.0, bins_per_octave=12, **kw):
    spec, result = _tuning_parts(sample_rate, n_fft, rows.dtype, power=power,
                                 bins_per_octave=bins_per_octave, **kw)
    o = np.empty((rows.shape[0], 2), dtype=rows.dtype)
    spec.reduce(rows, o)
    spec.finalize(o, offs)
    return result["tunings"]


@fill_params()
@validate_params({})
def estimate_tuning(y=None, *, sample_rate: float = 22050, S=None, n_fft: int | None = 2048,
                    resolution: float = 0.01, bins_per_octave: int = 12,
                    hop_length: int | None = None, fmin: float = 150.0, fmax: float = 4000.0,
                    threshold: float = 0.1, win_length: int | None = None, window="hann",
                    center: bool = True, pad_mode: str = "constant", n_jobs=None):
    """Tuning deviation from A440 of a recording, in fractions of a bin.

    As librosa ``estimate_tuning``: spectral peaks are picked in every frame
    of the magnitude spectrogram (``piptrack``: local maxima above
    ``threshold`` times the frame's maximum with ``fmin <= f < fmax``,
    refined by parabolic interpolation), the peaks at least as strong as the
    median peak are kept, and :func:`pitch_tuning` returns the peak of their
    deviation histogram.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., n_bins, n_frames), optional
        Precomputed (magnitude or power) spectrogram, used as is; the bin
        frequencies are then ``k sample_rate / (2 (n_bins - 1))``.
    resolution : float, default=0.01
        Resolution of the tuning, in ``(0, 1]``.
    bins_per_octave : int, default=12
        Bins per octave of the deviation histogram.
    hop_length : int or None, default=None
        Hop between frames in samples (``y`` only); ``None`` is
        ``win_length // 4``.
    fmin, fmax : float, default=150.0, 4000.0
        Frequency range of the peaks in Hz (clipped to ``[0, sample_rate / 2]``).
    threshold : float, default=0.1
        Relative peak threshold, ``>= 0``.

    Returns
    -------
    float or ndarray of shape (...)
        Tuning in ``[-0.5, 0.5)``, one per leading row (clip) of ``y``/``S``
        (a float for 1-D ``y`` or 2-D ``S``); librosa returns one value for
        all channels together. Silence (no peaks) gives 0.0, without
        librosa's warning.

    Raises
    ------
    ValueError
        For invalid audio or spectrogram, or bad parameters.

    References
    ----------
    .. [1] librosa ``estimate_tuning``,
       https://librosa.org/doc/latest/generated/librosa.estimate_tuning.html
    .. [2] librosa ``piptrack``,
       https://librosa.org/doc/latest/generated/librosa.piptrack.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import estimate_tuning
    >>> t = np.arange(22050) / 22050
    >>> y = np.sin(2 * np.pi * 440.0 * 2 ** (0.2 / 12) * t)   # A4, 20 cents sharp
    >>> round(estimate_tuning(y, sample_rate=22050), 2)   # parabolic peaks: 0.03 bias here
    0.17
    """
    if S is not None:
        if np.iscomplexobj(S) or np.any(np.asarray(S) < 0):
            S = np.abs(S)  # piptrack works on magnitudes
        rows, offs, lead, _ = _spectrogram_rows(S, "Tuning estimation")
        tunings = _rows_tunings(rows, offs, sample_rate, 2 * (rows.shape[1] - 1), power=1.0,
                                bins_per_octave=bins_per_octave, fmin=fmin, fmax=fmax,
                                threshold=threshold, resolution=resolution)
    else:
        batch, lead = _as_audio(y)
        plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                           window=window, center=center, pad_mode=pad_mode,
                           dtype=batch.samples.dtype)
        tunings = _batch_tunings(batch, plan, sample_rate, plan.n_fft, power=1.0,
                                 bins_per_octave=bins_per_octave, n_jobs=n_jobs, fmin=fmin,
                                 fmax=fmax, threshold=threshold, resolution=resolution)
    if not lead:
        return float(tunings[0])
    return tunings.reshape(lead)
