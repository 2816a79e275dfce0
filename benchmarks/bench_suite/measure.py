"""Timed measurements, run inside one worker subprocess per thread setting.

The parent sets the thread environment variables of the subprocess before it
starts (so NumPy's BLAS, OpenMP and Numba read them at load time); this
module only applies the run-time limits (``threadpoolctl``,
``torch.set_num_threads``).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .data import Workload
from .impls import FEATURE_LABELS, all_impls, as_clips, max_rel_err

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


_T0 = time.perf_counter()


def log(*a):
    print(f"  {time.perf_counter() - _T0:6.1f} s", *a, file=sys.stderr, flush=True)


def apply_thread_limits(threads: str, torch_too: bool = True) -> dict:
    """Run-time thread limits; returns what was applied."""
    info = {v: os.environ.get(v) for v in THREAD_VARS}
    if threads == "1":
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(1)
            info["threadpoolctl"] = "limits(1)"
        except ImportError:
            info["threadpoolctl"] = "not installed"
    if not torch_too:
        return info
    try:
        import torch

        if threads == "1":
            torch.set_num_threads(1)
        info["torch_threads"] = torch.get_num_threads()
    except Exception:
        pass
    return info


def n_jobs_for(threads: str):
    """sklaudio's ``n_jobs``: None (one thread) or -1 (all cores)."""
    return None if threads == "1" else -1


def best_time(fn, repeat: int):
    """Run ``fn()`` ``repeat`` times; return (last result, best seconds, all seconds).

    As :mod:`timeit`, the cyclic garbage collector is off during each timed
    call (a full collection costs ~0.1 s with torch loaded and would land in
    whichever run it happens to hit); young generations are collected between
    runs, the previous result is freed before the next run.
    """
    times, out = [], None
    for _ in range(repeat):
        out = None  # free the previous result before the next run
        gc.collect(1)
        gc.disable()
        try:
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return out, min(times), times


# ------------------------------------------------------------------------ progress
class Progress:
    """Append-only JSON-lines log of a worker's results, so a crash loses nothing.

    Every unit of work (one implementation of one feature on one workload, a
    floor, a scaling point) writes a ``start`` event before it runs and its
    result after. A worker restarted on the same file skips finished units
    and records a unit that started but never finished as having crashed the
    process (e.g. memory corruption in a compiled kernel), instead of running
    it again.
    """

    def __init__(self, path, crash_file=None):
        self.path = path
        self.events = []
        if path and os.path.exists(path):
            with open(path) as fh:
                for line in fh:
                    try:
                        self.events.append(json.loads(line))
                    except ValueError:  # a line cut by the crash
                        pass
        self.done = {e["key"] for e in self.events if e["type"] != "start" and "key" in e}
        started = {e["key"] for e in self.events if e["type"] == "start"}
        self.crashed = started - self.done
        # Implementations (feature|lib) that crashed a worker, shared by all workers: they
        # are not run again on the other workloads or in the other thread setting.
        self.crash_file = crash_file
        self.crashers = {}
        if crash_file and os.path.exists(crash_file):
            with open(crash_file) as fh:
                self.crashers = json.load(fh)
        for key in self.crashed:
            parts = key.split("|")
            if parts[0] == "row":
                self.crashers.setdefault(f"{parts[3]}|{parts[4]}", f"{parts[2]}, {parts[5]}")
        if crash_file and self.crashed:
            with open(crash_file, "w") as fh:
                json.dump(self.crashers, fh)

    def emit(self, event):
        self.events.append(event)
        if "key" in event and event["type"] != "start":
            self.done.add(event["key"])
        if self.path:
            with open(self.path, "a") as fh:
                fh.write(json.dumps(event) + "\n")
                fh.flush()
                os.fsync(fh.fileno())

    def of(self, kind):
        return [e for e in self.events if e["type"] == kind]


