"""Give the C heap's free pages back to the system now and then (glibc ``malloc_trim``).

Loading a Rasa model reads the archive, a TensorFlow checkpoint and the spaCy lemma table; the
temporary buffers are freed, but glibc keeps the freed pages inside its heap, so the process stays
about 150 MB larger than what it uses (measured: 1,543 MB after ``Agent.load`` and one trim later
1,388 MB, the same parses and answers). ``MALLOC_TRIM_THRESHOLD_`` and friends only release the top
of the heap and gave back 30 MB; ``malloc_trim(0)`` releases free pages anywhere in it.

With ``BOT_MALLOC_TRIM_SECONDS`` set to a positive number, a daemon thread calls it at that interval.
It is **off by default**, because the pages given back must be faulted in again: in two side-by-side
``scripts/bench.py --configs embedded,embedded-trim`` runs (both orders), trimming every 2 s lowered the
Rasa process's peak RSS from 1,559-1,561 MB to 1,427-1,429 MB but cost 20-28 % of the throughput
(1 concurrent: 30.5-36.0 -> 25.9-26.0 msg/s, p50 27-32 -> 39 ms; 10 concurrent: 36.3-43.6 -> 30.8-33.4).
An operator short of memory may take that trade; ``make run`` does not. One call takes 4-5 ms. Where the
C library has no ``malloc_trim`` (musl, macOS) nothing is started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from collections.abc import Callable

ENV = "BOT_MALLOC_TRIM_SECONDS"
DEFAULT_SECONDS = 0.0  # off: see the module docstring


def interval(environ: dict[str, str] | None = None) -> float:
    """Seconds between two trims from ``$BOT_MALLOC_TRIM_SECONDS``; 0 (the default) means off."""
    raw = (os.environ if environ is None else environ).get(ENV, "").strip().lower()
    if not raw:
        return DEFAULT_SECONDS
    if raw in {"off", "false", "no"}:
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        return DEFAULT_SECONDS
    return max(seconds, 0.0) if seconds == seconds else DEFAULT_SECONDS  # NaN -> default


def malloc_trim() -> Callable[[], int] | None:
    """glibc's ``malloc_trim(0)`` as a callable, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: int(trim(0))


def start_trimming(seconds: float | None = None) -> threading.Thread | None:
    """Start the daemon thread that trims every ``seconds``; None when off or unsupported."""
    seconds = interval() if seconds is None else seconds
    trim = malloc_trim() if seconds > 0 else None
    if trim is None:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            trim()

    thread = threading.Thread(target=loop, name="malloc-trim", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]  # lets tests end the loop
    thread.start()
    return thread
