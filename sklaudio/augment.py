"""Audio data augmentation applied in ``fit`` only.

Augmented copies of the training clips are added to the training set while
an estimator is fitted, and never at ``predict``, ``predict_proba`` or
``score`` time. Two ways to put them into a model:

* :class:`AugmentSampler`, an imbalanced-learn-style sampler: in an
  ``imblearn.pipeline.Pipeline``, ``fit`` calls its ``fit_resample`` (the
  training clips plus ``n_copies`` augmented copies of each), and
  ``predict``/``score`` skip it. It works by duck typing (a ``fit_resample``
  method), so this module never imports imbalanced-learn; only the Pipeline
  needs it (``pip install sklaudio[augment]`` or ``imbalanced-learn``).
  A scikit-learn ``Pipeline`` does not know samplers and rejects it.
* :class:`AugmentedClassifier`, a meta-estimator around any classifier or
  Pipeline: ``fit`` trains on the clips plus their copies, every other
  method delegates to the fitted estimator on the clips as given. Plain
  scikit-learn, cloneable, tunable through ``estimator__...`` and
  ``augmenter__...``.

Both draw from ``random_state`` (reproducible fits) and take the number of
copies per clip, ``n_copies``; the originals are always kept. Inside
cross-validation only the training folds are augmented, so scores stay
honest.

Augmenters (scikit-learn-style parameter objects: ``get_params``,
``set_params``, ``clone``) transform one clip with :meth:`~TimeShift.augment`:

===================  =====================================================
:class:`TimeShift`   circular (``np.roll``) or zero-filled shift
:class:`TimeStretch` tempo change without pitch change (audiomentations)
:class:`PitchShift`  pitch change without tempo change (audiomentations)
:class:`AddNoise`    white Gaussian noise at a signal-to-noise ratio in dB
:class:`Gain`        level change in dB
:class:`MixBackground` a random excerpt of background recordings at an SNR
:class:`Compose`     several augmenters in turn, each with its probability
===================  =====================================================

Time stretch and pitch shift call audiomentations' ``TimeStretch`` and
``PitchShift`` with ``method="signalsmith_stretch"`` (the Signalsmith
Stretch library through python-stretch), an optional dependency:
``pip install sklaudio[augment]``. sklaudio draws their parameters itself
(from ``random_state``), so they are reproducible, which audiomentations'
own global random state would not make them. Shift, noise, gain and mixing
are a few lines of NumPy each.

Time shift and event detection
------------------------------
For clip classification a shift is harmless: the label is the clip's. For
sound event detection the annotations (onset and offset times, frame
targets) are bound to the samples, so a shifted clip needs its annotations
shifted by the same amount: ``onset + shift`` and ``offset + shift``. A
zero-filled shift (``mode="zeros"``) pushes events partly or wholly out of
the clip: their annotations must be clipped to ``[0, duration]`` and dropped
when nothing is left, or the model learns to detect silence. A circular
shift (``mode="circular"``) wraps the end of the clip around to its start,
so an event that crosses the boundary is split into two events, one at the
end and one at the start, and a recording's natural onset (silence, then a
sound) can turn into a sound that starts at time 0 with no onset at all.
The samplers here pass the clip labels unchanged, which is right only for
clip-level targets; for frame-level targets shift the targets too, or use
shifts that keep every event inside the clip. Time stretch changes event
durations (multiply times by ``1 / rate``) and pitch shift, gain and noise
keep the timing.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._meta import (
    check_clip_batch,
    check_clip_targets,
    expand_per_clip,
    fit_params_for_estimator,
)
from ._params import (
    SAMPLE_RATE,
    UNIT_INTERVAL,
    HasMethods,
    Interval,
    Satisfies,
    StrOptions,
    raise_invalid,
    validate_estimator_params,
    validating,
)

__all__ = [
    "AddNoise",
    "AugmentSampler",
    "AugmentedClassifier",
    "Compose",
    "Gain",
    "MixBackground",
    "PitchShift",
    "TimeShift",
    "TimeStretch",
    "augment_clips",
]

_REAL = Interval(numbers.Real, None, None, closed="neither")


def _rng(random_state) -> np.random.Generator:
    """A NumPy Generator from an int, None, a RandomState or a Generator."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(check_random_state(random_state).randint(2 ** 32, dtype=np.uint64))


