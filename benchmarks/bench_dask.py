"""Feature extraction of FSDD files: one process vs a dask.distributed LocalCluster.

    SKLAUDIO_DATA=../shared/datasets python benchmarks/bench_dask.py [--files 3000] [--repeat 3]
        [--features default|all]

Workload: every file decoded, resampled from 8 kHz to 22,050 Hz (soxr HQ) and
turned into AudioFeatures' default set (MFCC, chroma, five spectral
descriptors; n_fft 2048, hop 512; ``--features all``: all 22 features, pitch and LPC
included, about 5 times the work), 64 files per batch. Timed (best of
``--repeat``, after a warm-up that compiles / loads the Numba cache):

- serial: ``transform_files(est, paths)`` in this process, one thread;
- threads: ``transform_files(est, paths, n_jobs=2)`` (two threads, engine single-threaded);
- dask: ``transform_files(est, paths, client=client)`` on ``LocalCluster(n_workers=2,
  threads_per_worker=1)``; the cluster's start-up (worker processes importing sklaudio)
  is timed separately.

Every result is checked equal to the serial one.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from sklaudio import AudioFeatures
from sklaudio.io import find_audio_files, transform_files


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--features", choices=("default", "all"), default="default")
    args = ap.parse_args()
    root = os.environ.get("SKLAUDIO_DATA", os.path.join("..", "shared", "datasets"))
    paths = find_audio_files(os.path.join(root, "fsdd", "recordings"))[:args.files]
    params = {} if args.features == "default" else {
        "features": AudioFeatures.available_features()}
    est = AudioFeatures(sample_rate=22050, **params).fit([np.zeros(2048)])
    print(f"{len(paths)} FSDD files -> 22,050 Hz, AudioFeatures {args.features} "
          f"({est.n_features_out_} columns), {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} before")

    transform_files(est, paths[:64])  # warm-up: Numba kernels, soxr
    t_serial, ref = best(lambda: transform_files(est, paths), args.repeat)
    print(f"serial (1 thread)            {t_serial:6.2f} s")
    t_thr, res = best(lambda: transform_files(est, paths, n_jobs=2), args.repeat)
    assert np.array_equal(res.features, ref.features)
    print(f"threads (n_jobs=2)           {t_thr:6.2f} s   x{t_serial / t_thr:.2f}")

    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        t_start = time.perf_counter() - t0
        transform_files(est, paths[:128], client=client)  # warm-up on the workers
        t_dask, res = best(lambda: transform_files(est, paths, client=client), args.repeat)
        assert np.array_equal(res.features, ref.features)
    print(f"dask LocalCluster 2 x 1      {t_dask:6.2f} s   x{t_serial / t_dask:.2f} "
          f"(cluster start-up {t_start:.1f} s, not included); load average "
          f"{os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
