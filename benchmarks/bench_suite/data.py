"""Deterministic workloads built from the Free Spoken Digit Dataset (FSDD).

Every workload is built once by the parent process, saved as ``.npz`` in a
temporary folder and loaded by the worker subprocesses, so all of them time
exactly the same samples.

* W1: many 3-5 s clips at 22,050 Hz (librosa defaults: n_fft 2048, hop 512,
  128 mels). The FSDD corpus (all recordings in sorted file order,
  concatenated) is resampled once from 8 kHz with soxr (``"HQ"``), then cut
  into consecutive pieces whose lengths are drawn from
  ``default_rng(0).uniform(3, 5)`` seconds (the corpus is cycled when more
  audio is needed).
* W2: the FSDD recordings themselves, 8 kHz, ragged 0.14-2.28 s (n_fft 256,
  hop 80, 40 mels).
* W3: one long signal at 22,050 Hz: the resampled FSDD corpus, cycled, plus
  a quiet deterministic synthetic background (see :func:`synthetic`).
* W4: a ``(n, 16000)`` float32 batch of 1 s clips at 16 kHz: FSDD recording
  ``i % 3000`` resampled to 16 kHz, zero-padded or cropped to 1 s, plus
  seeded noise at 1e-3 (n_fft 512, hop 160, 64 mels).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
FSDD_SR = 8000

#: Workload definitions. ``kind``: "clips" (ragged list), "signal" (one 1-D
#: array) or "batch" (one 2-D array of equal-length clips).
WORKLOADS = {
    "W1": dict(label="W1: 3-5 s clips @ 22,050 Hz", kind="clips", sr=22050, n_fft=2048,
               hop=512, n_mels=128),
    "W2": dict(label="W2: FSDD clips @ 8 kHz", kind="clips", sr=8000, n_fft=256, hop=80,
               n_mels=40),
    "W3": dict(label="W3: one long signal @ 22,050 Hz", kind="signal", sr=22050, n_fft=2048,
               hop=512, n_mels=128),
    "W4": dict(label="W4: (n, 16000) batch of 1 s clips @ 16 kHz", kind="batch", sr=16000,
               n_fft=512, hop=160, n_mels=64),
}

#: Sizes of the full run and of ``--quick``.
SIZES = {
    "full": dict(corpus_files=None, w1_clips=400, w2_clips=None, w3_seconds=600.0,
                 w4_rows=1000, lengths=[10.0, 60.0, 600.0, 3600.0], clip_total=60.0,
                 clip_durations=[0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
    "quick": dict(corpus_files=300, w1_clips=8, w2_clips=100, w3_seconds=10.0, w4_rows=32,
                  lengths=[1.0, 3.0, 10.0], clip_total=5.0,
                  clip_durations=[0.1, 0.5, 2.5]),
}

#: Parameters of the scaling measurements (MFCC-20).
LENGTH_SCALING = dict(sr=22050, n_fft=2048, hop=512, n_mels=128)
CLIP_SCALING = dict(sr=16000, n_fft=512, hop=160, n_mels=64)


def data_dir() -> Path:
    """``$SKLAUDIO_DATA`` (relative to the current directory) or ``<repo>/../shared/datasets``."""
    env = os.environ.get("SKLAUDIO_DATA")
    return Path(env).resolve() if env else (REPO_ROOT / ".." / "shared" / "datasets").resolve()


def fsdd_files(limit=None) -> list[Path]:
    root = data_dir() / "fsdd" / "recordings"
    files = sorted(root.glob("*.wav"))
    if not files:
        sys.exit(f"No FSDD recordings found in {root}. Set SKLAUDIO_DATA to the folder holding "
                 "fsdd/recordings/*.wav.")
    return files[:limit] if limit else files


def load_fsdd(limit=None) -> list[np.ndarray]:
    import soundfile as sf

    clips = []
    for f in fsdd_files(limit):
        x, sr = sf.read(f, dtype="float32", always_2d=False)
        if sr != FSDD_SR or x.ndim != 1:
            sys.exit(f"{f}: expected mono {FSDD_SR} Hz audio, got sr={sr}, shape={x.shape}.")
        clips.append(x)
    return clips


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    import soxr

    if sr_in == sr_out:
        return np.asarray(x, dtype=np.float32)
    return soxr.resample(np.asarray(x, dtype=np.float32), sr_in, sr_out, quality="HQ").astype(
        np.float32, copy=False)


def cycle(x: np.ndarray, n: int, start: int = 0) -> np.ndarray:
    """``n`` samples of ``x`` repeated end to end, from position ``start``."""
    idx = (start + np.arange(n)) % len(x)
    return x[idx]


def synthetic(n: int, sr: int, block: int = 1 << 20) -> np.ndarray:
    """Deterministic background: four frequency-modulated sinusoids plus noise, float32.

    The chirps sweep periodically between about 50 Hz and 8 kHz (closed-form
    phase, so no drift), with an amplitude envelope; the noise is
    ``default_rng(0).standard_normal``. Generated block by block, so a longer
    signal starts with exactly the samples of a shorter one.
    """
    chirps = [(300.0, 250.0, 3.0, 0.30), (1200.0, 900.0, 7.0, 0.20),
              (3000.0, 2500.0, 11.0, 0.12), (6000.0, 2000.0, 1.7, 0.08)]
    rng = np.random.default_rng(0)
    out = np.empty(n, dtype=np.float32)
    for a in range(0, n, block):
        b = min(n, a + block)
        t = np.arange(a, b, dtype=np.float64) / sr
        sig = np.zeros(b - a)
        for fc, df, period, amp in chirps:
            fc_ = min(fc, 0.3 * sr)  # keep every sweep below 0.45 * sr (no aliasing)
            df_ = min(df, fc_ - 50.0, 0.45 * sr - fc_)
            phase = 2 * np.pi * (fc_ * t - df_ * period / (2 * np.pi)
                                 * np.cos(2 * np.pi * t / period))
            sig += amp * np.sin(phase)
        sig *= 0.6 + 0.4 * np.sin(2 * np.pi * t / 5.0)
        sig += 0.02 * rng.standard_normal(b - a)
        out[a:b] = sig
    return out


def long_signal(corpus: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    """FSDD speech (``corpus`` at ``sr``, cycled) plus the synthetic background at 0.05x."""
    n = int(round(seconds * sr))
    return (cycle(corpus, n) + np.float32(0.05) * synthetic(n, sr)).astype(np.float32)


@dataclass
class Workload:
    """One workload's samples: ``samples[offsets[i]:offsets[i+1]]`` is clip ``i``."""

    key: str
    label: str
    kind: str
    sr: int
    n_fft: int
    hop: int
    n_mels: int
    samples: np.ndarray
    offsets: np.ndarray
    extra: dict = field(default_factory=dict)

    @property
    def n_clips(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def audio_s(self) -> float:
        return float(self.offsets[-1]) / self.sr

    @property
    def n_frames(self) -> int:
        """Frames with ``center=True``: ``sum(1 + n // hop)``."""
        return int(np.sum(1 + self.lengths // self.hop))

    @property
    def clips(self) -> list[np.ndarray]:
        o = self.offsets
        return [self.samples[o[i]:o[i + 1]] for i in range(self.n_clips)]

    def data(self, mini: bool = False):
        """The workload in its natural form: list of clips, 1-D signal or 2-D batch.

        ``mini`` gives a small input of the same form, for warm-up.
        """
        if self.kind == "clips":
            c = self.clips
            return c[:2] if mini else c
        if self.kind == "signal":
            return self.samples[: 2 * self.sr] if mini else self.samples
        Y = self.samples.reshape(self.n_clips, -1)
        return Y[:2] if mini else Y

    @property
    def params(self) -> str:
        return f"sr={self.sr}, n_fft={self.n_fft}, hop={self.hop}, n_mels={self.n_mels}"

    def describe(self) -> str:
        lens = self.lengths / self.sr
        if self.n_clips == 1:
            shape = f"1 signal of {self.audio_s:,.1f} s"
        elif self.kind == "batch":
            shape = f"({self.n_clips}, {int(self.lengths[0])}) batch"
        else:
            shape = f"{self.n_clips} clips of {lens.min():.2f}-{lens.max():.2f} s"
        return f"{shape}, {self.audio_s:,.1f} s of audio, {self.n_frames:,} frames"

    # -- persistence ----------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        path = folder / f"{self.key}.npz"
        meta = dict(key=self.key, label=self.label, kind=self.kind, sr=self.sr,
                    n_fft=self.n_fft, hop=self.hop, n_mels=self.n_mels, extra=self.extra)
        np.savez(path, samples=self.samples, offsets=self.offsets, meta=json.dumps(meta))
        return path

    @classmethod
    def load(cls, path: Path) -> "Workload":
        with np.load(path) as z:
            meta = json.loads(str(z["meta"]))
            return cls(samples=z["samples"], offsets=z["offsets"], **meta)


def _from_clips(key, clips, **kw) -> Workload:
    offsets = np.zeros(len(clips) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in clips], out=offsets[1:])
    samples = np.concatenate(clips).astype(np.float32, copy=False)
    spec = dict(WORKLOADS[key]) if key in WORKLOADS else {}
    spec.update(kw)
    return Workload(key=key, samples=samples, offsets=offsets, **spec)


def build_all(size: str, folder: Path, log=print) -> dict:
    """Build and save every workload and the scaling signals; return their paths."""
    cfg = SIZES[size]
    log(f"Loading FSDD from {data_dir() / 'fsdd' / 'recordings'} ...")
    fsdd = load_fsdd(cfg["corpus_files"])
    corpus8 = np.concatenate(fsdd)
    corpora = {sr: resample(corpus8, FSDD_SR, sr) for sr in (16000, 22050)}
    paths = {}

    # W1: consecutive 3-5 s pieces of the 22,050 Hz corpus.
    sr = 22050
    durs = np.random.default_rng(0).uniform(3.0, 5.0, cfg["w1_clips"])
    lens = np.round(durs * sr).astype(np.int64)
    stream = cycle(corpora[sr], int(lens.sum()))
    bounds = np.concatenate([[0], np.cumsum(lens)])
    w1 = [stream[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    paths["W1"] = _from_clips("W1", w1).save(folder)

    # W2: the FSDD recordings at 8 kHz.
    w2 = fsdd if cfg["w2_clips"] is None else fsdd[: cfg["w2_clips"]]
    paths["W2"] = _from_clips("W2", w2).save(folder)

    # Long signals: one of the longest needed length; shorter ones are its prefixes.
    longest = max(cfg["w3_seconds"], max(cfg["lengths"]))
    sig22 = long_signal(corpora[22050], longest, 22050)
    n3 = int(round(cfg["w3_seconds"] * 22050))
    paths["W3"] = _from_clips("W3", [sig22[:n3]]).save(folder)
    paths["long22050"] = _from_clips("long22050", [sig22], label="long signal @ 22,050 Hz",
                                     kind="signal", **LENGTH_SCALING).save(folder)
    del sig22

    # W4: 1 s clips at 16 kHz from individual recordings, padded/cropped, plus noise.
    n_rows, n = cfg["w4_rows"], 16000
    Y = np.zeros((n_rows, n), dtype=np.float32)
    for i in range(n_rows):
        x = resample(fsdd[i % len(fsdd)], FSDD_SR, 16000)[:n]
        Y[i, : len(x)] = x
    Y += np.float32(1e-3) * np.random.default_rng(4).standard_normal(Y.shape, dtype=np.float32)
    paths["W4"] = _from_clips("W4", list(Y)).save(folder)

    # Clip-count scaling: a fixed total at 16 kHz, cut into equal clips later.
    sig16 = long_signal(corpora[16000], cfg["clip_total"], 16000)
    paths["clips16000"] = _from_clips("clips16000", [sig16], label="signal @ 16 kHz",
                                      kind="signal", **CLIP_SCALING).save(folder)
    return {k: str(v) for k, v in paths.items()}
