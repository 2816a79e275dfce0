"""GTZAN genre collection (1,000 30-s excerpts, 10 genres) loader.

Layout: ``<data_home>/gtzan/genres/<genre>/<genre>.<nnnnn>.au`` (the publisher's
archive ``genres.tar.gz``, 22,050 Hz mono AU files). A copy converted to WAV
(``<genre>.<nnnnn>.wav`` in the same folders, as circulated by several mirrors)
is accepted in place of the AU files.

The archive is pinned by its SHA-256 (the checksum torchaudio pins for the same
URL; mirdata pins its MD5). The publisher's server is often down, so an Internet
Archive copy of the same URL is tried next; both must match the checksum.

Faults: Sturm (2013) catalogued exact and recording repetitions, mislabelled and
distorted excerpts. The fault-filtered partition of Kereliuk, Sturm & Larsen
(2015) leaves 70 of them out and assigns the other 930 to train (443), valid
(197) and test (290) with no artist in two parts; ``gtzan_fault_filtered.txt``
holds it.
"""

from __future__ import annotations

import os
import re
from typing import Union

import numpy as np
from sklearn.utils import Bunch

from ._base import get_data_home
from ._fetch import (
    Remote,
    check_choice,
    check_flag,
    check_selection,
    ensure,
    fetch,
    load_audio,
    load_text,
    native_path,
    require_pandas,
)

__all__ = ["fetch_gtzan"]

PathLike = Union[str, "os.PathLike[str]"]

_FOLDER = "gtzan"
GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop",
          "reggae", "rock")
_SHA256 = "sha256:24347e0223d2ba798e0a558c4c172d9d4a19c00bb7963fe055d183dadb4ef2c6"
#: Mirrors of the same archive, tried in order. Tests monkeypatch this.
_REMOTES = [
    Remote("http://opihi.cs.uvic.ca/sound/genres.tar.gz", "genres.tar.gz", _SHA256),
    Remote("https://web.archive.org/web/20220328223413if_/"
           "http://opihi.cs.uvic.ca/sound/genres.tar.gz", "genres.tar.gz", _SHA256),
]
_SPLIT_FILE = "gtzan_fault_filtered.txt"
_SUBSETS = ("all", "train", "valid", "test")
_TRACK_RE = re.compile(r"^(?:.*/)?genres/([a-z]+)/(\1\.[0-9]{5})\.au$")


def _tracks(genres) -> list[str]:
    return [f"{g}.{i:05d}" for g in genres for i in range(100)]


def _split() -> dict[str, str]:
    """``{track: "train" | "valid" | "test"}`` of the fault-filtered partition."""
    out = {}
    for line in load_text(_SPLIT_FILE).splitlines():
        if line.strip() and not line.startswith("#"):
            track, part = line.split()
            out[track] = part
    return out


def _locate(member: str):
    m = _TRACK_RE.match(member.replace("\\", "/"))
    return f"genres/{m[1]}/{m[2]}.au" if m and m[1] in GENRES else None


