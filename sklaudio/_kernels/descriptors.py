"""Per-frame spectral descriptors (centroid, bandwidth, roll-off, flatness, contrast,
flux, entropy), frames-first. Accumulations are in float64 whatever the input dtype."""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def centroid_rows(S, freq, out):
    """Spectral centroid of each row of a magnitude spectrum.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first.
    freq : (n_bins,) float
        Bin centre frequencies in Hz.
    out : (n_frames, 1) float
        ``sum(freq * S) / sum(S)``; a frame whose ``sum(S)`` is below the
        dtype's ``tiny`` is left unnormalised (librosa ``util.normalize``),
        so silence gives 0 Hz.
    """
    tiny = np.finfo(out.dtype).tiny
    for t in range(S.shape[0]):
        num = 0.0
        den = 0.0
        for k in range(S.shape[1]):
            v = S[t, k]
            num += freq[k] * v
            den += abs(v)
        out[t, 0] = num / den if den >= tiny else num


@jit
def bandwidth_rows(S, freq, centroid, p, norm, out):
    """p-th order spectral bandwidth of each row of a magnitude spectrum.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first (non-negative).
    freq : (n_bins,) float
        Bin centre frequencies in Hz.
    centroid : (n_frames,) or (0,) float
        Precomputed centroid of each row in Hz; empty to compute it from
        ``S`` (:func:`centroid_rows`).
    p : float
        Order, ``> 0``.
    norm : bool
        Divide ``S`` by its sum first (librosa ``util.normalize(norm=1)``:
        a frame whose sum is below ``tiny`` is left as is).
    out : (n_frames, 1) float
        ``(sum_k w[k] |freq[k] - c| ** p) ** (1 / p)`` with ``c`` the
        centroid (:func:`centroid_rows`) and ``w = S`` or ``S / sum(S)``.
    """
    tiny = np.finfo(out.dtype).tiny
    n_bins = S.shape[1]
    for t in range(S.shape[0]):
        num = 0.0
        den = 0.0
        for k in range(n_bins):
            v = S[t, k]
            num += freq[k] * v
            den += abs(v)
        scale = den if den >= tiny else 1.0
        c = num / scale if centroid.shape[0] == 0 else np.float64(centroid[t])
        acc = 0.0
        if p == 2.0:
            for k in range(n_bins):
                d = freq[k] - c
                acc += S[t, k] * (d * d)
        elif p == 1.0:
            for k in range(n_bins):
                acc += S[t, k] * abs(freq[k] - c)
        else:
            for k in range(n_bins):
                acc += S[t, k] * abs(freq[k] - c) ** p
        if norm:
            acc = acc / scale
        if p == 2.0:
            out[t, 0] = np.sqrt(acc)
        elif p == 1.0:
            out[t, 0] = acc
        else:
            out[t, 0] = acc ** (1.0 / p)


@jit
def rolloff_rows(S, freq, roll_percent, out):
    """Roll-off frequency of each row, with librosa's tie and silence rules.

    The roll-off is the lowest ``freq[k]`` over the bins whose cumulative sum
    ``C[k] = sum_{j <= k} S[j]`` reaches ``roll_percent * C[-1]`` (librosa
    ``feature.spectral_rolloff``: ``nanmin`` over the qualifying bins). A
    silent frame (``C[-1] == 0``) qualifies every bin, hence ``min(freq)``
    (0 Hz for rFFT bins).

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    freq : (n_bins,) float
        Bin frequencies in Hz.
    roll_percent : float
        In ``(0, 1)``.
    out : (n_frames, 1) float
    """
    n_bins = S.shape[1]
    cum = np.empty(n_bins, dtype=np.float64)
    for t in range(S.shape[0]):
        acc = 0.0
        for k in range(n_bins):
            acc += S[t, k]
            cum[k] = acc
        thr = roll_percent * cum[n_bins - 1]
        best = np.inf
        found = False
        for k in range(n_bins):
            if found or cum[k] >= thr:
                found = True
                best = min(best, freq[k])
        out[t, 0] = best


@jit
def flatness_rows(S, power, amin, out):
    """Spectral flatness of each row: geometric over arithmetic mean of ``max(amin, S**power)``.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    power : float
        Exponent on the magnitude (2: power spectrum).
    amin : float
        Floor, ``> 0``.
    out : (n_frames, 1) float
        ``exp(mean(log v)) / mean(v)`` with ``v = max(amin, S ** power)``,
        in ``[0, 1]`` (clipped at 1 against rounding; a silent frame gives
        ``amin / amin = 1``, as librosa).
    """
    n_bins = S.shape[1]
    for t in range(S.shape[0]):
        slog = 0.0
        ssum = 0.0
        for k in range(n_bins):
            s = np.float64(S[t, k])
            if power == 2.0:
                v = s * s
            elif power == 1.0:
                v = s
            else:
                v = s ** power
            v = max(v, amin)
            slog += np.log(v)
            ssum += v
        g = np.exp(slog / n_bins)
        f = g / (ssum / n_bins)
        out[t, 0] = min(1.0, f)


