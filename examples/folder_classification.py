"""Classify any folder-per-class data set: ``DIR/<class>/*.wav`` (GTZAN genres, coughs, ...).

Every sub-folder of ``DIR`` is a class and every audio file in it (WAV, FLAC,
OGG, AU, AIFF) an example. The files are decoded and resampled with
:class:`~sklaudio.io.AudioLoader`, summarised by :class:`~sklaudio.AudioFeatures`
(MFCC, chroma, spectral shape and contrast, RMS, zero crossings; mean and
standard deviation over time), scaled and classified with an SVC whose ``C`` is
chosen by an inner grid search. It prints the stratified k-fold accuracy and
macro-F1, the per-class report, and saves a confusion matrix PNG.

GTZAN genres (the fetched subset of 10 excerpts per genre)::

    python examples/folder_classification.py /work/data/gtzan_mini/genres --out /tmp/gtzan.png

COUGHVID-style coughs sorted into ``coughs/<status>/*.wav`` work the same way.
If your data has a grouping (speaker, recording), a plain k-fold over files
overestimates: put one group's files in one fold (GroupKFold).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    f1_score,
)
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklaudio import AudioFeatures
from sklaudio.io import AudioLoader

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".au", ".aif", ".aiff")


def scan(root: str) -> tuple[list[str], np.ndarray, list[str]]:
    """Paths, class index per path and class names of a folder-per-class tree."""
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    paths, labels = [], []
    for k, c in enumerate(classes):
        for name in sorted(os.listdir(os.path.join(root, c))):
            if name.lower().endswith(AUDIO_EXTENSIONS) and not name.startswith("."):
                paths.append(os.path.join(root, c, name))
                labels.append(k)
    if not paths:
        raise SystemExit(f"No audio files in {root}/<class>/: expected e.g. {root}/jazz/a.wav")
    return paths, np.array(labels), classes


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="folder with one sub-folder of audio files per class")
    parser.add_argument("--sample-rate", type=int, default=22050)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default="confusion_matrix.png", help="confusion matrix PNG")
    args = parser.parse_args(argv)

    paths, y, classes = scan(args.root)
    counts = np.bincount(y, minlength=len(classes))
    print(f"{len(paths)} files in {len(classes)} classes: "
          + ", ".join(f"{c} {n}" for c, n in zip(classes, counts)))

    t0 = time.perf_counter()
    clips = AudioLoader(sample_rate=args.sample_rate, n_jobs=args.n_jobs,
                        verbose=True).fit_transform(paths)
    feats = AudioFeatures(
        features=("mfcc", "chroma", "spectral_centroid", "spectral_bandwidth",
                  "spectral_rolloff", "spectral_flatness", "spectral_contrast", "rms",
                  "zero_crossing_rate"),
        sample_rate=args.sample_rate, pooling=("mean", "std"), n_jobs=args.n_jobs)
    X = feats.fit_transform(clips)
    print(f"features: {X.shape} in {time.perf_counter() - t0:.1f} s")

    folds = min(args.folds, int(counts.min()))
    model = GridSearchCV(Pipeline([("scale", StandardScaler()), ("svc", SVC())]),
                         {"svc__C": [1, 10, 100]}, cv=StratifiedKFold(max(2, folds - 1)))
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    pred = cross_val_predict(model, X, y, cv=cv, n_jobs=args.n_jobs)
    acc, f1 = accuracy_score(y, pred), f1_score(y, pred, average="macro")
    print(f"\n{folds}-fold cross-validated accuracy {acc:.3f}, macro-F1 {f1:.3f} "
          f"(chance {counts.max() / counts.sum():.3f})\n")
    print(classification_report(y, pred, target_names=classes, digits=3, zero_division=0))

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(y, pred, display_labels=classes, ax=ax,
                                            xticks_rotation=45, colorbar=False)
    ax.set_title(f"{os.path.basename(os.path.normpath(args.root))}: {folds}-fold accuracy "
                 f"{acc:.3f}")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")
    return {"accuracy": acc, "macro_f1": f1}


if __name__ == "__main__":
    main()
