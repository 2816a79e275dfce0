"""Compare feature sets on FSDD with leave-one-speaker-out cross-validation.

Every feature set is a stateless sklaudio transformer (or a ``FeatureUnion``
of them) followed by stock scikit-learn ``StandardScaler`` and
``SVC(C=10)`` (RBF kernel, ``gamma="scale"``). Folds are ``GroupKFold`` by
speaker, one of FSDD's 6 speakers per fold, so every score is on a voice the
classifier never heard. Prints mean +- std accuracy over the folds, the
per-fold scores (in GroupKFold's speaker order, printed in the header), the
feature dimension and the feature time.

Sets (all at 8 kHz; 10 ms hop):

``mfcc``         MFCC-20 from 40 mel bands, mean+std over frames (baseline).
``mfcc_deltas``  the same plus deltas and delta-deltas, mean+std.
``gfcc``         GFCC-20 (64 gammatone channels, cube-root loudness,
                 Shao & Wang 2008), mean+std.
``pncc``         PNCC-13 (Kim & Stern 2016, the paper's 25.6 ms frames), mean+std.
``composite``    ``AudioFeatures``: MFCC-20 + chroma + spectral centroid,
                 bandwidth, roll-off, flatness, contrast, ZCR and RMS, mean+std.
``mfcc_traj``    MFCC-20 (40 mels), mean+std + 32-point trajectory (the frames
                 resampled in time: keeps the order of the phones).
``mfcc13_traj``  MFCC-13 from 26 mel bands (HTK/Kaldi-like ASR front end:
                 25 ms Hann windows), dB relative to each clip's maximum
                 (``ref="max"``: level-invariant), mean+std + 24-point trajectory.
``gfcc_traj``    GFCC-13 (log compression, ``ref="max"``), same pooling.
``pncc_traj``    PNCC-13, same pooling.
``mfcc_gfcc``    ``FeatureUnion`` of ``mfcc13_traj`` and ``gfcc_traj``.
``union``        ``FeatureUnion`` of ``mfcc13_traj``, PNCC-13 trajectory with
                 cepstral mean normalisation (``cmn=True``) and MFCC-13
                 delta/delta-delta mean+std. Pure sklaudio.
``best``         ``union`` after trimming leading/trailing silence
                 (:class:`sklaudio.Trim`, ``librosa.effects.trim``'s rule:
                 frames more than 30 dB below the clip's loudest 25 ms frame,
                 keeping 10 ms either side). Trimming aligns the trajectories
                 on the word itself.

The transformers are stateless (``fit`` learns nothing from the clips), so
each set's features are computed once for all 3,000 clips and the folds
re-fit only the scaler and the classifier; that is exactly what
``cross_val_score`` on the full ``Pipeline`` would compute, just faster.
With ``--nested``, ``C`` and ``gamma`` are chosen per outer fold by
``GridSearchCV`` over the remaining 5 speakers (inner ``GroupKFold``), so the
score stays an unbiased leave-one-speaker-out estimate (about 3 min per
union set on one core; without it all sets take under a minute).

Run from the repository root::

    SKLAUDIO_DATA=../shared/datasets python examples/compare_features.py
    SKLAUDIO_DATA=../shared/datasets python examples/compare_features.py --sets mfcc best
    SKLAUDIO_DATA=../shared/datasets python examples/compare_features.py --sets best --nested
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import sklaudio
from sklaudio.datasets import fetch_fsdd

SR = 8000
FRAMES = {"sample_rate": SR, "n_fft": 256, "hop_length": 80}
# ASR-style frames: 25 ms Hann windows (200 samples) every 10 ms, FFT of 256.
ASR = {"sample_rate": SR, "n_fft": 256, "win_length": 200, "hop_length": 80}
TRAJ = {"pooling": ("mean", "std", "trajectory"), "trajectory_length": 24}


def union_features() -> FeatureUnion:
    """The ``union`` set: MFCC and CMN-PNCC trajectories plus MFCC delta statistics."""
    return FeatureUnion([
        ("mfcc_traj", sklaudio.MFCC(n_mels=26, n_mfcc=13, ref="max", **ASR, **TRAJ)),
        ("pncc_traj", sklaudio.PNCC(sample_rate=SR, n_pncc=13, cmn=True, **TRAJ)),
        ("mfcc_deltas", sklaudio.MFCC(n_mels=26, n_mfcc=13, ref="max", delta_order=2, **ASR)),
    ])


def feature_sets() -> dict:
    """name -> (description, transformer), in the order they are run."""
    mfcc13_traj = dict(n_mels=26, n_mfcc=13, ref="max", **ASR, **TRAJ)
    gfcc13_traj = dict(n_gfcc=13, compression="log", ref="max", **ASR, **TRAJ)
    # librosa.effects.trim's rule on 25 ms frames every 10 ms, keeping one hop either side.
    trim = sklaudio.Trim(top_db=30.0, frame_length=int(0.025 * SR), hop_length=int(0.010 * SR),
                         margin=int(0.010 * SR))
    return {
        "mfcc": ("MFCC-20 (40 mels), mean+std", sklaudio.MFCC(n_mels=40, **FRAMES)),
        "mfcc_deltas": ("MFCC-20 + deltas + delta-deltas, mean+std",
                        sklaudio.MFCC(n_mels=40, delta_order=2, **FRAMES)),
        "gfcc": ("GFCC-20 (64 gammatone channels, cube root), mean+std",
                 sklaudio.GFCC(**FRAMES)),
        "pncc": ("PNCC-13 (Kim & Stern 2016 frames), mean+std",
                 sklaudio.PNCC(sample_rate=SR)),
        "composite": (("AudioFeatures: MFCC-20 + chroma + centroid, bandwidth, rolloff, "
                      "flatness, contrast, ZCR, RMS; mean+std"),
                      sklaudio.AudioFeatures(
                          features=("mfcc", "chroma", "spectral_centroid",
                                    "spectral_bandwidth", "spectral_rolloff",
                                    "spectral_flatness", "spectral_contrast",
                                    "zero_crossing_rate", "rms"),
                          n_mels=40, contrast_n_bands=4, contrast_fmin=100.0, **FRAMES)),
        "mfcc_traj": ("MFCC-20 (40 mels), mean+std + 32-point trajectory",
                      sklaudio.MFCC(n_mels=40, pooling=("mean", "std", "trajectory"),
                                    **FRAMES)),
        "mfcc13_traj": ("MFCC-13 (26 mels, dB re clip max), mean+std + 24-point trajectory",
                        sklaudio.MFCC(**mfcc13_traj)),
        "gfcc_traj": ("GFCC-13 (log, dB re clip max), mean+std + 24-point trajectory",
                      sklaudio.GFCC(**gfcc13_traj)),
        "pncc_traj": ("PNCC-13, mean+std + 24-point trajectory",
                      sklaudio.PNCC(sample_rate=SR, **TRAJ)),
        "mfcc_gfcc": ("union of mfcc13_traj and gfcc_traj",
                      FeatureUnion([("mfcc", sklaudio.MFCC(**mfcc13_traj)),
                                    ("gfcc", sklaudio.GFCC(**gfcc13_traj))])),
        "union": (("mfcc13_traj + PNCC-13 (CMN) trajectory + MFCC-13 delta/delta-delta "
                  "mean+std"), union_features()),
        "best": ("union after trimming silence (30 dB below the loudest 25 ms frame)",
                 make_pipeline(trim, union_features())),
    }


def set_n_jobs(est: BaseEstimator, n_jobs: int) -> None:
    """Set ``n_jobs`` on every sklaudio transformer inside ``est`` (threads over frames)."""
    if type(est).__module__.startswith("sklaudio"):
        est.set_params(n_jobs=n_jobs)
    for key, sub in est.get_params(deep=True).items():
        if isinstance(sub, BaseEstimator) and type(sub).__module__.startswith("sklaudio"):
            est.set_params(**{f"{key}__n_jobs": n_jobs})


def nested_scores(Z: np.ndarray, y: np.ndarray, groups: np.ndarray, cv: GroupKFold) -> np.ndarray:
    """Outer leave-one-speaker-out scores of a ``GridSearchCV`` over ``C`` and ``gamma``.

    The inner search uses ``GroupKFold`` over the training speakers only.
    ``gamma`` is a multiple of ``1 / n_features`` (``"scale"`` after
    ``StandardScaler``).
    """
    d = Z.shape[1]
    grid = {"svc__C": [3.0, 30.0], "svc__gamma": [0.5 / d, 1.0 / d, 2.0 / d]}
    scores = []
    for train, test in cv.split(Z, y, groups):
        inner = GroupKFold(n_splits=len(np.unique(groups[train])))
        search = GridSearchCV(make_pipeline(StandardScaler(), SVC()), grid, cv=inner)
        search.fit(Z[train], y[train], groups=groups[train])
        scores.append(search.score(Z[test], y[test]))
    return np.asarray(scores)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None, help="dataset folder (default: $SKLAUDIO_DATA)")
    parser.add_argument("--sets", nargs="*", default=None, help="feature sets to run (default: all)")
    parser.add_argument("--n-jobs", type=int, default=None, help="threads for feature extraction")
    parser.add_argument("--nested", action="store_true",
                        help="choose SVC C and gamma by nested GridSearchCV (slow: ~3 min/set)")
    args = parser.parse_args(argv)

    t_start = time.perf_counter()
    sets = feature_sets()
    chosen = args.sets or list(sets)
    unknown = [s for s in chosen if s not in sets]
    if unknown:
        parser.error(f"unknown set(s) {unknown}; available: {list(sets)}")
    data = fetch_fsdd(data_home=args.data_home)
    X, y, groups = data.data, np.asarray(data.target), np.asarray(data.speaker)
    n_speakers = len(np.unique(groups))
    cv = GroupKFold(n_splits=n_speakers)
    order = [str(groups[test][0]) for _, test in cv.split(X, y, groups)]
    clf_name = "nested GridSearchCV(C, gamma) SVC" if args.nested else "SVC(C=10)"
    print(f"FSDD: {len(X)} clips, {n_speakers} speakers; leave-one-speaker-out "
          f"(GroupKFold({n_speakers})), StandardScaler + {clf_name}\n"
          f"fold order: {' '.join(order)}\n")
    results = {}
    print(f"{'set':<12} {'accuracy':>15}  {'dims':>5} {'feat s':>7}  per fold / description")
    for name in chosen:
        desc, est = sets[name]
        if args.n_jobs is not None:
            set_n_jobs(est, args.n_jobs)
        t0 = time.perf_counter()
        Z = est.fit_transform(X)
        t_feat = time.perf_counter() - t0
        if args.nested:
            scores = nested_scores(Z, y, groups, cv)
        else:
            clf = make_pipeline(StandardScaler(), SVC(C=10))
            scores = cross_val_score(clf, Z, y, groups=groups, cv=cv)
        results[name] = scores
        folds = " ".join(f"{s * 100:.0f}" for s in scores)
        print(f"{name:<12} {scores.mean() * 100:6.1f} +- {scores.std() * 100:4.1f} %  "
              f"{Z.shape[1]:5d} {t_feat:7.2f}  [{folds}] {desc}", flush=True)
    print(f"\ntotal {time.perf_counter() - t_start:.0f} s")
    return results


if __name__ == "__main__":
    main()