@jit
def contrast_rows(S, band_start, band_stop, n_q, linear, amin, out):
    """Spectral contrast (peak vs valley of each sub-band) of each row.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum.
    band_start, band_stop : (n_bands + 1,) int64
        Band ``b`` is bins ``band_start[b]:band_stop[b]`` (non-empty).
    n_q : (n_bands + 1,) int64
        Bins averaged for the valley (smallest) and the peak (largest),
        ``1 <= n_q[b] <= band_stop[b] - band_start[b]``.
    linear : bool
        Write ``peak - valley`` into ``out[:, b]`` (``out`` has
        ``n_bands + 1`` columns). Otherwise write ``10 log10(max(amin, peak))``
        into ``out[:, b]`` and the valley's into ``out[:, n_bands + 1 + b]``
        (``out`` has ``2 (n_bands + 1)`` columns); the per-clip ``top_db``
        clamp and the difference are done afterwards.
    amin : float
        Floor before the log.
    out : (n_frames, n_bands + 1) or (n_frames, 2 (n_bands + 1)) float
    """
    n_b = band_start.shape[0]
    width = 0
    for b in range(n_b):
        width = max(width, band_stop[b] - band_start[b])
    buf = np.empty(width, dtype=np.float64)
    scale = 10.0 / np.log(10.0)
    for t in range(S.shape[0]):
        for b in range(n_b):
            a = band_start[b]
            m = band_stop[b] - a
            for i in range(m):
                buf[i] = S[t, a + i]
            sub = buf[:m]
            sub.sort()
            q = n_q[b]
            lo = 0.0
            hi = 0.0
            for i in range(q):
                lo += sub[i]
                hi += sub[m - q + i]
            valley = lo / q
            peak = hi / q
            if linear:
                out[t, b] = peak - valley
            else:
                out[t, b] = scale * np.log(max(peak, amin))
                out[t, n_b + b] = scale * np.log(max(valley, amin))


@jit
def normalized_flux_rows(S, out, first, last):
    """Flux between consecutive rows of sum-normalised magnitude spectra.

    ``out[t, 0] = sum_k (P[t, k] - P[t - 1, k]) ** 2`` with
    ``P[t] = S[t] / sum(S[t])`` (``P[t] = 0`` for a frame whose sum is
    below ``tiny``); ``out[0, 0] = 0``. The caller fixes the first row
    (and any row that starts a clip) with ``first``/``last``.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative), ``n_frames >= 1``.
    out : (n_frames, >= 1) float
    first, last : (n_bins,) float64
        Receive ``P[0]`` and ``P[-1]``.
    """
    n, n_bins = S.shape
    tiny = np.finfo(out.dtype).tiny
    prev = np.zeros(n_bins, dtype=np.float64)
    cur = np.zeros(n_bins, dtype=np.float64)
    for t in range(n):
        s = 0.0
        for k in range(n_bins):
            s += S[t, k]
        inv = 1.0 / s if s >= tiny else 0.0
        for k in range(n_bins):
            cur[k] = S[t, k] * inv
        if t == 0:
            out[t, 0] = 0.0
            for k in range(n_bins):
                first[k] = cur[k]
        else:
            acc = 0.0
            for k in range(n_bins):
                d = cur[k] - prev[k]
                acc += d * d
            out[t, 0] = acc
        for k in range(n_bins):
            prev[k] = cur[k]
    for k in range(n_bins):
        last[k] = prev[k]


@jit
def onset_flux_clips(S, frame_offsets, shift, out):
    """librosa's onset strength (lag 1, no max filter, mean over rows) per clip.

    For each clip of ``T`` frames (local index ``t``):
    ``out[t] = mean_m max(0, S[t - shift + 1, m] - S[t - shift, m])`` when
    ``t >= shift``, else 0 (librosa pads ``shift`` zeros in front of the
    ``T - 1`` differences and trims to ``T``).

    Parameters
    ----------
    S : (n_frames_total, n_mels) float
        Log-power (dB) rows, clips concatenated.
    frame_offsets : (n_clips + 1,) int64
    shift : int
        ``lag + n_fft // (2 hop_length)`` with ``center``, else ``lag`` (>= 1).
    out : (n_frames_total, 1) float
    """
    n_m = S.shape[1]
    for c in range(frame_offsets.shape[0] - 1):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        for f in range(a, b):
            t = f - a
            if t < shift:
                out[f, 0] = 0.0
                continue
            g = a + t - shift
            acc = 0.0
            for m in range(n_m):
                d = np.float64(S[g + 1, m]) - np.float64(S[g, m])
                if d > 0.0:
                    acc += d
            out[f, 0] = acc / n_m


@jit
def entropy_rows(S, power, band_size, n_bands, normalize, out):
    """Shannon entropy (nats) of each row's sub-band energy distribution.

    ``E[j] = sum_{k in band j} S[k] ** power`` over ``n_bands`` contiguous
    bands of ``band_size`` bins from bin 0 (bins past ``n_bands * band_size``
    are ignored); ``p = E / sum(E)``; ``H = -sum_j p[j] log p[j]`` (``0 log 0
    = 0``), clipped to ``[0, log n_bands]`` against rounding. A frame with
    ``sum(E)`` below ``tiny`` gives 0. With ``normalize``, ``H / log n_bands``
    (0 when ``n_bands == 1``).

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative).
    power : float
    band_size, n_bands : int
        ``band_size * n_bands <= n_bins``.
    normalize : bool
    out : (n_frames, 1) float
    """
    tiny = np.finfo(out.dtype).tiny
    E = np.empty(n_bands, dtype=np.float64)
    hmax = np.log(np.float64(n_bands))
    for t in range(S.shape[0]):
        total = 0.0
        for j in range(n_bands):
            acc = 0.0
            for k in range(j * band_size, (j + 1) * band_size):
                s = np.float64(S[t, k])
                if power == 2.0:
                    acc += s * s
                elif power == 1.0:
                    acc += s
                else:
                    acc += s ** power
            E[j] = acc
            total += acc
        if not total >= tiny:
            out[t, 0] = 0.0
            continue
        h = 0.0
        for j in range(n_bands):
            pj = E[j] / total
            if pj > 0.0:
                h -= pj * np.log(pj)
        h = max(h, 0.0)
        h = min(h, hmax)
        if normalize:
            h = h / hmax if n_bands > 1 else 0.0
        out[t, 0] = h