# --------------------------------------------------------------------- throughput
def throughput(wl: Workload, threads: str, repeat: int, features, progress: Progress,
               peers=True) -> None:
    """Every implementation of every feature on one workload, into ``progress``."""
    n_jobs = n_jobs_for(threads)
    X = wl.data()
    X_mini = wl.data(mini=True)
    for feature in features:
        impls, fnotes = all_impls(feature, wl, n_jobs, peers=peers)
        for n in fnotes:
            key = f"note|{feature}|{n}"
            if key not in progress.done:
                progress.emit(dict(type="note", key=key, text=f"{feature}: {n}"))
        ref = None
        for impl in impls:
            key = f"row|{threads}|{wl.key}|{feature}|{impl.lib}|{impl.call}"
            row = dict(type="row", key=key, threads=threads, workload=wl.key, feature=feature,
                       lib=impl.lib, call=impl.call, audio_s=wl.audio_s, n_clips=wl.n_clips,
                       time_s=None, runs_s=None, err=None, note=impl.note, is_ref=impl.is_ref)
            if key in progress.crashed:
                row["note"] = "CRASHED the worker process (skipped on restart)"
                progress.emit(row)
                log(f"    {wl.key} {feature} {impl.lib} [{impl.call}]: {row['note']}")
                continue
            where = progress.crashers.get(f"{feature}|{impl.lib}")
            if where is not None and key not in progress.done:
                row["note"] = f"not run: crashed the process on {where}"
                progress.emit(row)
                log(f"    {wl.key} {feature} {impl.lib}: {row['note']}")
                continue
            if key in progress.done:
                if impl.is_ref and any(i.compare and f"row|{threads}|{wl.key}|{feature}|"
                                       f"{i.lib}|{i.call}" not in progress.done for i in impls):
                    impl.prepare(X)
                    ref = impl.run(X)  # the reference again, untimed, after a restart
                continue
            progress.emit(dict(type="start", key=key))
            try:
                impl.prepare(X_mini)
                impl.run(X_mini)  # warm-up: compilation, caches, lazy imports
                impl.prepare(X)  # untimed set-up (e.g. estimator fit)
                out, best, runs = best_time(lambda: impl.run(X), repeat)
            except Exception as e:  # report and go on (e.g. a feature being written)
                row["note"] = f"failed: {type(e).__name__}: {str(e)[:160]}"
                log(f"    {wl.key} {feature} {impl.lib} [{impl.call}] {row['note']}")
                progress.emit(row)
                continue
            row.update(time_s=best, runs_s=runs)
            if impl.is_ref:
                ref = out
            elif impl.compare and ref is not None:
                err, why = max_rel_err(out, ref)
                row["err"] = err
                if why:
                    row["note"] = (row["note"] + "; " if row["note"] else "") + why
            progress.emit(row)
            log(f"    {wl.key} {feature:9s} {impl.lib:24s} {best:8.3f} s  "
                f"{wl.audio_s / best:12,.0f} audio-s/s"
                + (f"  err {row['err']:.1e}" if row["err"] is not None else ""))
            del out
        del ref


