"""Streaming event detection: real-time factor, and how far causal hysteresis moves events.

A speech detector (MFCC frames, +-5 frames of context, logistic regression) is
trained on FSDD soundscapes (``make_soundscapes``, 10 dB SNR) and run on held-out
soundscapes both offline (``predict``) and online (``stream_events`` on 1024-sample
blocks). Reports, for a single threshold and for hysteresis (0.7 / 0.3): the real-time
factor of the stream, whether the events equal the offline ones, and for hysteresis the
onset and offset differences (the causal rule cannot extend an event backwards) and the
event-based F1 of each against the reference.

    SKLAUDIO_DATA=../shared/datasets python benchmarks/bench_event_stream.py
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklaudio import MFCC
from sklaudio.datasets import fetch_fsdd, make_soundscapes
from sklaudio.events import EventDetector, event_based_metrics

SR = 8000


def main():
    data = fetch_fsdd(os.environ.get("SKLAUDIO_DATA"))
    test = np.isin(data.speaker, ("theo", "yweweler"))
    clips = np.asarray(data.data, dtype=object)
    lab = ["speech"] * len(clips)
    tr = make_soundscapes(list(clips[~test]), lab[: (~test).sum()], sample_rate=SR,
                          n_soundscapes=15, duration=30.0, snr_db=10.0, random_state=0)
    te = make_soundscapes(list(clips[test]), lab[: test.sum()], sample_rate=SR,
                          n_soundscapes=10, duration=60.0, snr_db=10.0, random_state=1)
    mfcc = MFCC(sample_rate=SR, n_fft=256, win_length=200, hop_length=80, n_mels=40,
                top_db=None)
    print("| post-processing | stream RTF | stream == offline | mean onset shift (ms) "
          "| mean offset shift (ms) | F1 offline | F1 stream | latency (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, kw in (("threshold 0.5", {}), ("hysteresis 0.7/0.3",
                                             {"threshold": 0.7, "threshold_low": 0.3})):
        det = EventDetector(mfcc, make_pipeline(StandardScaler(), LogisticRegression()),
                            context=5, median_window=0.1, min_duration=0.1, min_gap=0.1,
                            **kw).fit(tr.data, tr.events)
        offline = det.predict(te.data)
        t0 = time.perf_counter()
        online = []
        for x in te.data:
            blocks = [x[i:i + 1024] for i in range(0, x.size, 1024)]
            ev = pd.concat(list(det.stream_events(blocks)), ignore_index=True)
            online.append(ev.sort_values(["onset", "event_label"], ignore_index=True))
        wall = time.perf_counter() - t0
        audio = sum(x.size for x in te.data) / SR
        same = all(len(a) == len(b) and np.allclose(a.onset, b.onset) and
                   np.allclose(a.offset, b.offset) for a, b in zip(online, offline))
        d_on, d_off = [], []
        for a, b in zip(online, offline):
            if len(a) == len(b):
                d_on += list(a.onset - b.onset)
                d_off += list(a.offset - b.offset)
        f_off = event_based_metrics(te.events, offline, percentage_of_length=0.2)
        f_on = event_based_metrics(te.events, online, percentage_of_length=0.2)
        print(f"| {name} | {audio / wall:,.0f} | {same} | {1000 * np.mean(d_on):.1f} | "
              f"{1000 * np.mean(d_off):.1f} | {f_off.overall['f_measure']:.3f} | "
              f"{f_on.overall['f_measure']:.3f} | {det.stream_latency():.3f} |")


if __name__ == "__main__":
    main()
