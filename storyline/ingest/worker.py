"""Running one extraction in a killable worker, with a time limit and a memory limit.

Parsers of hostile input (deeply nested HTML, huge text nodes, regex-heavy extractors) can
hang or eat memory in C code that no Python exception interrupts.  :func:`run_with_timeout`
runs such a call in a worker process that is killed when the time is up::

    text = run_with_timeout(trafilatura.extract, html, timeout_s=30,
                            max_memory_bytes=1_000_000_000, input_size=len(html))

Where the call runs, fastest first:

1. **In this process** when ``input_size`` is given, is at most :data:`IN_PROCESS_MAX_BYTES`
   and ``max_memory_bytes`` is not set.  The time limit is kept with ``SIGALRM`` (on the
   main thread only; elsewhere it is not enforced), which interrupts Python code — again
   and again if the code swallows the exception — but not a call stuck inside C:
   acceptable for small inputs, whose parsing is bounded.  Overhead: ~50 µs.
2. **In the resident worker**: one long-lived process, forked on first use (so it shares
   the modules already imported) and reused for every call, costing a pickle round trip
   (~1 ms) instead of a fork (15–80 ms with spaCy and trafilatura loaded).  It is killed
   (SIGKILL) and replaced when a call times out, crashes or runs out of memory, and renewed
   after :data:`RESIDENT_MAX_CALLS` calls.  Needs ``fn`` (a module-level function) and its
   arguments to be picklable, the ``fork`` start method, and the worker not busy with
   another thread's call.
3. **In a one-shot child** otherwise (lambdas and closures, concurrent calls from several
   threads, or an explicit ``start_method``): forked (or started with ``start_method``,
   e.g. ``"forkserver"``/``"spawn"``, which need picklable ``fn``) for this call only.

In 2 and 3, :class:`~storyline.errors.ExtractionTimeout` is raised when ``timeout_s``
passes; ``max_memory_bytes`` caps how much the worker's address space may **grow** beyond
what it inherited (``RLIMIT_AS`` = size at start + limit), and going past it raises
:class:`~storyline.errors.InputTooLarge`.  An exception raised by ``fn`` is re-raised here
with its own type; a worker that dies (e.g. a segfault in a parser) gives an
:class:`~storyline.errors.InputError`.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import ExtractionTimeout, InputError, InputTooLarge

T = TypeVar("T")

#: inputs up to this size run in-process when ``input_size`` is given (see module doc)
IN_PROCESS_MAX_BYTES = 256_000
#: calls served by one resident worker before it is replaced (bounds leaks in parsers)
RESIDENT_MAX_CALLS = 500


def run_with_timeout(fn: Callable[..., T], *args: Any, timeout_s: float,
                     max_memory_bytes: int | None = None, input_size: int | None = None,
                     start_method: str | None = None, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, stopped after ``timeout_s`` seconds (see the module doc for
    when it runs in-process and when in a killable child process)."""
    if input_size is not None and input_size <= IN_PROCESS_MAX_BYTES and not max_memory_bytes:
        return _run_in_process(fn, args, kwargs, timeout_s)
    if start_method is None:
        try:
            return _run_resident(fn, args, kwargs, timeout_s, max_memory_bytes)
        except _NotShareable:
            pass
    return _run_in_child(fn, args, kwargs, timeout_s, max_memory_bytes, start_method)


# --- in-process fast path ------------------------------------------------------------------


def _run_in_process(fn: Callable[..., T], args: tuple, kwargs: dict, timeout_s: float) -> T:
    on_main_thread = threading.current_thread() is threading.main_thread()
    if not on_main_thread or not hasattr(signal, "setitimer"):
        return fn(*args, **kwargs)
    expired = False
    armed = True

    def on_alarm(signum: int, frame: Any) -> None:
        nonlocal expired
        if armed:
            expired = True
            raise ExtractionTimeout(_timeout_message(timeout_s))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # the alarm repeats, so code that swallows the exception is interrupted again
    signal.setitimer(signal.ITIMER_REAL, max(timeout_s, 0.001), 0.05)
    try:
        result = fn(*args, **kwargs)
    finally:
        while armed:  # an alarm may still land here; disarm whatever it interrupts
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                armed = False
            except ExtractionTimeout:
                continue
        signal.signal(signal.SIGALRM, previous)
    if expired:  # the alarm fired but fn swallowed the exception
        raise ExtractionTimeout(_timeout_message(timeout_s))
    return result


def _timeout_message(timeout_s: float) -> str:
    return f"extraction took longer than {timeout_s:g} s and was stopped (ingest.extract_timeout_s)"


# --- resident worker -------------------------------------------------------------------------


class _NotShareable(Exception):
    """This call cannot use the resident worker (busy, or ``fn`` not picklable)."""


