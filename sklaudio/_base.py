"""Shared machinery of the frame-feature transformers: validation, pooling, names."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._engine import plan_frames, run_features
from ._params import check_stft, check_window, validate_estimator_params, validating
from ._validation import ClipBatch, check_clips, resolve_dtype
from .functional._pooling import POOLING_STATS, check_pooling, pool_frames, pooled_names

__all__ = [
    "ClipsOutputMixin",
    "FrameFeatureTransformer",
    "STFTFeatureTransformer",
    "TimeDomainFeatureTransformer",
    "POOLING_STATS",
]

class ClipsOutputMixin:
    """``set_output`` for transformers whose output is clips (a list of 1-D arrays).

    Ragged clips fit no DataFrame, so the requested container is accepted and
    ignored: ``make_pipeline(AudioLoader(), Trim(), MFCC()).set_output(
    transform="pandas")`` sets every step, and only the feature steps change.
    """

    def set_output(self, *, transform=None):
        """Accept a Pipeline's output container; the output stays a list of 1-D arrays.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored.

        Returns
        -------
        self : estimator instance
        """
        return self


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

    def _validate_params(self):
        """Check every parameter against ``_parameter_constraints``, then the relations.

        Raises :class:`sklaudio._params.InvalidParameterError` (a ``ValueError``
        and a ``TypeError``) naming the estimator and the parameter.
        """
        validate_estimator_params(self)
        with validating(type(self).__name__):
            self.pooling_ = check_pooling(self.pooling)
            self._check_params()

    def _pool(self, feats, offs):
        return pool_frames(feats, offs, self.pooling_, self.trajectory_length)

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
        L = self.trajectory_length
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
        self._validate_params()
        batch = self._check_X(X)
        if _is_2d_array(X):
            validate_data(self, X, reset=True, ensure_all_finite=False, dtype=None)
        self.n_features_frame_ = len(self._frame_feature_names())
        self.n_features_out_ = len(pooled_names(self._frame_feature_names(), self.pooling_,
                                                self.trajectory_length))
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
        ndarray of shape (n_clips, n_features_out)
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
        list of ndarray of shape (n_features_frame, n_frames_i)
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
        ndarray of str of shape (n_features_out,)
        """
        check_is_fitted(self, "n_features_out_")
        names = pooled_names(self._frame_feature_names(), self.pooling_, self.trajectory_length)
        return np.asarray(names, dtype=object)


def _is_2d_array(X) -> bool:
    if isinstance(X, np.ndarray):
        return X.ndim == 2 and X.dtype != object
    return hasattr(X, "columns") and hasattr(X, "to_numpy")


class STFTFeatureTransformer(FrameFeatureTransformer):
    """Base of the estimators computed by the engine from frames (:class:`FrameSpec`).

    Subclasses implement ``_check_params`` (calling ``super()._check_params()``),
    ``_specs(dtype)`` returning the list of :class:`sklaudio._engine.FrameSpec`
    whose outputs are concatenated column-wise, and ``_frame_feature_names``.
    They may override :meth:`_plan_params` (e.g. time-domain features with a
    ``frame_length`` and a rectangular window).
    """

    #: The parameter that sets the frame length in samples (named in errors).
    _n_fft_param = "n_fft"

    def _plan_params(self) -> dict:
        return dict(n_fft=self.n_fft, hop_length=self.hop_length, win_length=self.win_length,
                    window=self.window, center=self.center, pad_mode=self.pad_mode)

    def _check_params(self):
        self._check_framing()

    def _check_framing(self):
        """Validate the framing (relations such as ``win_length <= n_fft``, the window)."""
        p = self._plan_params()
        n_fft, _, win_length = check_stft(p["n_fft"], p["hop_length"], p["win_length"],
                                          p["center"], p["pad_mode"], n_fft_name=self._n_fft_param)
        check_window(p["window"], win_length, n_fft)

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


class TimeDomainFeatureTransformer(STFTFeatureTransformer):
    """Base of the features framed in the time domain by ``frame_length`` samples.

    The engine frames with ``n_fft = frame_length`` and no FFT. The window is
    rectangular unless the estimator has a ``window`` parameter (LPC, LPCC);
    ``_pad_mode_fixed`` replaces ``pad_mode`` where the reference pads in its
    own way (librosa pads zero-crossing-rate frames with edge values).
    """

    _n_fft_param = "frame_length"
    _pad_mode_fixed = None

    def _plan_params(self) -> dict:
        return dict(n_fft=self.frame_length, hop_length=self.hop_length, win_length=None,
                    window=getattr(self, "window", "boxcar"), center=self.center,
                    pad_mode=self._pad_mode_fixed or self.pad_mode)