def _audiomentations(name: str):
    try:
        import audiomentations
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"sklaudio.augment.{name} needs audiomentations: pip install 'sklaudio[augment]' "
            "(or pip install audiomentations)") from exc
    return audiomentations


# -- augmenters ---------------------------------------------------------------------------------
class _Augmenter(BaseEstimator):
    """Base: ``augment`` validates, draws whether to apply (``p``), then ``_apply``."""

    def _check_params(self):
        """Relations between parameters (raise ``InvalidParameterError``)."""

    def _validate(self):
        validate_estimator_params(self)
        with validating(type(self).__name__):
            self._check_params()

    def augment(self, x, *, sample_rate, random_state=None):
        """Return an augmented copy of one clip.

        Parameters
        ----------
        x : array-like of shape (n_samples,)
            One clip.
        sample_rate : float
            Its sampling rate in Hz.
        random_state : int, RandomState, Generator or None, default=None
            Source of the random draws (a Generator is used as is and
            advanced).

        Returns
        -------
        ndarray of shape (n_samples_out,)
            The augmented clip, float32 for float32 input and float64
            otherwise; ``x`` itself is never modified.
        """
        self._validate()
        x = np.asarray(x)
        if x.ndim != 1:
            raise ValueError(f"augment takes one 1-D clip, got an array of shape {x.shape}.")
        x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
        rng = _rng(random_state)
        if rng.random() >= self.p:
            return x.copy()
        return self._apply(x, float(sample_rate), rng).astype(x.dtype, copy=False)

    def _apply(self, x, sample_rate, rng):  # pragma: no cover - abstract
        raise NotImplementedError


def _check_range(lo_name, lo, hi_name, hi):
    if lo > hi:
        raise_invalid(lo_name, f"at most {hi_name} = {hi}", lo)


class TimeShift(_Augmenter):
    """Shift a clip in time by a random fraction of its length.

    The shift is drawn uniformly in ``[-max_shift, max_shift]`` times the
    clip's length (positive: later) and rounded to samples. Read the module
    docstring before using it for event detection.

    Parameters
    ----------
    max_shift : float, default=0.25
        Largest shift as a fraction of the clip's length, in ``[0, 1]``.
    mode : {"circular", "zeros"}, default="circular"
        ``"circular"``: samples shifted past one end re-enter at the other
        (``np.roll``); ``"zeros"``: they are dropped and the gap is filled
        with zeros. The length never changes.
    p : float, default=1.0
        Probability of shifting a clip (else it is returned unchanged).

    See Also
    --------
    numpy.roll : The circular shift.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import TimeShift
    >>> TimeShift(max_shift=0.5, mode="zeros").augment(np.arange(1.0, 9.0), sample_rate=8,
    ...                                                  random_state=0).tolist()
    [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """

    _parameter_constraints = {
        "max_shift": [UNIT_INTERVAL],
        "mode": [StrOptions({"circular", "zeros"})],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, max_shift=0.25, *, mode="circular", p=1.0):
        self.max_shift = max_shift
        self.mode = mode
        self.p = p

    def _apply(self, x, sample_rate, rng):
        n = len(x)
        shift = int(round(rng.uniform(-self.max_shift, self.max_shift) * n))
        if self.mode == "circular":
            return np.roll(x, shift)
        out = np.zeros_like(x)
        if shift >= 0:
            out[shift:] = x[:n - shift]
        else:
            out[:n + shift] = x[-shift:]
        return out


