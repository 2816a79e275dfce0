"""Time-domain energy estimators (pyAudioAnalysis): short-term energy, entropy of energy."""

from __future__ import annotations

from . import functional as F
from ._base import TimeDomainFeatureTransformer
from ._docstrings import fill_params
from ._params import FRAMING, POOLING, POSITIVE_INT, combine
from .functional._energy import (
    check_n_sub_frames,
    energy_entropy_spec,
    short_term_energy_spec,
)

__all__ = ["EnergyEntropy", "ShortTermEnergy"]

@fill_params("frames", references_from=F.short_term_energy)
class ShortTermEnergy(TimeDomainFeatureTransformer):
    """Short-term energy per frame, pooled per clip.

    ``E[t] = (1 / L) sum_n x_t[n] ** 2``: the mean squared sample of each raw
    frame of ``L = frame_length`` samples (pyAudioAnalysis
    ``ShortTermFeatures.energy``, formerly ``stEnergy``; T. Giannakopoulos,
    PLoS ONE 10(12), 2015). It is the square of librosa's ``feature.rms``
    with the same framing. Squared sample units; silent frames give 0.
    Equal to :func:`sklaudio.functional.short_term_energy` frame by frame.

    Parameters
    ----------

    Attributes
    ----------
    n_features_frame_ : int
        1 (``short_term_energy``).
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.short_term_energy, EnergyEntropy

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import ShortTermEnergy
    >>> X = np.stack([0.5 * np.ones(4000), np.zeros(4000)])
    >>> est = ShortTermEnergy(frame_length=256, hop_length=128, center=False).fit(X)
    >>> est.get_feature_names_out().tolist()
    ['short_term_energy_mean', 'short_term_energy_std']
    >>> est.transform(X).tolist()
    [[0.25, 0.0], [0.0, 0.0]]
    """

    def __init__(self, *, frame_length=2048, hop_length=512, center=True, pad_mode="constant",
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(FRAMING, POOLING)

    def _specs(self, dtype):
        return [short_term_energy_spec(self.frame_length, dtype)]

    def _frame_feature_names(self):
        return ["short_term_energy"]


@fill_params("frames", references_from=F.energy_entropy)
class EnergyEntropy(TimeDomainFeatureTransformer):
    """Entropy of energy per frame (bits), pooled per clip.

    pyAudioAnalysis ``ShortTermFeatures.energy_entropy`` (Giannakopoulos
    2015): each raw frame of ``L = frame_length`` samples, truncated to
    ``K * (L // K)`` samples with ``K = n_sub_frames``, is cut into ``K``
    consecutive sub-frames; their energies ``e_j`` are normalised by the
    whole frame's energy ``E`` (tail included) and
    ``H = -sum_j s_j log2(s_j + eps)`` with ``s_j = e_j / (E + eps)``,
    ``eps = 1e-8``. ``H`` is ``log2 K`` for evenly spread energy and low
    when the energy is concentrated in a few sub-frames (onsets, clicks);
    ``-eps / ln 2 <= H <= log2 K`` for ``K >= 3`` (``K <= 2``: see
    :func:`sklaudio.functional.energy_entropy`). Silent frames give 0. Equal to
    :func:`sklaudio.functional.energy_entropy` frame by frame.

    Parameters
    ----------
    n_sub_frames : int, default=10
        ``K``, sub-frames per frame (pyAudioAnalysis's ``n_short_blocks``),
        ``1 <= K <= frame_length``.

    Attributes
    ----------
    n_features_frame_ : int
        1 (``energy_entropy``).
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.energy_entropy, ShortTermEnergy

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import EnergyEntropy
    >>> X = np.random.default_rng(0).standard_normal((2, 8000))
    >>> H = EnergyEntropy(frame_length=400, hop_length=200, pooling="mean").fit_transform(X)
    >>> bool(np.all((H > 3.2) & (H <= np.log2(10))))   # noise: energy spread evenly
    True
    """

    def __init__(self, *, frame_length=2048, hop_length=512, center=True, pad_mode="constant",
                 n_sub_frames=10, pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.pad_mode = pad_mode
        self.n_sub_frames = n_sub_frames
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(FRAMING, POOLING, n_sub_frames=[POSITIVE_INT])

    def _check_params(self):
        super()._check_params()
        check_n_sub_frames(self.n_sub_frames, self.frame_length)

    def _specs(self, dtype):
        return [energy_entropy_spec(self.frame_length, dtype, n_sub_frames=self.n_sub_frames)]

    def _frame_feature_names(self):
        return ["energy_entropy"]
