"""Audio event detection on real speech: spoken digits in long noisy recordings.

The task (issue 10): FSDD spoken digits are placed at random times, without
overlap, into 30-second recordings of background noise at a chosen SNR
(:func:`sklaudio.datasets.make_soundscapes`, which knows the exact event
list by construction). An :class:`sklaudio.events.EventDetector` learns from
the soundscapes of some speakers and is scored on soundscapes built from the
other speakers' recordings, so every detected word is a voice it never heard.

System: MFCC frames (10 ms hop, 25 ms window) with +-``CONTEXT`` frames of
context, a frame classifier, and post-processing (threshold, median filter,
minimum duration, gap merging). Two tasks are scored:

- ``digit``: each event is labelled with its digit (10 classes, one event at
  a time: ``polyphonic=False``);
- ``digit, two-stage``: the same detector finds the words, and a clip
  classifier (MFCC-13 mean/std/trajectory + SVC, the FSDD recipe of
  ``examples/compare_features.py``) trained on the training events labels
  each detected word (``segment_classifier``);
- ``speech``: one class, "a digit is spoken here" (voice activity).

Metrics (sed_eval's definitions, :mod:`sklaudio.events`): event-based F1
with a 200 ms onset collar and an offset collar of max(200 ms, 20 % of the
event's length) (DCASE), and segment-based error rate on 1 s segments, per
test SNR (0, 10 and 20 dB). A plot of one test soundscape (spectrogram,
frame probabilities, detected and reference events) is saved as
``event_detection.png``.

Run::

    SKLAUDIO_DATA=../shared/datasets python examples/event_detection.py [--quick]

Needs pandas (``pip install sklaudio[events]``) and, for the plot, matplotlib.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklaudio import MFCC
from sklaudio.datasets import fetch_fsdd, make_soundscapes
from sklaudio.events import EventDetector, event_based_metrics, segment_based_metrics

SR = 8000
CONTEXT = 12          # frames on each side: 250 ms of context per frame
TEST_SPEAKERS = ("theo", "yweweler")
SNRS = (0.0, 10.0, 20.0)


def soundscapes(clips, labels, n, snr, seed):
    return make_soundscapes(clips, labels, sample_rate=SR, n_soundscapes=n, duration=30.0,
                            background="pink", snr_db=snr, gap=(0.3, 2.5), random_state=seed)


def word_classifier():
    """Whole-word classifier: MFCC-13 (level-invariant) mean, std and 24-point trajectory + SVC."""
    mfcc = MFCC(sample_rate=SR, n_mfcc=13, n_mels=26, n_fft=256, win_length=200, hop_length=80,
                ref="max", pooling=("mean", "std", "trajectory"), trajectory_length=24)
    return make_pipeline(mfcc, StandardScaler(), SVC(C=10))


def detector(polyphonic: bool, seed: int, two_stage: bool = False) -> EventDetector:
    features = MFCC(sample_rate=SR, n_mfcc=20, n_mels=40, n_fft=256, win_length=200,
                    hop_length=80, fmin=50.0, top_db=None, dtype="float32")
    clf = make_pipeline(StandardScaler(),
                        MLPClassifier(hidden_layer_sizes=(256, 128), alpha=1e-3,
                                      early_stopping=True, max_iter=60, random_state=seed))
    return EventDetector(features, clf, context=CONTEXT, polyphonic=polyphonic,
                         threshold=0.5, median_window=0.15, min_duration=0.1, min_gap=0.1,
                         segment_classifier=word_classifier() if two_stage else None,
                         max_train_frames=250_000, random_state=seed)


def score(det, X, Y):
    est = det.predict(X)
    ev = event_based_metrics(Y, est, t_collar=0.2, percentage_of_length=0.2)
    seg = segment_based_metrics(Y, est, time_resolution=1.0)
    return ev.overall, seg.overall, est


def plot(det, x, ref, est, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sklaudio.functional import power_to_db, spectrogram

    scores = det.predict_proba([x])[0]
    S = power_to_db(spectrogram(x, n_fft=256, hop_length=80), ref=np.max)
    fig, ax = plt.subplots(3, 1, figsize=(12, 7), sharex=True,
                           gridspec_kw={"height_ratios": [3, 2, 1]})
    dur = x.size / SR
    ax[0].imshow(S, origin="lower", aspect="auto", extent=[0, dur, 0, SR / 2], cmap="magma")
    ax[0].set_ylabel("Hz")
    ax[0].set_title("Test soundscape (held-out speakers): spectrogram (dB)")
    ax[1].plot(scores.times, scores.proba.sum(axis=1), color="k", lw=0.8,
               label="P(any digit)")
    ax[1].axhline(det.threshold, color="r", ls="--", lw=0.8, label="threshold")
    ax[1].set_ylabel("probability")
    ax[1].legend(loc="upper right")
    for row, (table, color) in enumerate(((ref, "tab:green"), (est, "tab:blue"))):
        for on, off, lab in table[["onset", "offset", "event_label"]].itertuples(index=False):
            ax[2].add_patch(plt.Rectangle((on, row + 0.1), off - on, 0.8, color=color))
            ax[2].text((on + off) / 2, row + 0.5, str(lab), ha="center", va="center",
                       fontsize=7, color="w")
    ax[2].set_yticks([0.5, 1.5], ["reference", "detected"])
    ax[2].set_ylim(0, 2)
    ax[2].set_xlim(0, dur)
    ax[2].set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer soundscapes (a smoke run)")
    parser.add_argument("--out", default=".", help="folder for event_detection.png")
    args = parser.parse_args()
    n_train, n_test = (12, 3) if args.quick else (60, 10)

    data = fetch_fsdd(os.environ.get("SKLAUDIO_DATA"))
    test = np.isin(data.speaker, TEST_SPEAKERS)
    clips = np.asarray(data.data, dtype=object)
    digits = np.asarray([str(d) for d in data.target], dtype=object)
    print(f"FSDD: {(~test).sum()} clips from {sorted(set(data.speaker[~test]))} for training, "
          f"{test.sum()} from {list(TEST_SPEAKERS)} for testing")

    train = soundscapes(list(clips[~test]), list(digits[~test]), n_train, list(SNRS), seed=0)
    tests = {snr: soundscapes(list(clips[test]), list(digits[test]), n_test, snr, seed=100 + i)
             for i, snr in enumerate(SNRS)}
    n_events = sum(len(t) for t in train.events)
    print(f"train: {n_train} soundscapes x 30 s at {SNRS} dB SNR, {n_events} events; "
          f"test: {n_test} x 30 s per SNR\n")

    results = []
    for task in ("digit", "digit, two-stage", "speech"):
        relabel = (lambda t: t.assign(event_label="speech")) if task == "speech" else (
            lambda t: t)
        det = detector(polyphonic=task == "speech", seed=0, two_stage="two-stage" in task)
        t0 = time.perf_counter()
        det.fit(train.data, [relabel(t) for t in train.events])
        fit_s = time.perf_counter() - t0
        for snr in SNRS:
            X, Y = tests[snr].data, [relabel(t) for t in tests[snr].events]
            t0 = time.perf_counter()
            ev, seg, est = score(det, X, Y)
            pred_s = time.perf_counter() - t0
            results.append((task, snr, ev, seg, fit_s, pred_s, len(X) * 30.0))
            if task == "digit, two-stage" and snr == 10.0:
                try:
                    plot(det, X[0], Y[0], est[0], os.path.join(args.out, "event_detection.png"))
                except ImportError:
                    print("(matplotlib not installed: no plot)")

    print("| task | test SNR (dB) | event F1 | event ER | segment F1 | segment ER (1 s) "
          "| fit (s) | predict (s) | audio (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for task, snr, ev, seg, fit_s, pred_s, audio in results:
        print(f"| {task} | {snr:.0f} | {ev['f_measure']:.3f} | {ev['error_rate']:.3f} | "
              f"{seg['f_measure']:.3f} | {seg['error_rate']:.3f} | {fit_s:.0f} | {pred_s:.1f} "
              f"| {audio:.0f} |")


if __name__ == "__main__":
    main()
