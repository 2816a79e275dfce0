"""Compare feature sets on FSDD with leave-one-speaker-out cross-validation.

Each feature set is a scikit-learn transformer from sklaudio followed by
``StandardScaler`` and ``SVC(C=10)`` (stock scikit-learn, RBF kernel, default
``gamma``). Folds are ``GroupKFold`` by speaker, one speaker per fold,
so every score is on a voice the classifier never heard. Prints mean +- std
accuracy over the folds, the per-fold scores and the feature time.

The transformers are stateless (``fit`` learns nothing from the clips), so
each set's features are computed once for all 3,000 clips and the folds
re-fit only the scaler and the classifier; that is exactly what
``cross_val_score`` on the full ``Pipeline`` would compute, just faster.

Run from the repository root::

    SKLAUDIO_DATA=../shared/datasets python examples/compare_features.py
    SKLAUDIO_DATA=../shared/datasets python examples/compare_features.py --sets mfcc best
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import sklaudio
from sklaudio.datasets import fetch_fsdd

SR = 8000
FRAMES = dict(sample_rate=SR, n_fft=256, hop_length=80)
# The "trajectory" configuration: 25 ms Hann windows (200 samples), 26 mel bands, 13 MFCC,
# dB relative to each clip's maximum (level-invariant), frames resampled to 24 points.
TRAJ = dict(sample_rate=SR, n_fft=256, win_length=200, hop_length=80,
            pooling=("mean", "std", "trajectory"), trajectory_length=24)


def feature_sets() -> dict:
    """name -> (description, transformer). Sets whose estimator is missing are skipped."""
    sets = {
        "mfcc": ("MFCC-20 (40 mels), mean+std", sklaudio.MFCC(n_mels=40, **FRAMES)),
        "mfcc_deltas": ("MFCC-20 + deltas + delta-deltas, mean+std",
                        sklaudio.MFCC(n_mels=40, delta_order=2, **FRAMES)),
        "mfcc_traj": ("MFCC-20 (40 mels), mean+std + 32-point trajectory",
                      sklaudio.MFCC(n_mels=40, pooling=("mean", "std", "trajectory"),
                                    **FRAMES)),
        "composite": ("AudioFeatures: MFCC-20 + chroma + centroid, bandwidth, rolloff, "
                      "flatness, contrast, ZCR, RMS; mean+std",
                      sklaudio.AudioFeatures(
                          features=_available(("mfcc", "chroma", "spectral_centroid",
                                               "spectral_bandwidth", "spectral_rolloff",
                                               "spectral_flatness", "spectral_contrast",
                                               "zero_crossing_rate", "rms")),
                          n_mels=40, contrast_n_bands=4, contrast_fmin=100.0, **FRAMES)),
        "best": ("MFCC-13 (26 mels, dB re clip max), mean+std + 24-point trajectory",
                 sklaudio.MFCC(n_mels=26, n_mfcc=13, ref="max", **TRAJ)),
    }
    if hasattr(sklaudio, "GFCC"):
        sets["gfcc"] = ("GFCC-20 (64 gammatone channels), mean+std",
                        sklaudio.GFCC(**FRAMES))
    if hasattr(sklaudio, "PNCC"):
        sets["pncc"] = ("PNCC-13, mean+std", sklaudio.PNCC(**FRAMES))
    return sets


def _available(names):
    return tuple(n for n in names if n in sklaudio.AudioFeatures.available_features())


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None, help="dataset folder (default: $SKLAUDIO_DATA)")
    parser.add_argument("--sets", nargs="*", default=None, help="feature sets to run (default: all)")
    parser.add_argument("--n-jobs", type=int, default=None, help="threads for feature extraction")
    args = parser.parse_args(argv)

    data = fetch_fsdd(data_home=args.data_home)
    X, y, groups = data.data, data.target, data.speaker
    n_speakers = len(np.unique(groups))
    print(f"FSDD: {len(X)} clips, {n_speakers} speakers; leave-one-speaker-out "
          f"(GroupKFold({n_speakers})), StandardScaler + SVC\n")
    sets = feature_sets()
    chosen = args.sets or list(sets)
    unknown = [s for s in chosen if s not in sets]
    if unknown:
        parser.error(f"unknown set(s) {unknown}; available: {list(sets)}")
    results = {}
    print(f"{'set':<12} {'accuracy':>15}  {'dims':>5} {'feat s':>7}  per fold / description")
    for name in chosen:
        desc, est = sets[name]
        if args.n_jobs is not None:
            est.set_params(n_jobs=args.n_jobs)
        t0 = time.perf_counter()
        Z = est.fit_transform(X)
        t_feat = time.perf_counter() - t0
        clf = make_pipeline(StandardScaler(), SVC(C=10))
        scores = cross_val_score(clf, Z, y, groups=groups, cv=GroupKFold(n_splits=n_speakers))
        results[name] = scores
        folds = " ".join(f"{s * 100:.0f}" for s in scores)
        print(f"{name:<12} {scores.mean() * 100:6.1f} +- {scores.std() * 100:4.1f} %  "
              f"{Z.shape[1]:5d} {t_feat:7.2f}  [{folds}] {desc}", flush=True)
    return results


if __name__ == "__main__":
    main()
