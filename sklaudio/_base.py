"""Shared machinery of the frame-feature transformers: validation, pooling, names."""

from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from . import filters
from ._engine import check_stft_params, plan_frames, run_features
from ._kernels.pooling import STAT_PERCENTILE, STATS, pool_clips, trajectory_clips
from ._kernels.stft import PAD_MODES
from ._validation import ClipBatch, check_clips, resolve_dtype

__all__ = ["FrameFeatureTransformer", "STFTFeatureTransformer", "POOLING_STATS"]

#: Pooling statistics understood by every estimator (plus ``"p<q>"`` percentiles).
POOLING_STATS = (*STATS, "p<q>", "trajectory")


def _percentile_of(stat: str):
    if len(stat) > 1 and stat[0] == "p":
        try:
            q = float(stat[1:])
        except ValueError:
            return None
        if 0.0 <= q <= 100.0 and np.isfinite(q):
            return q
    return None


def check_pooling(pooling) -> tuple[str, ...]:
    """Return the pooling statistics as a tuple of names, or raise ``ValueError``."""
    if isinstance(pooling, str):
        pooling = (pooling,)
    try:
        stats = tuple(pooling)
    except TypeError:
        stats = None
    if not stats or not all(isinstance(s, str) for s in stats):
        raise ValueError(
            f"pooling must be a statistic name or a non-empty sequence of them, from "
            f"{POOLING_STATS}; got {pooling!r}."
        )
    unknown = [s for s in stats
               if s not in STATS and s != "trajectory" and _percentile_of(s) is None]
    if unknown:
        raise ValueError(
            f"Unknown pooling statistic(s) {unknown}; choose from {POOLING_STATS}, where "
            "p<q> is a percentile with 0 <= q <= 100 (e.g. 'p10', 'p90')."
        )
    if len(set(stats)) != len(stats):
        raise ValueError(f"pooling lists a statistic twice: {stats}.")
    return stats


def pooled_names(names: Sequence[str], stats: Sequence[str], trajectory_length: int) -> list[str]:
    """Column names of :func:`pool_frames`: ``"{feature}_{stat}"``, statistic-major.

    The trajectory's columns are ``"{feature}_t{k}"`` (point-major), at the
    position of ``"trajectory"`` in ``stats``.
    """
    out = []
    for s in stats:
        if s == "trajectory":
            out += [f"{n}_t{k}" for k in range(trajectory_length) for n in names]
        else:
            out += [f"{n}_{s}" for n in names]
    return out


def pool_frames(feats: np.ndarray, frame_offsets: np.ndarray, stats: Sequence[str],
                trajectory_length: int = 32) -> np.ndarray:
    """Pool frames-first features per clip.

    Returns ``(n_clips, n_columns)`` with the columns named by
    :func:`pooled_names` (same ``stats`` order).
    """
    n_feat = feats.shape[1]
    n_clips = len(frame_offsets) - 1
    widths = [trajectory_length * n_feat if s == "trajectory" else n_feat for s in stats]
    out = np.empty((n_clips, sum(widths)), dtype=feats.dtype)
    resolution = float(np.finfo(feats.dtype).resolution) if feats.dtype.kind == "f" else 1e-15
    col = 0
    i = 0
    while i < len(stats):
        if stats[i] == "trajectory":
            trajectory_clips(feats, frame_offsets, int(trajectory_length), out, col)
            col += widths[i]
            i += 1
            continue
        j = i
        while j < len(stats) and stats[j] != "trajectory":
            j += 1
        run = stats[i:j]
        codes = np.array([STATS.get(s, STAT_PERCENTILE) for s in run], dtype=np.int64)
        qs = np.array([_percentile_of(s) or 0.0 if s not in STATS else 0.0 for s in run])
        block = np.empty((n_clips, len(run) * n_feat), dtype=feats.dtype)
        pool_clips(feats, frame_offsets, codes, qs, resolution, block)
        out[:, col:col + block.shape[1]] = block
        col += block.shape[1]
        i = j
    return out