# --------------------------------------------------------------------------- floor
def _chunk_frames(n_fft: int, itemsize: int = 4) -> int:
    try:
        from sklaudio._engine import _chunk_frames as engine_chunk

        return int(engine_chunk(n_fft, itemsize))
    except Exception:
        return max(16, (1 << 19) // (n_fft * itemsize))


def rfft_floor(wl: Workload, threads: str, repeat: int) -> dict:
    """Bare ``scipy.fft.rfft`` over the workload's frame count, in the engine's call pattern.

    A chunk of real, Hann-windowed float32 frames is framed once (untimed);
    the timed loop calls ``scipy.fft.rfft(buf[:n], axis=1, workers=1)`` once
    per chunk of ``chunk`` frames until the workload's total frame count is
    covered, in ``min(cores, chunks)`` threads over contiguous blocks when
    ``threads == "all"`` (as sklaudio's engine with ``n_jobs=-1``).
    """
    import scipy.fft
    from scipy.signal import get_window

    n_fft, hop, N = wl.n_fft, wl.hop, wl.n_frames
    chunk = _chunk_frames(n_fft)
    need = (min(chunk, N) - 1) * hop + n_fft
    x = wl.samples[:need]
    if len(x) < need:
        x = np.resize(wl.samples, need)
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop][: min(chunk, N)]
    win = get_window("hann", n_fft, fftbins=True).astype(np.float32)
    buf0 = np.ascontiguousarray(frames * win, dtype=np.float32)
    n_threads = 1 if threads == "1" else max(1, min(os.cpu_count() or 1, -(-N // chunk)))
    bufs = [buf0.copy() for _ in range(n_threads)]

    def work(i, start, stop):
        buf = bufs[i]
        for f0 in range(start, stop, chunk):
            scipy.fft.rfft(buf[: min(chunk, stop - f0)], axis=1, workers=1)

    def run():
        if n_threads == 1:
            work(0, 0, N)
            return
        bounds = np.linspace(0, N, n_threads + 1).astype(np.int64)
        with ThreadPoolExecutor(max_workers=n_threads) as ex:
            futs = [ex.submit(work, i, int(a), int(b))
                    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]
            for f in futs:
                f.result()

    run()  # warm-up (plan caches)
    _, best, runs = best_time(run, repeat)
    return dict(threads=threads, workload=wl.key, n_frames=N, n_fft=n_fft, chunk=chunk,
                n_threads=n_threads, time_s=best, runs_s=runs, audio_s=wl.audio_s)


# ------------------------------------------------------------------------- scaling
def _sk_mfcc_estimator(p, n_jobs=None):
    from sklaudio import MFCC

    return MFCC(sample_rate=p["sr"], n_fft=p["n_fft"], hop_length=p["hop"], n_mels=p["n_mels"],
                n_mfcc=20, dtype="float32", n_jobs=n_jobs)


def _librosa_mfcc(p):
    try:
        import librosa
    except ImportError:
        return None
    from .impls import _quiet

    def f(clips):
        with _quiet():
            return [librosa.feature.mfcc(y=y, sr=p["sr"], n_mfcc=20, n_fft=p["n_fft"],
                                         hop_length=p["hop"], n_mels=p["n_mels"])
                    for y in clips]

    return f


def scaling_length(sig_wl: Workload, lengths, repeat) -> list:
    """MFCC-20 cost vs the length of one signal (sklaudio functional vs librosa)."""
    from sklaudio.functional import mfcc

    p = dict(sr=sig_wl.sr, n_fft=sig_wl.n_fft, hop=sig_wl.hop, n_mels=sig_wl.n_mels)
    lib = _librosa_mfcc(p)
    kw = dict(sample_rate=p["sr"], n_mfcc=20, n_fft=p["n_fft"], hop_length=p["hop"],
              n_mels=p["n_mels"])
    mfcc(sig_wl.samples[: p["sr"]], **kw)
    if lib:
        lib([sig_wl.samples[: p["sr"]]])
    rows = []
    for L in lengths:
        x = sig_wl.samples[: int(round(L * p["sr"]))]
        audio = len(x) / p["sr"]
        _, t_sk, _ = best_time(lambda: mfcc(x, **kw), repeat)
        t_lr = best_time(lambda: lib([x]), repeat)[1] if lib else None
        rows.append(dict(seconds=audio, sklaudio_s=t_sk, librosa_s=t_lr))
        log(f"    length {audio:8.1f} s: sklaudio {t_sk:.4f} s"
            + (f", librosa {t_lr:.4f} s" if t_lr else ""))
    return rows


def scaling_clips(sig_wl: Workload, durations, repeat) -> list:
    """MFCC-20 cost at a fixed total length cut into clips of ``durations`` seconds."""
    p = dict(sr=sig_wl.sr, n_fft=sig_wl.n_fft, hop=sig_wl.hop, n_mels=sig_wl.n_mels)
    lib = _librosa_mfcc(p)
    total = len(sig_wl.samples)
    rows = []
    for d in durations:
        n = int(round(d * p["sr"]))
        k = total // n
        if k < 1:
            continue
        clips = [sig_wl.samples[i * n:(i + 1) * n] for i in range(k)]
        est = _sk_mfcc_estimator(p).fit(clips[:2])
        est.transform_frames(clips[:2])
        _, t_sk, _ = best_time(lambda: est.transform_frames(clips), repeat)
        t_lr = None
        if lib:
            lib(clips[:2])
            t_lr = best_time(lambda: lib(clips), repeat)[1]
        rows.append(dict(clip_s=n / p["sr"], n_clips=k, seconds=k * n / p["sr"],
                         sklaudio_s=t_sk, librosa_s=t_lr))
        log(f"    {k:5d} clips of {n / p['sr']:.2f} s: sklaudio {t_sk:.4f} s"
            + (f", librosa {t_lr:.4f} s" if t_lr else ""))
    return rows


def njobs_scaling(wls, repeat) -> list:
    """sklaudio MFCC ``transform_frames`` at n_jobs = 1, 2 (and -1 beyond 2 cores)."""
    rows = []
    settings = [1, 2] + ([-1] if (os.cpu_count() or 1) > 2 else [])
    for wl in wls:
        p = dict(sr=wl.sr, n_fft=wl.n_fft, hop=wl.hop, n_mels=wl.n_mels)
        X = wl.data()
        X = X[np.newaxis] if isinstance(X, np.ndarray) and X.ndim == 1 else X
        for nj in settings:
            est = _sk_mfcc_estimator(p, n_jobs=nj).fit(X)
            est.transform_frames(as_clips(wl.data(mini=True)))
            _, t, runs = best_time(lambda: est.transform_frames(X), repeat)
            rows.append(dict(workload=wl.key, n_jobs=nj, time_s=t, runs_s=runs,
                             audio_s=wl.audio_s))
            log(f"    {wl.key} MFCC n_jobs={nj}: {t:.4f} s")
    return rows


# -------------------------------------------------------------------------- worker
def _unit(progress: Progress, kind: str, key: str, fn):
    """Run ``fn()`` once per key across restarts; a unit that crashed is recorded as such."""
    if key in progress.done:
        return
    if key in progress.crashed:
        progress.emit(dict(type=kind, key=key, crashed=True))
        return
    progress.emit(dict(type="start", key=key))
    progress.emit(dict(type=kind, key=key, **fn()))


def worker(paths: dict, threads: str, repeat: int, features, tasks, sizes: dict,
           progress_path: str, crash_file: str | None = None, peers: bool = True) -> dict:
    """Everything timed in one thread setting; returns a JSON-able dict."""
    limits = apply_thread_limits(threads, torch_too=peers)
    import sklaudio

    from .impls import import_errors, peer_status

    progress = Progress(progress_path, crash_file)
    wls = {k: Workload.load(paths[k]) for k in ("W1", "W2", "W3", "W4")}
    if "throughput" in tasks:
        for key, wl in wls.items():
            log(f"  [{threads} thread{'s' if threads != '1' else ''}] {wl.label}: "
                f"{wl.describe()}")
            gc.collect()
            throughput(wl, threads, repeat, features, progress, peers)
            _unit(progress, "floor", f"floor|{threads}|{key}",
                  lambda: rfft_floor(wl, threads, repeat))
    if "scaling" in tasks:
        log(f"  [{threads}] scaling with total length")
        _unit(progress, "scaling_length", f"scaling_length|{threads}", lambda: dict(
            rows=scaling_length(Workload.load(paths["long22050"]), sizes["lengths"], repeat)))
        log(f"  [{threads}] scaling with clip count")
        _unit(progress, "scaling_clips", f"scaling_clips|{threads}", lambda: dict(
            rows=scaling_clips(Workload.load(paths["clips16000"]), sizes["clip_durations"],
                               repeat)))
    if "njobs" in tasks:
        log(f"  [{threads}] n_jobs scaling")
        _unit(progress, "njobs", f"njobs|{threads}",
              lambda: dict(rows=njobs_scaling([wls["W1"], wls["W3"]], repeat)))

    res = dict(threads=threads, limits=limits, sklaudio=sklaudio.__version__,
               peers=peer_status() if peers else {}, labels=FEATURE_LABELS,
               import_errors=import_errors(),
               workloads={k: dict(label=w.label, describe=w.describe(), params=w.params,
                                  audio_s=w.audio_s, n_clips=w.n_clips, n_frames=w.n_frames)
                          for k, w in wls.items()})
    res.update(assemble(progress))
    return res


def assemble(progress: Progress) -> dict:
    """Rows, floors, scaling and notes from a progress log."""
    out = dict(rows=progress.of("row"), notes=[e["text"] for e in progress.of("note")],
               floors=[e for e in progress.of("floor") if not e.get("crashed")])
    for kind in ("scaling_length", "scaling_clips", "njobs"):
        ev = [e for e in progress.of(kind) if not e.get("crashed")]
        if ev:
            out[kind] = ev[-1]["rows"]
        elif progress.of(kind):
            out["notes"].append(f"{kind}: crashed the worker process")
    return out