class TimeStretch(_Augmenter):
    """Change a clip's tempo by a random rate, keeping its pitch (audiomentations).

    The rate is drawn uniformly in ``[min_rate, max_rate]``; ``rate > 1``
    speeds up (a shorter clip). Calls ``audiomentations.TimeStretch`` with
    that fixed rate and ``method="signalsmith_stretch"``.

    Parameters
    ----------
    min_rate : float, default=0.8
        Smallest rate, in ``[0.1, 10]``.
    max_rate : float, default=1.25
        Largest rate, in ``[0.1, 10]``, ``>= min_rate``.
    keep_length : bool, default=False
        Crop or zero-pad the result to the input length (audiomentations'
        ``leave_length_unchanged``); otherwise the length is about
        ``n_samples / rate``.
    p : float, default=1.0
        Probability of stretching a clip.

    See Also
    --------
    PitchShift : The same library, changing pitch instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import TimeStretch
    >>> x = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000).astype(np.float32)
    >>> y = TimeStretch(min_rate=2.0, max_rate=2.0).augment(x, sample_rate=8000)  # doctest: +SKIP
    >>> len(y)  # doctest: +SKIP
    4000
    """

    _parameter_constraints = {
        "min_rate": [Interval(numbers.Real, 0.1, 10, closed="both")],
        "max_rate": [Interval(numbers.Real, 0.1, 10, closed="both")],
        "keep_length": ["boolean"],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, min_rate=0.8, max_rate=1.25, *, keep_length=False, p=1.0):
        self.min_rate = min_rate
        self.max_rate = max_rate
        self.keep_length = keep_length
        self.p = p

    def _check_params(self):
        _check_range("min_rate", self.min_rate, "max_rate", self.max_rate)

    def _apply(self, x, sample_rate, rng):
        am = _audiomentations(type(self).__name__)
        rate = float(rng.uniform(self.min_rate, self.max_rate))
        t = am.TimeStretch(min_rate=rate, max_rate=rate, leave_length_unchanged=self.keep_length,
                           method="signalsmith_stretch", p=1.0)
        return t(x.astype(np.float32), sample_rate=int(round(sample_rate)))


class PitchShift(_Augmenter):
    """Change a clip's pitch by a random number of semitones, keeping its tempo (audiomentations).

    The shift is drawn uniformly in ``[min_semitones, max_semitones]``.
    Calls ``audiomentations.PitchShift`` with that fixed shift and
    ``method="signalsmith_stretch"``; the length is unchanged.

    Parameters
    ----------
    min_semitones : float, default=-2.0
        Lowest shift in semitones, ``>= -24``.
    max_semitones : float, default=2.0
        Highest shift in semitones, ``<= 24``, ``>= min_semitones``.
    p : float, default=1.0
        Probability of shifting a clip.

    See Also
    --------
    TimeStretch : The same library, changing tempo instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import PitchShift
    >>> x = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000).astype(np.float32)
    >>> PitchShift(min_semitones=12, max_semitones=12).augment(
    ...     x, sample_rate=8000).shape  # doctest: +SKIP
    (8000,)
    """

    _parameter_constraints = {
        "min_semitones": [Interval(numbers.Real, -24, 24, closed="both")],
        "max_semitones": [Interval(numbers.Real, -24, 24, closed="both")],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, min_semitones=-2.0, max_semitones=2.0, *, p=1.0):
        self.min_semitones = min_semitones
        self.max_semitones = max_semitones
        self.p = p

    def _check_params(self):
        _check_range("min_semitones", self.min_semitones, "max_semitones", self.max_semitones)

    def _apply(self, x, sample_rate, rng):
        am = _audiomentations(type(self).__name__)
        s = float(rng.uniform(self.min_semitones, self.max_semitones))
        t = am.PitchShift(min_semitones=s, max_semitones=s, method="signalsmith_stretch", p=1.0)
        return t(x.astype(np.float32), sample_rate=int(round(sample_rate)))


def _power(x) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


class AddNoise(_Augmenter):
    """Add white Gaussian noise at a random signal-to-noise ratio.

    The SNR is drawn uniformly in ``[min_snr_db, max_snr_db]`` and the noise
    variance is the clip's mean power over ``10 ** (snr / 10)``. A silent
    clip is returned unchanged.

    Parameters
    ----------
    min_snr_db : float, default=10.0
        Lowest SNR in dB.
    max_snr_db : float, default=30.0
        Highest SNR in dB, ``>= min_snr_db``.
    p : float, default=1.0
        Probability of adding noise to a clip.

    See Also
    --------
    MixBackground : Real recordings instead of white noise.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import AddNoise
    >>> x = np.sin(np.arange(8000) / 5.0)
    >>> y = AddNoise(min_snr_db=20, max_snr_db=20).augment(x, sample_rate=8000, random_state=0)
    >>> round(10 * np.log10(np.mean(x ** 2) / np.mean((y - x) ** 2)))
    20
    """

    _parameter_constraints = {
        "min_snr_db": [_REAL],
        "max_snr_db": [_REAL],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, min_snr_db=10.0, max_snr_db=30.0, *, p=1.0):
        self.min_snr_db = min_snr_db
        self.max_snr_db = max_snr_db
        self.p = p

    def _check_params(self):
        _check_range("min_snr_db", self.min_snr_db, "max_snr_db", self.max_snr_db)

    def _apply(self, x, sample_rate, rng):
        snr = rng.uniform(self.min_snr_db, self.max_snr_db)
        power = _power(x)
        if power == 0:
            return x.copy()
        return x + rng.standard_normal(len(x)) * np.sqrt(power / 10 ** (snr / 10))