def _check_int(name, value, low=1, high=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low or (
            high is not None and value > high):
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {rng}, got {value!r}.")


def _check_real(name, value, low=None, *, strict=False, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    if low is not None and (value <= low if strict else value < low):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {low}, got {value!r}.")


class FrameFeatureTransformer(TransformerMixin, BaseEstimator):
    """Base class: clips -> frame features -> pooled per clip.

    Subclasses implement ``_check_params`` (raise ``ValueError`` on bad
    parameters, set fitted bases), ``_frame_features(batch)`` returning a
    frames-first array ``(n_frames_total, n_features)`` and the frame offsets,
    and ``_frame_feature_names()``.
    """

    # -- subclass hooks ---------------------------------------------------
    def _check_params(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _frame_features(self, batch: ClipBatch):  # pragma: no cover - abstract
        raise NotImplementedError

    def _frame_feature_names(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- scikit-learn API ------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.input_tags.allow_nan = False
        return tags

    def _validate_common(self):
        resolve_dtype(self.dtype)
        self.pooling_ = check_pooling(self.pooling)
        _check_int("trajectory_length", self._trajectory_length(), 1)
        if self.n_jobs is not None:
            _check_int("n_jobs", self.n_jobs, low=-10**6)
            if self.n_jobs == 0:
                raise ValueError("n_jobs == 0 has no meaning; use None, a positive number or -1.")

    def _trajectory_length(self):
        return getattr(self, "trajectory_length", 32)

    def _pool(self, feats, offs):
        return pool_frames(feats, offs, self.pooling_, self._trajectory_length())

    def _frame_feature_parts(self, batch: ClipBatch):
        """Frame features as column blocks ``[(n_frames_total, n_i), ...]`` and the offsets.

        The blocks, side by side, are ``_frame_features(batch)``; pooling them
        one by one (:meth:`_pool_parts`) skips that concatenation. Default:
        one block.
        """
        feats, offs = self._frame_features(batch)
        return [feats], offs

    def _pool_parts(self, parts, offs):
        """:meth:`_pool` of the column blocks side by side, without concatenating the frames.

        Every statistic is computed column by column, so pooling each block and
        interleaving the pooled columns (statistic-major; the trajectory
        point-major over all features) gives the same values as pooling the
        concatenated frames.
        """
        if len(parts) == 1 or len({p.dtype for p in parts}) > 1:
            feats = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
            return self._pool(feats, offs)
        L = self._trajectory_length()
        pooled = [self._pool(p, offs) for p in parts]
        n_clips = len(offs) - 1
        starts = [0] * len(parts)
        blocks = []
        for stat in self.pooling_:
            pieces = []
            for i, (part, pl) in enumerate(zip(parts, pooled)):
                width = part.shape[1] * (L if stat == "trajectory" else 1)
                piece = pl[:, starts[i]:starts[i] + width]
                starts[i] += width
                pieces.append(piece.reshape(n_clips, L, part.shape[1])
                              if stat == "trajectory" else piece)
            if stat == "trajectory":
                blocks.append(np.concatenate(pieces, axis=2).reshape(n_clips, -1))
            else:
                blocks.append(np.concatenate(pieces, axis=1))
        return np.concatenate(blocks, axis=1)

    def _check_X(self, X) -> ClipBatch:
        if scipy.sparse.issparse(X):
            raise TypeError(
                f"{type(self).__name__} does not accept sparse input: audio clips are dense. "
                "Convert with X.toarray()."
            )
        return check_clips(X, dtype=resolve_dtype(self.dtype))

    def fit(self, X, y=None):
        """Validate the parameters, build the filterbank/bases, and check ``X``.

        Nothing is learned from ``X``: the transformer is stateless, so
        ``fit`` on any valid batch gives the same result.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips (samples at ``sample_rate``).
        y : ignored

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For invalid parameters or invalid clips (named by index).
        """
        self._fit(X)
        return self

    def _fit(self, X) -> ClipBatch:
        self._validate_common()
        self._check_params()
        batch = self._check_X(X)
        if _is_2d_array(X):
            validate_data(self, X, reset=True, ensure_all_finite=False, dtype=None)
        self.n_features_frame_ = len(self._frame_feature_names())
        self.n_features_out_ = len(pooled_names(self._frame_feature_names(), self.pooling_,
                                                self._trajectory_length()))
        return batch

    def fit_transform(self, X, y=None, **fit_params):
        """Fit, then transform ``X``, validating the clips once.

        Equal to ``fit(X).transform(X)``; see :meth:`transform`.
        """
        batch = self._fit(X)
        parts, offs = self._frame_feature_parts(batch)
        return self._pool_parts(parts, offs)

    def transform(self, X):
        """Frame features pooled per clip.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths.

        Returns
        -------
        ndarray of shape (n_clips, n_features_out_)
            Columns are named by :meth:`get_feature_names_out`, statistic-major
            (all features' first statistic, then the second, ...).

        Raises
        ------
        ValueError
            If a clip is empty, non-finite, not 1-D or non-numeric (the
            message names the clip index), or too short for ``center=False``.
        """
        check_is_fitted(self, "n_features_out_")
        batch = self._check_X(X)
        parts, offs = self._frame_feature_parts(batch)
        return self._pool_parts(parts, offs)

    def transform_frames(self, X) -> list[np.ndarray]:
        """Frame-level features, one array per clip, in librosa's orientation.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays

        Returns
        -------
        list of ndarray of shape (n_features_frame_, n_frames_i)
            Equal to the matching :mod:`sklaudio.functional` function on each
            clip. The arrays are views into one frames-first buffer.
        """
        check_is_fitted(self, "n_features_out_")
        batch = self._check_X(X)
        feats, offs = self._frame_features(batch)
        return [feats[a:b].T for a, b in zip(offs[:-1], offs[1:])]

    def get_feature_names_out(self, input_features=None):
        """Output column names, ``"{feature}_{statistic}"`` (e.g. ``"mfcc_3_mean"``).

        Parameters
        ----------
        input_features : ignored
            Output names do not depend on input columns (samples).

        Returns
        -------
        ndarray of str of shape (n_features_out_,)
        """
        check_is_fitted(self, "n_features_out_")
        names = pooled_names(self._frame_feature_names(), self.pooling_, self._trajectory_length())
        return np.asarray(names, dtype=object)


def _is_2d_array(X) -> bool:
    if isinstance(X, np.ndarray):
        return X.ndim == 2 and X.dtype != object
    return hasattr(X, "columns") and hasattr(X, "to_numpy")


#: Docstring block of the STFT parameters shared by the spectral estimators.
STFT_PARAMS_DOC = """
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    n_fft : int, default=2048
        FFT length in samples.
    hop_length : int, default=512
        Hop between frames in samples.
    win_length : int or None, default=None
        Window length in samples (``<= n_fft``); ``None`` means ``n_fft``.
    window : str, tuple or array, default="hann"
        Periodic window (any :func:`scipy.signal.get_window` spec).
    center : bool, default=True
        Pad each clip by ``n_fft // 2`` on both sides so frames are centred.
        Clips shorter than ``n_fft`` are then still valid (librosa's
        behaviour); with ``center=False`` they raise ``ValueError``.
    pad_mode : {"constant", "edge", "reflect", "symmetric"}, default="constant"
        Padding used when ``center``."""

#: Docstring block of the parameters every estimator ends with.
POOLING_PARAMS_DOC = """
    pooling : str or tuple of str, default=("mean", "std")
        Statistics over each clip's frames: ``"mean"``, ``"std"``
        (population), ``"min"``, ``"max"``, ``"median"``, percentiles
        ``"p<q>"`` (e.g. ``"p10"``, ``"p90"``; linear interpolation, as
        :func:`numpy.percentile`), ``"skew"`` and ``"kurtosis"`` (biased
        Fisher estimates, as :func:`scipy.stats.skew` / ``kurtosis``; 0 for a
        constant feature), ``"slope"`` (least-squares slope per frame; 0 for a
        single frame) and ``"trajectory"`` (the frames linearly resampled in
        time to ``trajectory_length`` points, named ``t0``, ``t1``, ...).
    trajectory_length : int, default=32
        Points of the ``"trajectory"`` pooling; unused otherwise.
    dtype : {"float32", "float64"}, default="float32"
        Precision of the computation and of the output.
    n_jobs : int or None, default=None
        Threads over frames (scikit-learn's meaning: ``None`` is 1, ``-1``
        all cores). Threads are used only for inputs with enough frames
        (about 1 ms of work per thread; smaller inputs run in the calling
        thread), never more than the CPUs available to the process,
        and from one shared pool whose size is bounded per process however
        many threads or joblib/Dask workers call ``transform`` at once. Each
        thread runs single-threaded kernels and FFTs, so nothing
        oversubscribes; results do not depend on ``n_jobs``."""


def check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}.")


class STFTFeatureTransformer(FrameFeatureTransformer):
    """Base of the estimators computed by the engine from frames (:class:`FrameSpec`).

    Subclasses implement ``_check_params`` (calling :meth:`_check_stft_params`),
    ``_specs(dtype)`` returning the list of :class:`sklaudio._engine.FrameSpec`
    whose outputs are concatenated column-wise, and ``_frame_feature_names``.
    They may override :meth:`_plan_params` (e.g. time-domain features with a
    ``frame_length`` and a rectangular window).
    """

    def _plan_params(self) -> dict:
        return dict(n_fft=self.n_fft, hop_length=self.hop_length, win_length=self.win_length,
                    window=self.window, center=self.center, pad_mode=self.pad_mode)

    def _check_stft_params(self):
        _check_real("sample_rate", self.sample_rate, 0, strict=True)
        p = self._plan_params()
        check_bool("center", p["center"])
        if p["pad_mode"] not in PAD_MODES:
            raise ValueError(f"pad_mode must be one of {sorted(PAD_MODES)}, got {p['pad_mode']!r}.")
        n_fft, _, win_length = check_stft_params(p["n_fft"], p["hop_length"], p["win_length"],
                                                 p["center"], p["pad_mode"])
        filters.get_window(p["window"], win_length, n_fft)

    def _plan(self, batch):
        return plan_frames(batch, dtype=batch.samples.dtype, **self._plan_params())

    def _specs(self, dtype):  # pragma: no cover - abstract
        raise NotImplementedError

    def _frame_features(self, batch):
        outs, offs = self._run_specs(batch)
        feats = outs[0] if len(outs) == 1 else np.concatenate(outs, axis=1)
        return feats, offs

    def _run_specs(self, batch):
        plan = self._plan(batch)
        outs = run_features(batch, plan, self._specs(batch.samples.dtype), self.n_jobs)
        return outs, plan.frame_offsets

    def _frame_feature_parts(self, batch):
        if type(self)._frame_features is not STFTFeatureTransformer._frame_features:
            return super()._frame_feature_parts(batch)  # a subclass makes its own frames
        return self._run_specs(batch)
