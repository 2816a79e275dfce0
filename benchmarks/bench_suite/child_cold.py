"""Cold-start child: ``python child_cold.py {sklaudio|librosa} clip.npy``.

Runs in a fresh interpreter started by ``benchmarks/run.py``: times
``import numpy``, the library import and the first and second MFCC of one
clip, and prints one JSON line. Standalone on purpose (imports nothing from
the suite before timing).
"""

import time

T0 = time.perf_counter()
import json  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

T1 = time.perf_counter()


def main():
    lib, clip_path = sys.argv[1], sys.argv[2]
    clip = np.load(clip_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t2 = time.perf_counter()
        if lib == "sklaudio":
            import sklaudio
            from sklaudio import MFCC

            t3 = time.perf_counter()
            out = MFCC(sample_rate=22050).fit_transform([clip])
            t4 = time.perf_counter()
            MFCC(sample_rate=22050).fit_transform([clip])
            t5 = time.perf_counter()
            where = sklaudio.__file__
        else:
            import librosa

            t3 = time.perf_counter()
            out = librosa.feature.mfcc(y=clip, sr=22050)
            t4 = time.perf_counter()
            librosa.feature.mfcc(y=clip, sr=22050)
            t5 = time.perf_counter()
            where = librosa.__file__
    out = np.asarray(out, dtype=np.float64)
    print(json.dumps(dict(
        numpy_s=T1 - T0, import_s=t3 - t2, first_s=t4 - t3, second_s=t5 - t4, file=where,
        shape=list(out.shape), out=out.ravel()[:200].tolist(),
        warnings=sorted({f"{w.category.__name__}: {str(w.message)[:160]}" for w in caught}),
    )))


if __name__ == "__main__":
    main()