class _Resident:
    """A long-lived forked worker process serving calls one at a time over a pipe."""

    def __init__(self, max_memory_bytes: int | None) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child_end = ctx.Pipe()
        self.process = ctx.Process(target=_resident_main, args=(child_end, max_memory_bytes),
                                   name="storyline-extract-resident", daemon=True)
        self.process.start()
        child_end.close()
        self.owner = os.getpid()
        self.max_memory_bytes = max_memory_bytes
        self.calls = 0

    def usable_for(self, max_memory_bytes: int | None) -> bool:
        return (self.owner == os.getpid() and self.process.is_alive()
                and self.max_memory_bytes == max_memory_bytes
                and self.calls < RESIDENT_MAX_CALLS)

    def call(self, task: bytes, timeout_s: float) -> tuple[str, Any]:
        self.calls += 1
        try:
            self.conn.send_bytes(task)
        except OSError:  # the worker died between calls (e.g. the OOM killer)
            self.stop()
            raise _NotShareable from None
        if not self.conn.poll(timeout_s):
            self.stop()
            raise ExtractionTimeout(_timeout_message(timeout_s))
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            died = _exit_description(self.process.exitcode)
            self.stop()
            raise InputError(f"extraction worker died ({died})") from None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


_resident: _Resident | None = None
_resident_lock = threading.Lock()


def _run_resident(fn: Callable[..., T], args: tuple, kwargs: dict, timeout_s: float,
                  max_memory_bytes: int | None) -> T:
    global _resident
    if "fork" not in multiprocessing.get_all_start_methods():
        raise _NotShareable
    try:
        task = pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # lambdas, closures, open files…
        raise _NotShareable from None
    if not _resident_lock.acquire(blocking=False):
        raise _NotShareable  # another thread's call is running: do not wait for it
    try:
        if _resident is None or not _resident.usable_for(max_memory_bytes):
            if _resident is not None and _resident.owner == os.getpid():
                _resident.stop()
            _resident = _Resident(max_memory_bytes)
        status, payload = _resident.call(task, timeout_s)
        if status == "unpicklable":  # fn defined after the worker was forked
            raise _NotShareable
        if status == "memory":
            _resident.stop()  # a process that ran out of memory is not trusted again
    finally:
        _resident_lock.release()
    return _unpack(status, payload, max_memory_bytes)


def _resident_main(conn: Any, max_memory_bytes: int | None) -> None:
    _prepare_child(max_memory_bytes)
    while True:
        try:
            task = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            fn, args, kwargs = pickle.loads(task)
        except Exception as exc:  # noqa: BLE001
            conn.send(("unpicklable", f"{type(exc).__name__}: {exc}"))
            continue
        _send(conn, _call(fn, args, kwargs))


# --- one-shot child process ------------------------------------------------------------------


def _context(start_method: str | None) -> Any:
    if start_method:
        return multiprocessing.get_context(start_method)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _run_in_child(fn: Callable[..., T], args: tuple, kwargs: dict, timeout_s: float,
                  max_memory_bytes: int | None, start_method: str | None) -> T:
    ctx = _context(start_method)
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(sender, fn, args, kwargs, max_memory_bytes),
                        name="storyline-extract", daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise ExtractionTimeout(_timeout_message(timeout_s))
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            child.join(1)
            died = _exit_description(child.exitcode)
            raise InputError(f"extraction worker died ({died})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    return _unpack(status, payload, max_memory_bytes)


def _unpack(status: str, payload: Any, max_memory_bytes: int | None) -> Any:
    if status == "ok":
        return payload
    if status == "memory":
        raise InputTooLarge(f"extraction needed more than {max_memory_bytes or 0:,} bytes of "
                            f"extra memory and was stopped")
    if status == "error":
        raise payload
    raise InputError(f"extraction failed: {payload}")


def _exit_description(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _child_main(sender: Any, fn: Callable[..., Any], args: tuple, kwargs: dict,
                max_memory_bytes: int | None) -> None:
    try:
        _prepare_child(max_memory_bytes)
        _send(sender, _call(fn, args, kwargs))
    finally:
        sender.close()


def _prepare_child(max_memory_bytes: int | None) -> None:
    import faulthandler

    faulthandler.disable()  # a crash is reported by the parent, not dumped on stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core files from crashes
    except (ImportError, ValueError, OSError):
        pass
    if max_memory_bytes:
        _limit_memory(max_memory_bytes)


def _call(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[str, Any]:
    try:
        return "ok", fn(*args, **kwargs)
    except MemoryError:
        return "memory", None
    except Exception as exc:  # noqa: BLE001 - handed to the parent, re-raised there
        return "error", exc
    except BaseException as exc:  # SystemExit and the like must not stop the parent
        return "text", f"{type(exc).__name__}: {exc}"


def _send(conn: Any, message: tuple[str, Any]) -> None:
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # noqa: BLE001 - result or exception not picklable
        conn.send(("text", f"{type(exc).__name__}: {exc}"))


def _limit_memory(extra_bytes: int) -> None:
    """Let the address space grow by at most ``extra_bytes`` beyond its current size."""
    import resource

    current = _address_space_bytes()
    soft = current + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space_bytes() -> int:
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