class Gain(_Augmenter):
    """Multiply a clip by a random gain in dB.

    Parameters
    ----------
    min_gain_db : float, default=-6.0
        Lowest gain in dB.
    max_gain_db : float, default=6.0
        Highest gain in dB, ``>= min_gain_db``.
    p : float, default=1.0
        Probability of changing a clip's level.

    See Also
    --------
    AddNoise : Noise at a signal-to-noise ratio.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import Gain
    >>> Gain(min_gain_db=20, max_gain_db=20).augment(np.ones(3), sample_rate=8000).tolist()
    [10.0, 10.0, 10.0]
    """

    _parameter_constraints = {
        "min_gain_db": [_REAL],
        "max_gain_db": [_REAL],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, min_gain_db=-6.0, max_gain_db=6.0, *, p=1.0):
        self.min_gain_db = min_gain_db
        self.max_gain_db = max_gain_db
        self.p = p

    def _check_params(self):
        _check_range("min_gain_db", self.min_gain_db, "max_gain_db", self.max_gain_db)

    def _apply(self, x, sample_rate, rng):
        return x * 10 ** (rng.uniform(self.min_gain_db, self.max_gain_db) / 20)


class MixBackground(_Augmenter):
    """Mix a random excerpt of a background recording into a clip at a random SNR.

    A background is chosen uniformly among ``backgrounds``; a shorter one is
    repeated (tiled) to the clip's length, and an excerpt of the clip's
    length starts at a uniformly drawn sample. It is scaled so that the
    clip's mean power over the excerpt's is ``10 ** (snr / 10)``, ``snr``
    drawn uniformly in ``[min_snr_db, max_snr_db]``. A silent clip or a
    silent excerpt leaves the clip unchanged.

    Parameters
    ----------
    backgrounds : sequence of 1-D arrays
        Background recordings at the clips' sampling rate (not resampled).
    min_snr_db : float, default=5.0
        Lowest SNR in dB.
    max_snr_db : float, default=20.0
        Highest SNR in dB, ``>= min_snr_db``.
    p : float, default=1.0
        Probability of mixing a background into a clip.

    See Also
    --------
    AddNoise : White noise instead of recordings.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import MixBackground
    >>> rng = np.random.default_rng(0)
    >>> mix = MixBackground([rng.standard_normal(3000)], min_snr_db=10, max_snr_db=10)
    >>> mix.augment(np.sin(np.arange(8000) / 5.0), sample_rate=8000, random_state=0).shape
    (8000,)
    """

    _parameter_constraints = {
        "backgrounds": ["array-like"],
        "min_snr_db": [_REAL],
        "max_snr_db": [_REAL],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, backgrounds, *, min_snr_db=5.0, max_snr_db=20.0, p=1.0):
        self.backgrounds = backgrounds
        self.min_snr_db = min_snr_db
        self.max_snr_db = max_snr_db
        self.p = p

    def _check_params(self):
        _check_range("min_snr_db", self.min_snr_db, "max_snr_db", self.max_snr_db)
        if len(self.backgrounds) == 0 or any(
                np.ndim(b) != 1 or len(b) == 0 for b in self.backgrounds):
            raise_invalid("backgrounds", "a non-empty sequence of non-empty 1-D arrays",
                          self.backgrounds)

    def _apply(self, x, sample_rate, rng):
        b = np.asarray(self.backgrounds[int(rng.integers(len(self.backgrounds)))],
                       dtype=np.float64)
        n = len(x)
        if len(b) < n:
            b = np.tile(b, -(-n // len(b)))
        start = int(rng.integers(len(b) - n + 1))
        excerpt = b[start:start + n]
        snr = rng.uniform(self.min_snr_db, self.max_snr_db)
        ps, pb = _power(x), _power(excerpt)
        if ps == 0 or pb == 0:
            return x.copy()
        return x + excerpt * np.sqrt(ps / (pb * 10 ** (snr / 10)))


class Compose(_Augmenter):
    """Apply several augmenters in turn (each with its own probability ``p``).

    Parameters
    ----------
    augmenters : list of augmenters
        Applied in order, each to the previous one's output.
    p : float, default=1.0
        Probability of applying the chain at all.

    See Also
    --------
    AugmentSampler : Adds the augmented copies to a training set.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import Compose, Gain, TimeShift
    >>> chain = Compose([TimeShift(0.1), Gain(-3, 3, p=0.5)])
    >>> chain.augment(np.ones(100), sample_rate=8000, random_state=0).shape
    (100,)
    """

    _parameter_constraints = {
        "augmenters": [list, tuple],
        "p": [UNIT_INTERVAL],
    }

    def __init__(self, augmenters, *, p=1.0):
        self.augmenters = augmenters
        self.p = p

    def _check_params(self):
        for a in self.augmenters:
            if not callable(getattr(a, "augment", None)):
                raise_invalid("augmenters", "a list of augmenters (objects with an augment "
                              "method)", self.augmenters)

    def _apply(self, x, sample_rate, rng):
        for a in self.augmenters:
            x = a.augment(x, sample_rate=sample_rate, random_state=rng)
        return x


# -- adding copies to a training set ---------------------------------------------------------------
def augment_clips(X, y=None, *, augmenter, n_copies=1, sample_rate, random_state=None):
    """The clips followed by ``n_copies`` augmented copies of each.

    Parameters
    ----------
    X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
        Clips of any lengths.
    y : array-like of shape (n_clips,) or None, default=None
        Their labels, repeated for the copies.
    augmenter : augmenter
        An object with ``augment(x, sample_rate=..., random_state=...)``
        (the classes of this module, or your own).
    n_copies : int, default=1
        Augmented copies per clip (``>= 0``).
    sample_rate : float
        Sampling rate of the clips in Hz.
    random_state : int, RandomState, Generator or None, default=None
        Source of all random draws; an int gives the same copies every time.

    Returns
    -------
    X_out : list of ndarray
        ``n_clips * (1 + n_copies)`` clips: the originals (unchanged), then
        copy 1 of every clip, then copy 2, and so on.
    y_out : ndarray of shape (n_clips * (1 + n_copies),) or None
        The labels of ``X_out`` (``None`` when ``y`` is ``None``).
    index : ndarray of shape (n_clips * (1 + n_copies),)
        The original clip of each row of ``X_out``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import Gain, augment_clips
    >>> X, y, index = augment_clips([np.ones(4), np.ones(6)], [0, 1], augmenter=Gain(),
    ...                             n_copies=2, sample_rate=8000, random_state=0)
    >>> len(X), y.tolist(), index.tolist()
    (6, [0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 0, 1])
    """
    if not callable(getattr(augmenter, "augment", None)):
        raise_invalid("augmenter", "an object with an augment method", augmenter,
                      caller="augment_clips")
    if (isinstance(n_copies, bool) or not isinstance(n_copies, numbers.Integral)
            or n_copies < 0):
        raise_invalid("n_copies", "an int in the range [0, inf)", n_copies, caller="augment_clips")
    batch = check_clip_batch(X, "augment_clips")
    rng = _rng(random_state)
    clips = [batch.clip(i) for i in range(batch.n_clips)]
    out = [c.copy() for c in clips]
    for _ in range(n_copies):
        out.extend(augmenter.augment(c, sample_rate=sample_rate, random_state=rng) for c in clips)
    index = np.tile(np.arange(batch.n_clips), 1 + n_copies)
    y_out = None if y is None else np.asarray(y)[index]
    return out, y_out, index


def _check_random_state(value):
    if isinstance(value, bool) or not (
            value is None or isinstance(value, (numbers.Integral, np.random.RandomState,
                                                np.random.Generator))):
        raise TypeError


_CONTAINER_CONSTRAINTS = {
    "augmenter": [HasMethods(["augment"]), None],
    "n_copies": [Interval(numbers.Integral, 0, None, closed="left")],
    **SAMPLE_RATE,
    "random_state": [Satisfies(_check_random_state,
                               "an int, a RandomState, a Generator or None")],
}


def _check_container(est):
    """Validate a container's parameters; return its augmenter (validated)."""
    validate_estimator_params(est)
    augmenter = est.augmenter if est.augmenter is not None else TimeShift()
    if hasattr(augmenter, "_validate"):
        augmenter._validate()
    return augmenter


class AugmentSampler(BaseEstimator):
    """Imbalanced-learn sampler: the training clips plus ``n_copies`` augmented copies of each.

    In an ``imblearn.pipeline.Pipeline`` its ``fit_resample`` runs in
    ``fit`` only (``fit_transform`` of the pipeline resamples too), and
    ``predict``, ``predict_proba``, ``transform`` and ``score`` skip it, so
    test clips are never augmented. It is a sampler by duck typing (it has
    ``fit_resample``), like imbalanced-learn's own ``FunctionSampler(...,
    validate=False)``; this class does not import imbalanced-learn.

    Parameters
    ----------
    augmenter : augmenter or None, default=None
        Applied to make each copy; ``None`` is ``TimeShift()``.
    n_copies : int, default=1
        Augmented copies per clip (``>= 0``; 0 returns the clips unchanged).
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    random_state : int, RandomState, Generator or None, default=None
        Source of all random draws; an int gives the same copies on every
        ``fit_resample`` of the same clips.

    See Also
    --------
    AugmentedClassifier : The same in plain scikit-learn, as a meta-estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.augment import AugmentSampler, Gain
    >>> sampler = AugmentSampler(Gain(), n_copies=2, sample_rate=8000, random_state=0)
    >>> X_res, y_res = sampler.fit_resample([np.ones(4000), np.ones(5000)], [0, 1])
    >>> len(X_res), y_res.tolist()
    (6, [0, 1, 0, 1, 0, 1])
    """

    _parameter_constraints = _CONTAINER_CONSTRAINTS

    def __init__(self, augmenter=None, *, n_copies=1, sample_rate=22050, random_state=None):
        self.augmenter = augmenter
        self.n_copies = n_copies
        self.sample_rate = sample_rate
        self.random_state = random_state

    def fit(self, X, y=None):
        """Validate the parameters (nothing is learned).

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips.
        y : array-like of shape (n_clips,) or None, default=None
            Ignored.

        Returns
        -------
        self : AugmentSampler
            The sampler.
        """
        _check_container(self)
        return self

    def fit_resample(self, X, y):
        """Return the clips followed by ``n_copies`` augmented copies of each, with labels.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Training clips of any lengths.
        y : array-like of shape (n_clips,)
            Their labels.

        Returns
        -------
        X_resampled : list of ndarray
            ``n_clips * (1 + n_copies)`` clips (originals first).
        y_resampled : ndarray of shape (n_clips * (1 + n_copies),)
            Their labels.
        """
        augmenter = _check_container(self)
        X_out, y_out, _ = augment_clips(X, y, augmenter=augmenter, n_copies=self.n_copies,
                                        sample_rate=self.sample_rate,
                                        random_state=self.random_state)
        return X_out, y_out


def _estimator_has(attr):
    def check(self):
        est = getattr(self, "estimator_", None)
        if est is None:
            est = self._estimator()
        return hasattr(est, attr)
    return check


class AugmentedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Fit a classifier on the clips plus augmented copies; predict on clips as given.

    ``fit`` adds ``n_copies`` augmented copies of every training clip
    (:func:`augment_clips`) and fits a clone of ``estimator`` on them;
    ``predict``, ``predict_proba``, ``decision_function`` and ``score``
    call the fitted estimator on the clips unchanged. Per-clip fit
    parameters (``sample_weight``, ``groups``, ...) are repeated for each
    copy of their clip (routed when metadata routing is enabled).

    Parameters
    ----------
    estimator : estimator object or None, default=None
        Classifier or Pipeline that takes clips; cloned in ``fit``.
        ``None``: ``make_pipeline(MFCC(sample_rate=sample_rate),
        StandardScaler(), LogisticRegression(max_iter=1000))``.
    augmenter : augmenter or None, default=None
        Applied to make each copy; ``None`` is ``TimeShift()``.
    n_copies : int, default=1
        Augmented copies per clip (``>= 0``).
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    random_state : int, RandomState, Generator or None, default=None
        Source of all augmentation draws (the estimator keeps its own).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_train_ : int
        Number of clips ``estimator_`` was trained on (originals and copies).

    See Also
    --------
    AugmentSampler : The same as an imbalanced-learn sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklaudio import MFCC
    >>> from sklaudio.augment import AugmentedClassifier, Compose, Gain, TimeShift
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(8000) / 8000
    >>> X = [np.sin(2 * np.pi * f * t) + 0.1 * rng.standard_normal(8000)
    ...      for f in (300, 320, 1200, 1250)]
    >>> pipe = make_pipeline(MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40),
    ...                      LogisticRegression())
    >>> clf = AugmentedClassifier(pipe, Compose([TimeShift(), Gain()]), n_copies=3,
    ...                           sample_rate=8000, random_state=0).fit(X, [0, 0, 1, 1])
    >>> clf.n_train_, clf.predict(X).tolist()
    (16, [0, 0, 1, 1])
    """

    _parameter_constraints = {"estimator": [HasMethods(["fit", "predict"]), None],
                              **_CONTAINER_CONSTRAINTS}

    def __init__(self, estimator=None, augmenter=None, *, n_copies=1, sample_rate=22050,
                 random_state=None):
        self.estimator = estimator
        self.augmenter = augmenter
        self.n_copies = n_copies
        self.sample_rate = sample_rate
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.required = True
        tags.non_deterministic = self.random_state is None
        return tags

    def _estimator(self):
        if self.estimator is not None:
            return self.estimator
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        from ._mel import MFCC
        return make_pipeline(MFCC(sample_rate=self.sample_rate), StandardScaler(),
                             LogisticRegression(max_iter=1000))

    def fit(self, X, y=None, **fit_params):
        """Fit a clone of ``estimator`` on the clips and their augmented copies.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Training clips of any lengths.
        y : array-like of shape (n_clips,)
            Their classes (required).
        **fit_params : dict
            Passed to ``estimator.fit``; values of length ``n_clips`` are
            repeated for each copy of their clip.

        Returns
        -------
        self : AugmentedClassifier
            The fitted classifier.
        """
        augmenter = _check_container(self)
        batch = check_clip_batch(X, type(self).__name__)
        y = check_clip_targets(y, batch.n_clips, type(self).__name__)
        X_out, y_out, index = augment_clips(X, y, augmenter=augmenter, n_copies=self.n_copies,
                                            sample_rate=self.sample_rate,
                                            random_state=self.random_state)
        if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype != object:
            self.n_features_in_ = X.shape[1]
            if len({len(c) for c in X_out}) == 1:
                X_out = np.stack(X_out)  # same lengths: keep a 2-D array for the estimator
        elif hasattr(self, "n_features_in_"):
            del self.n_features_in_
        params = expand_per_clip(fit_params_for_estimator(self, fit_params), index, batch.n_clips)
        self.estimator_ = clone(self._estimator()).fit(X_out, y_out, **params)
        self.classes_ = np.asarray(self.estimator_.classes_)
        self.n_train_ = len(X_out)
        return self

    def predict(self, X):
        """Predict with the fitted estimator on the clips as given (never augmented).

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips.

        Returns
        -------
        ndarray of shape (n_clips,)
            Predicted classes.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the fitted estimator on the clips as given.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips.

        Returns
        -------
        ndarray of shape (n_clips, n_classes)
            Columns follow ``classes_``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator on the clips as given.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips.

        Returns
        -------
        ndarray of shape (n_clips,) or (n_clips, n_classes)
            The estimator's decision values.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the wrapped estimator (metadata routing enabled).

        Returns
        -------
        routing : MetadataRouter
            ``fit`` -> ``estimator.fit``.
        """
        return MetadataRouter(owner=self).add(
            estimator=self._estimator(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"))