def fetch_gtzan(
    data_home: PathLike | None = None,
    *,
    subset: str = "all",
    genres=None,
    exclude_faults: bool = False,
    sample_rate: int | None = None,
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
):
    """Load the GTZAN music genre collection, downloading it if needed.

    1,000 excerpts of 30 s, 100 per genre, mono 22,050 Hz, collected by
    Tzanetakis in 2000-2001 from CDs, radio and microphone recordings. GTZAN
    has known faults (Sturm, 2013): repeated excerpts, mislabelled excerpts
    and distortions; ``exclude_faults=True`` or ``subset="train"/"valid"/"test"``
    (the fault-filtered partition of Kereliuk, Sturm & Larsen, 2015) leave the
    70 faulty excerpts out.

    =================   ===============================================
    Classes             10 genres
    Excerpts            1,000 (930 without the catalogued faults)
    Fault-filtered      443 train / 197 valid / 290 test, artist-disjoint
    Sample rate         22,050 Hz, 30 s per excerpt
    =================   ===============================================

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``gtzan/genres/<genre>/<genre>.<nnnnn>.au`` (or
        ``.wav``). ``None`` uses :func:`get_data_home`.
    subset : {"all", "train", "valid", "test"}, default="all"
        All excerpts, or one part of the fault-filtered partition (which
        never contains a faulty excerpt).
    genres : str, list of str or None, default=None
        Load only these genres; ``None`` loads all ten.
    exclude_faults : bool, default=False
        Leave out the 70 excerpts the fault-filtered partition excludes
        (repetitions, mislabelings, distortions catalogued by Sturm, 2013).
    sample_rate : int or None, default=None
        Resample every excerpt to this rate in Hz; ``None`` keeps 22,050 Hz.
    download_if_missing : bool, default=True
        If files are missing, download ``genres.tar.gz`` (1.2 GB) and check
        its SHA-256. If ``False``, raise ``OSError`` instead.
    n_jobs : int or None, default=None
        Number of threads used to decode the files.
    verbose : bool, default=False
        Show progress bars while downloading, extracting and decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, excerpts by genre then number.

        data : list of ndarray of shape (n_samples_i,), float32
            The excerpts, mono, in [-1, 1).
        target : ndarray of shape (n_clips,), int64
            The genre, an index into ``target_names``.
        target_names : list of str
            The ten genres in alphabetical order.
        groups : ndarray of shape (n_clips,), object
            The excerpt name (``"blues.00042"``): GTZAN ships no artist
            information, so there is no better grouping; use the
            fault-filtered ``split`` for an artist-disjoint evaluation.
        split : ndarray of shape (n_clips,), object
            ``"train"``, ``"valid"``, ``"test"`` of the fault-filtered
            partition, ``"fault"`` for the 70 excluded excerpts.
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        metadata : pandas.DataFrame
            ``track``, ``genre``, ``number``, ``fault`` (bool), ``split``.
        sample_rate : int
            Sample rate of the excerpts in Hz.
        DESCR : str
            Description of the data set, its faults and citations.

    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If a parameter is invalid, or a local file cannot be decoded (the
        message lists every such file).
    OSError
        If files are missing and ``download_if_missing`` is False, or the
        download fails or does not match the checksum (nothing is installed).
    ImportError
        If pandas is not installed (``pip install 'sklaudio[datasets]'``).

    Notes
    -----
    GTZAN has no licence statement; the audio's copyright stays with its
    owners. Cite Tzanetakis & Cook (2002) and, for the faults, Sturm (2013).

    Examples
    --------
    >>> from sklaudio.datasets import fetch_gtzan
    >>> train = fetch_gtzan(subset="train")  # doctest: +SKIP
    >>> len(train.data)  # doctest: +SKIP
    443
    """
    subset = check_choice("subset", subset, _SUBSETS)
    genres = check_selection("genres", genres, GENRES) or list(GENRES)
    exclude_faults = check_flag("exclude_faults", exclude_faults)
    download_if_missing = check_flag("download_if_missing", download_if_missing)
    return_X_y = check_flag("return_X_y", return_X_y)
    pd = require_pandas("fetch_gtzan")

    home = os.path.join(get_data_home(data_home), _FOLDER)
    split = _split()
    tracks = _tracks(genres)
    if subset != "all":
        tracks = [t for t in tracks if split.get(t) == subset]
    elif exclude_faults:
        tracks = [t for t in tracks if t in split]

    def rel(track: str, ext: str) -> str:
        return f"genres/{track.split('.')[0]}/{track}.{ext}"

    # a WAV copy stands in for the AU files, track by track
    wav = {t for t in tracks if os.path.isfile(native_path(home, rel(t, "wav")))}
    needed = [rel(t, "au") for t in tracks if t not in wav]

    def download():
        fetch("GTZAN", home, _REMOTES, _locate, [rel(t, "au") for t in _tracks(GENRES)],
              verbose=verbose)

    ensure("GTZAN", "fetch_gtzan", home, needed, download_if_missing, download)

    rels = [rel(t, "wav" if t in wav else "au") for t in tracks]
    home_abs = os.path.abspath(home)
    paths = [native_path(home_abs, r) for r in rels]
    data, sr = load_audio(paths, sample_rate, n_jobs, verbose, "GTZAN", home)
    genre = [t.split(".")[0] for t in tracks]
    target = np.array([GENRES.index(g) for g in genre], dtype=np.int64)
    if return_X_y:
        return data, target
    parts = np.array([split.get(t, "fault") for t in tracks], dtype=object)
    metadata = pd.DataFrame({
        "track": tracks, "genre": genre, "number": [int(t.split(".")[1]) for t in tracks],
        "fault": parts == "fault", "split": parts,
    })
    return Bunch(
        data=data,
        target=target,
        target_names=list(GENRES),
        groups=np.array(tracks, dtype=object),
        split=parts,
        filenames=np.array(paths, dtype=object),
        metadata=metadata,
        sample_rate=int(sr) if sr is not None else 22050,
        DESCR=load_text("gtzan.rst"),
    )
