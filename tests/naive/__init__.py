"""Plain-NumPy twins of every Numba kernel, written from the defining formulas.

One module per family; each holds shared reference helpers (frames, STFT, mel
filterbank, ...) and, below its "kernel twins" line, one twin per kernel of
``sklaudio._kernels``, with the kernel's name and signature: the twin writes
the kernel's outputs into the same arguments and returns what the kernel returns.
They are slow and obvious on purpose (loops, ``numpy.pad``, ``np.fft``, scipy).

:data:`TWINS` maps each kernel's function *name* (not its module, which may
change) to its twin; :data:`COVERED_BY` lists the internal helpers that have no
twin of their own and the kernel whose twin test exercises them.
``tests/test_kernel_twins.py`` checks that every dispatcher is in one of them
and runs each kernel against its twin.
"""

from __future__ import annotations

from . import (  # noqa: F401
    cepstral,
    chroma,
    delta,
    descriptors,
    energy,
    filters,
    gammatone,
    lpc,
    pitch,
    pncc,
    pooling,
    spectral,
    stft,
    temporal,
    voice,
)

_BY_MODULE = {
    stft: ["padded_index", "frame_chunk", "overlap_add", "nonfinite_rows", "nonfinite_segments"],
    cepstral: ["db_reference_clamp", "db_running_clamp", "dct_rows"],
    delta: ["delta_clips"],
    energy: ["energy_rows", "energy_entropy_rows"],
    temporal: ["zcr_rows", "rms_rows", "rms_spectrum_rows"],
    pooling: ["_sorted_percentile", "pool_clips", "trajectory_clips"],
    chroma: ["normalize_rows", "chroma_rows", "tuning_peaks_rows"],
    lpc: ["autocorrelation", "levinson", "lpc_rows", "lpc_to_cepstrum", "lpcc_rows",
          "log_magnitude_rows"],
    pitch: ["yin_rows"],
    pncc: ["preemphasis_clips", "filterbank_rows", "medium_time_power", "asymmetric_lowpass",
           "temporal_masking", "noise_suppression", "weight_smoothing",
           "mean_power_normalization", "pncc_clips", "subtract_clip_means"],
    gammatone: ["gammatone_frame_energy", "gammatone_stream_energy"],
    spectral: ["filter_band", "power_row", "logf_cephes", "log_f32", "floor_db",
               "power_band_transposed", "_filterbank_block", "power_filterbank",
               "spectrum_power", "spectrum_mag_power", "db_reference_clamp_flat"],
    descriptors: ["log_pos", "centroid_rows", "bandwidth_rows", "rolloff_rows",
                  "_flatness_from_levels", "flatness_rows", "fused_descriptor_rows", "_select",
                  "_sum_smallest", "_sum_largest", "_band_extremes", "contrast_rows",
                  "normalized_flux_rows", "onset_flux_clips", "entropy_rows",
                  "entropy_rows_f32"],
    voice: ["mark_periods"],
}

#: kernel function name -> its plain-NumPy twin
TWINS = {name: getattr(mod, name) for mod, names in _BY_MODULE.items() for name in names}

#: internal helper kernel -> the kernel whose twin test covers it (helpers without a twin)
COVERED_BY: dict[str, str] = {
    # the state-carrying forms of the PNCC recursions (their streamed results equal the
    # whole-clip ones: tests/test_streaming.py)
    "asymmetric_lowpass_from": "asymmetric_lowpass",
    # the peak picking and frame lookup of the period marker
    "_peak": "mark_periods",
    "_frame_of": "mark_periods",
    "temporal_masking_from": "temporal_masking",
    "noise_suppression_from": "noise_suppression",
    "mean_power_normalization_from": "mean_power_normalization",
    "pncc_frames": "pncc_clips",
    # the per-sample step and frame accumulation shared by both gammatone kernels
    "gammatone_step": "gammatone_frame_energy",
    "accumulate_frames": "gammatone_frame_energy",
}
