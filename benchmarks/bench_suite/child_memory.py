"""Peak-memory child: ``python child_memory.py {impl} W3.npz``.

``impl`` is ``sklaudio`` (``functional.mfcc`` on the 1-D signal),
``sklaudio-estimator`` (``MFCC(...).transform_frames([signal])``) or
``librosa`` (``librosa.feature.mfcc``), all MFCC-20 with n_fft 2048, hop 512,
128 mels at 22,050 Hz.

1. Load the signal (float32) and warm the implementation up on 2 s of it
   (Numba compilation or cache load, lazy imports, filterbank caches).
2. ``gc.collect()``, then record the resident set size (RSS) as the baseline
   and start a thread sampling RSS every 0.5 ms (psutil).
3. Compute the MFCC of the whole signal once; the peak RSS increase is
   ``max(sampled RSS) - baseline``. The kernel's exact high-water mark is
   reported too where Linux allows resetting it: ``VmHWM`` of
   ``/proc/self/status`` after writing ``5`` to ``/proc/self/clear_refs``
   just before the computation (``ru_maxrss`` cannot be used: it is inherited
   from the parent process across ``fork``/``exec``).
4. Free the result, then compute once more under ``tracemalloc`` (which sees
   NumPy's and Python's allocations, not Numba's or the FFT library's
   internal buffers) and report its peak.

Prints one JSON line.
"""

import gc
import json
import sys
import threading
import time
import tracemalloc

import numpy as np


def _vm_hwm():
    """Peak resident set size in bytes (``VmHWM``), or None off Linux."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_hwm() -> bool:
    """Reset ``VmHWM`` to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def main():
    impl, path = sys.argv[1], sys.argv[2]
    with np.load(path) as z:
        sig = np.ascontiguousarray(z["samples"], dtype=np.float32)
    sr, kw = 22050, dict(n_mfcc=20, n_fft=2048, hop_length=512, n_mels=128)
    if impl == "sklaudio":
        from sklaudio.functional import mfcc

        def run(x):
            return mfcc(x, sample_rate=sr, **kw)
    elif impl == "sklaudio-estimator":
        from sklaudio import MFCC

        est = MFCC(sample_rate=sr, dtype="float32", **kw).fit([sig[:sr]])

        def run(x):
            return est.transform_frames([x])
    else:
        import librosa

        def run(x):
            return librosa.feature.mfcc(y=x, sr=sr, **kw)

    run(sig[: 2 * sr])
    import psutil

    proc = psutil.Process()
    gc.collect()
    hwm_ok = _reset_hwm()
    rss0 = proc.memory_info().rss
    peak = [rss0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.0005)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t0 = time.perf_counter()
    out = run(sig)
    dt = time.perf_counter() - t0
    stop.set()
    th.join()
    peak[0] = max(peak[0], proc.memory_info().rss)
    hwm = _vm_hwm() if hwm_ok else None
    out_bytes = sum(np.asarray(o).nbytes for o in (out if isinstance(out, list) else [out]))
    del out
    gc.collect()
    tracemalloc.start()
    run(sig)
    _, tm_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps(dict(
        impl=impl, seconds=len(sig) / sr, input_bytes=int(sig.nbytes), output_bytes=int(out_bytes),
        rss_baseline=int(rss0), rss_peak_delta=int(peak[0] - rss0),
        hwm_delta=int(hwm - rss0) if hwm is not None else None,
        tracemalloc_peak=int(tm_peak), time_s=dt,
    )))


if __name__ == "__main__":
    main()
