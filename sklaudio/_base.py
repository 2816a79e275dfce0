"""Shared machinery of the frame-feature transformers: validation, pooling, names."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._engine import plan_frames, run_features
from ._params import check_stft, check_window, validate_estimator_params, validating
from ._streaming import FeatureStream, StreamSetup, iter_stream
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

    # -- streaming -------------------------------------------------------------------------
    def _stream_setup(self, dtype) -> StreamSetup:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} does not stream.")

    def _feature_stream(self) -> FeatureStream:
        check_is_fitted(self, "n_features_out_")
        dtype = resolve_dtype(self.dtype)
        with validating(type(self).__name__):
            return FeatureStream(self._stream_setup(dtype), dtype, self.n_features_frame_,
                                 getattr(self, "n_jobs", None))

    def stream(self, blocks):
        """Frame features of an audio stream, yielded block by block as soon as frames complete.

        The stream is the concatenation of ``blocks``, 1-D arrays of samples
        of any lengths (0 included): a list, ``soundfile.blocks(path,
        blocksize=1024)``, or a generator fed by a sound card callback
        (through a queue). After consuming each block the generator yields
        the frames that block completed; after the last block it ends the
        stream (the right ``pad_mode`` padding when ``center``, the
        look-ahead of the last frames) and yields the remaining frames. Put
        end to end, ``np.concatenate(list(est.stream(blocks)), axis=1)``
        equals ``est.transform_frames([np.concatenate(blocks)])[0]`` to
        float tolerance, whatever the block sizes, except for the whole-clip
        steps of the Notes. Frames are computed once, by the same kernels as
        :meth:`transform_frames`; only the samples of unfinished frames (and
        the few frames that deltas and differences read) are carried.

        Parameters
        ----------
        blocks : iterable of array-like of shape (n_samples_i,)
            Mono audio at the estimator's sampling rate, real numbers
            (integers are cast without rescaling). Not validated until
            consumed.

        Returns
        -------
        generator of ndarray of shape (n_features_frame, n_new)
            Exactly one array per block (the frames it completed, ``n_new``
            possibly 0), then one for the end of the stream; in the
            estimator's ``dtype`` and librosa's orientation, as
            :meth:`transform_frames`.

        Raises
        ------
        ValueError
            At the call, for parameters whose result needs the whole clip
            (named; see Notes). While iterating, for a block that is not
            1-D, not real, or holds NaN or infinite values (the message
            names the block's index).
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.

        See Also
        --------
        stream_latency : How many samples after its time stamp a frame is yielded.
        transform_frames : Frame features of whole clips.

        Notes
        -----
        Frame ``k`` covers samples ``[k * hop_length - pad, k * hop_length -
        pad + n_fft)`` (``pad = n_fft // 2`` when ``center``, else 0;
        ``frame_length`` for the time-domain features) and is yielded with
        the block that brings its last sample, or the last sample of its
        look-ahead (:meth:`stream_latency`). With ``center`` and
        ``pad_mode`` ``"reflect"`` or ``"symmetric"``, the first frames wait
        for ``n_fft // 2 + 1`` samples (the samples the left padding
        copies). A stream shorter than one frame yields no frames where
        :meth:`transform_frames` raises: no samples at all, or fewer than
        ``n_fft`` with ``center=False``.

        Whole-clip steps:

        * Streamed exactly, with carried state or a bounded look-ahead
          (declared by :meth:`stream_latency`): MFCC deltas
          (``delta_width // 2`` frames of look-ahead; librosa's ``"interp"``
          edges at both ends of the stream), spectral flux (the previous
          frames are carried), PNCC's pre-emphasis, medium-time power
          (``medium_time`` frames of look-ahead), asymmetric filters and
          temporal masking, and the time-domain gammatone filterbank of
          GFCC and GammatoneSpectrogram (``filterbank="iir"``: the IIR state
          runs across blocks).
        * ``top_db`` (MelSpectrogram, MFCC, and GFCC, BFCC, LFCC and
          GammatoneSpectrogram with ``compression="log"``) and the fixed
          80 dB range of SpectralContrast (``linear=False``) and of
          SpectralFlux (``kind="onset"``) clamp each frame to ``top_db``
          below the *running* maximum (the largest value of the frames up
          to it) instead of the clip's maximum. A streamed value is
          therefore never larger than the whole-signal one, and equal to it
          wherever the whole-signal value is not clamped and from the frame
          that holds the stream's maximum on. ``top_db=None`` streams exactly.
        * Not streamable (``ValueError`` when ``stream`` is called, naming
          the parameter): ``ref="max"`` (0 dB at the clip's maximum: use a
          fixed ``ref``), Chroma's ``tuning=None`` (estimated from the whole
          clip: pass a tuning, e.g. estimated once on an excerpt with
          :func:`sklaudio.functional.estimate_tuning`), PNCC's ``cmn=True``
          (the clip's mean) and ``lambda_mu > 0`` (the mean power recursion
          starts from the clip's mean power: ``lambda_mu=0`` streams
          exactly), and ZeroCrossingRate's callable ``ref_magnitude``
          (evaluated on whole clips: use a number).

        Examples
        --------
        >>> import numpy as np
        >>> from sklaudio import MFCC
        >>> y = np.random.default_rng(0).standard_normal(8000)
        >>> est = MFCC(sample_rate=8000, n_fft=256, hop_length=80, top_db=None).fit([y])
        >>> blocks = np.split(y, [100, 1000, 1001, 5000])
        >>> outs = list(est.stream(blocks))
        >>> [o.shape[1] for o in outs]        # frames per block, then the end of the stream
        [0, 11, 0, 50, 38, 2]
        >>> frames = np.concatenate(outs, axis=1)
        >>> bool(np.allclose(frames, est.transform_frames([y])[0], rtol=1e-5, atol=1e-3))
        True
        """
        fs = self._feature_stream()
        return iter_stream(fs, blocks, fs.dtype)

    def stream_latency(self) -> dict:
        """When :meth:`stream` yields each frame: its look-ahead, in frames, samples and seconds.

        Frame ``k`` (time stamp ``k * hop_length``, the frame's centre when
        ``center``) is yielded with the block that brings sample
        ``max(k, lookahead_frames) * hop_length + samples - 1``: exactly then
        for ``k >= lookahead_frames``, at the latest for the first frames
        (deltas wait for their first full window, PNCC's medium-time power
        does not). Exceptions: frame 0 of a centred stream with ``pad_mode``
        ``"reflect"`` or ``"symmetric"`` waits for ``n_fft // 2 + 1``
        samples, and frames that reach past the end of the stream come with
        its end.

        Returns
        -------
        dict
            ``"lookahead_frames"``: frames after frame ``k`` needed before it
            is final (``delta_width // 2`` for MFCC deltas, ``medium_time``
            for PNCC, else 0). ``"samples"``: ``n_fft - pad +
            lookahead_frames * hop_length`` (``pad = n_fft // 2`` when
            ``center``, else 0). ``"seconds"``: the same in seconds, or None
            for the estimators without a ``sample_rate``.

        Raises
        ------
        ValueError
            For parameters that cannot stream (see :meth:`stream`).
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        """
        fs = self._feature_stream()
        samples = fs.latency_samples
        sr = getattr(self, "sample_rate", None)
        return {"lookahead_frames": int(fs.lookahead), "samples": int(samples),
                "seconds": None if sr is None else samples / float(sr)}

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

    def _stream_setup(self, dtype) -> StreamSetup:
        """The stream of the frames of :meth:`_run_specs`: the framing and the specs."""
        cls = type(self)
        if (cls._frame_features is not STFTFeatureTransformer._frame_features
                and cls._stream_setup is STFTFeatureTransformer._stream_setup):
            raise NotImplementedError(  # a subclass making its own frames must say how to stream
                f"{cls.__name__} computes its frames in its own way and has no stream setup.")
        return StreamSetup(framing=self._plan_params(), specs=self._specs(dtype))


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
