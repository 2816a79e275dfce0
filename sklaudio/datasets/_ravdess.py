"""RAVDESS (Ryerson Audio-Visual Database of Emotional Speech and Song) loader, audio only.

Files live in ``<data_home>/ravdess/Audio_Speech_Actors_01-24/Actor_XX/*.wav`` and
``<data_home>/ravdess/Audio_Song_Actors_01-24/Actor_XX/*.wav``: the two Zenodo
archives (record 1188976), each extracted into a folder named after it. A copy
already extracted there is used as is; missing files are downloaded from Zenodo.

The file names are the whole metadata: ``MM-VV-EE-II-SS-RR-AA.wav`` (modality,
vocal channel, emotion, intensity, statement, repetition, actor), so the list of
files is known in advance: 60 speech files for each of the 24 actors, 44 song
files for each actor but actor 18 (who recorded no song).

How the speech manifest was made
--------------------------------
``ravdess_speech_sha256.txt`` holds the SHA-256 of the 1,440 speech files, computed
from two public copies of ``Audio_Speech_Actors_01-24`` whose 1,440 git blob hashes
are identical (``cd Audio_Speech_Actors_01-24 && LC_ALL=C find . -name '*.wav' |
sed 's#^./##' | LC_ALL=C sort | xargs sha256sum``). Zenodo's MD5 of the zip is not
pinned here: only the files inside are checked. The song files have no manifest
(no verified copy was available when it was made): their download is checked for
completeness and decodability only.
"""

from __future__ import annotations

import os
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
    load_manifest,
    load_text,
    native_path,
    require_pandas,
)

__all__ = ["fetch_ravdess"]

PathLike = Union[str, "os.PathLike[str]"]

_FOLDER = "ravdess"
_ZENODO = "https://zenodo.org/records/1188976/files/"
#: vocal channel -> (folder and archive name, Remote). Tests monkeypatch the URLs.
_ARCHIVES = {
    "speech": "Audio_Speech_Actors_01-24",
    "song": "Audio_Song_Actors_01-24",
}
_URLS = {ch: f"{_ZENODO}{name}.zip?download=1" for ch, name in _ARCHIVES.items()}
_SPEECH_MANIFEST = "ravdess_speech_sha256.txt"
_DESCR_FILE = "ravdess.rst"
_SUBSETS = ("speech", "song", "all")
_SAMPLE_RATE = 48000

EMOTIONS = ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised")
_SONG_EMOTIONS = (1, 2, 3, 4, 5, 6)  # the song channel has no disgust or surprised
_STATEMENTS = {1: "Kids are talking by the door", 2: "Dogs are sitting by the door"}
_MODALITIES = {1: "full-AV", 2: "video-only", 3: "audio-only"}
_CHANNELS = {1: "speech", 2: "song"}
_INTENSITIES = {1: "normal", 2: "strong"}
_ACTORS = tuple(range(1, 25))
_NO_SONG_ACTORS = (18,)


def _file_names(channel: str, actor: int) -> list[str]:
    """The files the publisher lists for one actor and vocal channel, in name order."""
    if channel == "song" and actor in _NO_SONG_ACTORS:
        return []
    code = 1 if channel == "speech" else 2
    emotions = range(1, 9) if channel == "speech" else _SONG_EMOTIONS
    names = []
    for emotion in emotions:
        for intensity in ((1,) if emotion == 1 else (1, 2)):  # neutral has no strong take
            for statement in (1, 2):
                for repetition in (1, 2):
                    names.append(f"03-{code:02d}-{emotion:02d}-{intensity:02d}-{statement:02d}-"
                                 f"{repetition:02d}-{actor:02d}.wav")
    return names


def _parse(name: str) -> dict:
    """Every field of a RAVDESS file name."""
    codes = [int(c) for c in name[:-4].split("-")]
    modality, channel, emotion, intensity, statement, repetition, actor = codes
    return {
        "filename": name,
        "modality": _MODALITIES[modality],
        "vocal_channel": _CHANNELS[channel],
        "emotion": EMOTIONS[emotion - 1],
        "emotion_code": emotion,
        "intensity": _INTENSITIES[intensity],
        "statement": _STATEMENTS[statement],
        "statement_code": statement,
        "repetition": repetition,
        "actor": actor,
        "sex": "male" if actor % 2 else "female",
    }


def _download(home: str, channel: str, verbose: bool) -> None:
    folder = _ARCHIVES[channel]
    manifest = None
    if channel == "speech":
        manifest = {f"{folder}/{k}": v for k, v in load_manifest(_SPEECH_MANIFEST).items()}
    expected = [f"{folder}/Actor_{a:02d}/{n}" for a in _ACTORS for n in _file_names(channel, a)]
    wanted = {rel.split("/", 1)[1] for rel in expected}

    def locate(member: str):
        # Zenodo's zips hold Actor_XX/<name>.wav at their root; accept a leading folder too
        parts = member.replace("\\", "/").split("/")
        rel = "/".join(parts[-2:])
        return f"{folder}/{rel}" if rel in wanted else None

    fetch("RAVDESS", home, [Remote(_URLS[channel], f"{folder}.zip", None)], locate, expected,
          manifest=manifest, verbose=verbose)


