"""Fixed-shape log-mel patches: the input of a convolutional net in a Pipeline."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._docstrings import fill_params
from ._mel import MelSpectrogram
from ._params import (
    DB,
    MEL,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    StrOptions,
    combine,
    validate_estimator_params,
    validating,
)
from ._validation import check_clips, resolve_dtype

__all__ = ["LogMelPatches"]

#: Floor of the standard deviation in ``normalize`` (dB): a constant patch becomes zeros.
_STD_FLOOR = 1e-6


@fill_params("mel")
class LogMelPatches(TransformerMixin, BaseEstimator):
    """Log-mel spectrograms cropped or padded to one fixed shape, for convolutional nets.

    Each clip becomes one float patch of shape ``(1, n_mels, n_frames)`` (a
    single "channel", as a 2-D convolution expects): the log-mel spectrogram
    in dB of :class:`MelSpectrogram` (same parameters, same code, librosa's
    ``power_to_db(melspectrogram(...))``) with exactly ``n_frames`` frames.
    ``transform`` returns them stacked, ``(n_clips, 1, n_mels, n_frames)``,
    in ``dtype`` (float32 by default, what torch modules expect).

    **Cropping** (a clip with more than ``n_frames`` frames) keeps
    ``n_frames`` consecutive frames: the first ones (``align="start"``) or
    the middle ones (``align="center"``, the extra frame of an odd excess
    dropped at the end). It is deterministic: the same clip always gives the
    same patch, in ``fit`` and at ``transform``. The spectrogram is computed
    on the whole clip before cropping, so ``ref="max"`` and ``top_db`` refer
    to the whole clip. Random crops for training are an augmentation
    (:class:`sklaudio.augment.TimeShift` before this step, in ``fit`` only).

    **Padding** (fewer than ``n_frames`` frames) adds digital silence to the
    samples before the spectrogram: zeros at the end (``align="start"``) or
    split evenly before and after the clip (``align="center"``), as many as
    give exactly ``n_frames`` frames. Padded frames therefore hold the clip's
    dB floor, the value silence takes (``max(10 log10(1e-10 / ref),
    clip_max - top_db)``), never 0 dB, and the frames at the clip's edges
    are computed as if it had been recorded in silence (with
    ``pad_mode="constant"``, the default, the clip's own edge frames are
    unchanged).

    **Normalisation** (``normalize``) is per patch and stateless: a patch
    never depends on the other clips of its batch. Scikit-learn's
    ``StandardScaler`` rejects the 4-D output; a net that wants data-set
    statistics learns them (e.g. a batch-norm layer at its input).

    Parameters
    ----------
    n_frames : int, default=128
        Frames per patch (``hop_length`` samples apart).
    align : {"center", "start"}, default="center"
        Where a long clip is cropped and a short one padded: ``"center"``
        keeps the middle frames and centres a short clip in silence;
        ``"start"`` keeps the first frames and appends silence.
    normalize : {None, "patch", "band"}, default=None
        ``None``: the dB values. ``"patch"``: each patch minus its mean, over
        its standard deviation. ``"band"``: each mel band of each patch
        minus its mean over the frames, over its standard deviation
        (cepstral mean and variance normalisation of the log-mel bands).
        Padded frames count in the statistics; a constant patch or band
        becomes zeros.

    Attributes
    ----------
    mel_ : MelSpectrogram
        The fitted spectrogram estimator (same parameters) that computes the
        frames.
    mel_basis_ : ndarray of shape (n_mels, 1 + n_fft // 2)
        The mel filterbank.
    patch_shape_ : tuple of int
        ``(1, n_mels, n_frames)``, the shape of one output patch.
    n_features_in_ : int
        Samples per clip, set only when fitted on a 2-D array (clips of any
        length are accepted at ``transform``).

    See Also
    --------
    MelSpectrogram : The same log-mel frames, pooled into one row per clip.

    Notes
    -----
    The output is 4-D, so there are no feature names and
    ``set_output(transform="pandas")`` leaves it an array; a step that wants
    2-D input needs a reshape (e.g. ``FunctionTransformer(lambda P:
    P.reshape(len(P), -1))``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import LogMelPatches
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.standard_normal(n) for n in (3000, 8000, 12000)]
    >>> P = LogMelPatches(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40,
    ...                   n_frames=64).fit_transform(X)
    >>> P.shape, P.dtype
    ((3, 1, 40, 64), dtype('float32'))
    """

    _parameter_constraints = combine(
        SAMPLE_RATE, STFT, MEL, DB,
        n_frames=[POSITIVE_INT],
        align=[StrOptions({"center", "start"})],
        normalize=[StrOptions({"patch", "band"}), None],
        power=[POSITIVE_REAL],
        mel_norm=[StrOptions({"slaney"}), None],
        dtype=POOLING["dtype"],
        n_jobs=POOLING["n_jobs"],
    )

    def __init__(self, *, sample_rate=22050, n_frames=128, align="center", normalize=None,
                 n_fft=2048, hop_length=512, win_length=None, window="hann", center=True,
                 pad_mode="constant", power=2.0, n_mels=128, fmin=0.0, fmax=None, htk=False,
                 mel_norm="slaney", ref=1.0, top_db=80.0, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_frames = n_frames
        self.align = align
        self.normalize = normalize
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.power = power
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.ref = ref
        self.top_db = top_db
        self.dtype = dtype
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.input_tags.allow_nan = False
        return tags

    def _mel_estimator(self) -> MelSpectrogram:
        keys = ("sample_rate", "n_fft", "hop_length", "win_length", "window", "center",
                "pad_mode", "power", "n_mels", "fmin", "fmax", "htk", "mel_norm", "ref",
                "top_db", "dtype", "n_jobs")
        return MelSpectrogram(**{k: getattr(self, k) for k in keys}, pooling="mean")

    def _check_X(self, X):
        if scipy.sparse.issparse(X):
            raise TypeError(f"{type(self).__name__} does not accept sparse input: audio clips "
                            "are dense. Convert with X.toarray().")
        return check_clips(X, dtype=resolve_dtype(self.dtype))

    def fit(self, X, y=None):
        """Validate the parameters, build the mel filterbank, and check ``X``.

        Nothing is learned from ``X``: the transformer is stateless.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths (samples at ``sample_rate``).
        y : None
            Ignored.

        Returns
        -------
        self : LogMelPatches
            The fitted transformer.

        Raises
        ------
        ValueError
            For invalid parameters or invalid clips (named by index).
        """
        validate_estimator_params(self)
        if scipy.sparse.issparse(X):
            self._check_X(X)
        with validating(type(self).__name__):
            self.mel_ = self._mel_estimator().fit(X)
        if hasattr(self.mel_, "n_features_in_"):  # fitted on a 2-D array: samples per clip
            self.n_features_in_ = self.mel_.n_features_in_
        self.mel_basis_ = self.mel_.mel_basis_
        self.patch_shape_ = (1, int(self.n_mels), int(self.n_frames))
        return self

    def _needed_samples(self) -> int:
        """Shortest clip length (samples) that gives ``n_frames`` frames."""
        hop = self.hop_length
        if self.center:
            return (self.n_frames - 1) * hop  # 1 + L // hop frames
        return self.n_fft + (self.n_frames - 1) * hop  # 1 + (L - n_fft) // hop frames

    def transform(self, X):
        """Log-mel patches of one fixed shape.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths.

        Returns
        -------
        ndarray of shape (n_clips, 1, n_mels, n_frames)
            Log-mel values in dB (or normalised, see ``normalize``), in
            ``dtype``; axis 2 is mel band (low to high), axis 3 is time.

        Raises
        ------
        ValueError
            If a clip is empty, non-finite, not 1-D or non-numeric (the
            message names the clip index).
        """
        check_is_fitted(self, "mel_")
        batch = self._check_X(X)
        need = self._needed_samples()
        clips = []
        for i in range(batch.n_clips):
            x = batch.clip(i)
            missing = need - len(x)
            if missing > 0:
                before = missing // 2 if self.align == "center" else 0
                x = np.pad(x, (before, missing - before))
            clips.append(x)
        frames = self.mel_.transform_frames(clips)
        T = self.n_frames
        out = np.empty((len(clips), 1, self.n_mels, T), dtype=resolve_dtype(self.dtype))
        for i, S in enumerate(frames):
            start = (S.shape[1] - T) // 2 if self.align == "center" else 0
            out[i, 0] = S[:, start:start + T]
        return self._normalize(out)

    def _normalize(self, P):
        if self.normalize is None:
            return P
        axes = (1, 2, 3) if self.normalize == "patch" else (3,)
        P64 = P.astype(np.float64)
        mean = P64.mean(axis=axes, keepdims=True)
        std = np.maximum(P64.std(axis=axes, keepdims=True), _STD_FLOOR)
        return ((P64 - mean) / std).astype(P.dtype)

    def set_output(self, *, transform=None):
        """Accept a Pipeline's output container; the output stays a 4-D array.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored: 4-D patches fit no DataFrame.

        Returns
        -------
        self : LogMelPatches
            The transformer, unchanged.
        """
        return self