def fetch_ravdess(
    data_home: PathLike | None = None,
    *,
    subset: str = "speech",
    actors=None,
    sample_rate: int | None = None,
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
) -> Bunch | tuple[list[np.ndarray], np.ndarray]:
    """Load the audio of RAVDESS (emotional speech and song), downloading it if needed.

    24 professional actors (12 female, 12 male) say two statements ("Kids are
    talking by the door", "Dogs are sitting by the door") and sing them, in
    several emotions at two intensities. Audio-only files, mono 16-bit WAV at
    48 kHz, about 3-5 s long.

    =================   =============================================
    Classes             8 emotions (speech), 6 (song)
    Speech clips        1,440 (24 actors x 60)
    Song clips          1,012 (23 actors x 44; actor 18 sang none)
    Sample rate         48,000 Hz
    =================   =============================================

    Read more in the data set description, ``fetch_ravdess().DESCR``.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``ravdess/Audio_Speech_Actors_01-24/Actor_XX/*.wav``
        (and ``Audio_Song_Actors_01-24`` for song), where missing files are
        downloaded. ``None`` uses :func:`get_data_home`. A copy of Zenodo's
        archives already extracted there is used without a download.
    subset : {"speech", "song", "all"}, default="speech"
        Which vocal channel to load.
    actors : int, list of int or None, default=None
        Load only these actors (1-24); ``None`` loads all.
    sample_rate : int or None, default=None
        Resample every clip to this rate in Hz (soxr); ``None`` keeps 48 kHz.
    download_if_missing : bool, default=True
        If files are missing, download the archive of their channel (about
        200 MB each) from Zenodo and check every speech file's SHA-256. If
        ``False``, raise ``OSError`` instead.
    n_jobs : int or None, default=None
        Number of threads used to decode the files.
    verbose : bool, default=False
        Show progress bars while downloading, extracting, verifying and
        decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes below; the clips are in
        file-name order (speech before song, then actor, emotion, ...).

        data : list of ndarray of shape (n_samples_i,), float32
            The clips, mono, in [-1, 1).
        target : ndarray of shape (n_clips,), int64
            The emotion, an index into ``target_names`` (emotion code - 1).
        target_names : list of str
            The eight emotions, ``"neutral"`` to ``"surprised"``.
        groups : ndarray of shape (n_clips,), int64
            The actor (1-24): pass it to
            :class:`~sklearn.model_selection.GroupKFold` so that no actor is in
            both the training and the test folds.
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        metadata : pandas.DataFrame
            One row per clip with every field of the file name: ``filename``,
            ``modality``, ``vocal_channel``, ``emotion``, ``emotion_code``,
            ``intensity``, ``statement``, ``statement_code``, ``repetition``,
            ``actor``, ``sex`` (odd actors are male, even ones female).
        sample_rate : int
            Sample rate of the clips in Hz.
        DESCR : str
            Description of the data set, with its licence and citation.

    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If a parameter is invalid, or a local file cannot be decoded (the
        message lists every such file).
    OSError
        If files are missing and ``download_if_missing`` is False, or the
        download fails or does not match the checksums (the message lists
        every missing or corrupt file; nothing is installed).
    ImportError
        If pandas is not installed (``pip install 'sklaudio[datasets]'``).

    Notes
    -----
    The metadata DataFrame needs pandas. Local files are not hashed on load,
    only checked to exist; delete ``<data_home>/ravdess`` to force a fresh,
    verified download. RAVDESS is licensed CC BY-NC-SA 4.0.

    Examples
    --------
    >>> from sklaudio.datasets import fetch_ravdess
    >>> ravdess = fetch_ravdess(sample_rate=16000)  # doctest: +SKIP
    >>> len(ravdess.data), len(set(ravdess.groups))  # doctest: +SKIP
    (1440, 24)
    """
    subset = check_choice("subset", subset, _SUBSETS)
    actors = check_selection("actors", actors, _ACTORS) or list(_ACTORS)
    download_if_missing = check_flag("download_if_missing", download_if_missing)
    return_X_y = check_flag("return_X_y", return_X_y)
    pd = require_pandas("fetch_ravdess")

    home = os.path.join(get_data_home(data_home), _FOLDER)
    channels = ["speech", "song"] if subset == "all" else [subset]
    rels = []
    for channel in channels:
        folder = _ARCHIVES[channel]
        needed = [f"{folder}/Actor_{a:02d}/{n}" for a in actors for n in _file_names(channel, a)]
        ensure("RAVDESS", "fetch_ravdess", home, needed, download_if_missing,
               lambda channel=channel: _download(home, channel, verbose))
        rels += needed

    home_abs = os.path.abspath(home)
    paths = [native_path(home_abs, r) for r in rels]
    data, sr = load_audio(paths, sample_rate, n_jobs, verbose, "RAVDESS", home)
    metadata = pd.DataFrame([_parse(r.rsplit("/", 1)[1]) for r in rels])
    target = metadata["emotion_code"].to_numpy(dtype=np.int64) - 1
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=list(EMOTIONS),
        groups=metadata["actor"].to_numpy(dtype=np.int64),
        filenames=np.array(paths, dtype=object),
        metadata=metadata,
        sample_rate=int(sr) if sr is not None else _SAMPLE_RATE,
        DESCR=load_text(_DESCR_FILE),
    )
