"""A fork server for plain runs of examples: ``python examples/<topic>/<name>.py``.

Started by ``support/standalone.py`` as ``python plain_server.py PRELOAD FOLDER``, where
PRELOAD is a JSON list of import statements (``"import torch"``) and FOLDER a scratch
folder. It runs them once, then forks one child per request; each child runs one example
the way the interpreter runs a script, so that the example does not pay for those
imports again:

- ``__name__ == "__main__"`` in a new module with ``__file__`` (absolute), a source
  loader and the builtins, as ``python path`` sets them; ``sys.argv == [path as typed]``,
  ``sys.path[0]`` the script's folder, the working directory the repository root;
- stdin from ``/dev/null``; stdout and stderr to the files named in the request (block
  buffered, as when a reader redirects them); no other file descriptor of the server;
- first on them, what the preloaded imports wrote to stdout and stderr (a warning, a
  library's log line), as a reader's run writes it when it runs those imports;
- the interpreter's own exit, minus the teardown of modules (it cannot print to stdout):
  non-daemon threads joined, atexit handlers run, streams flushed; an uncaught exception
  prints its traceback on stderr and exits with 1, ``sys.exit(...)`` as usual.

A request that names more imports (``"preload"``, e.g. ``import lightning as L``) goes to
a sub-server: forked from this one once per list, it runs those imports and serves such
requests from then on (torch is imported once for all of them).

Fresh state: a server only imports; it computes nothing, starts no thread (it refuses
to fork if an import did) and seeds nothing. A forked child gets what a new interpreter
that ran the same imports would have, except Python's hash seed, which is the server's
(``random`` is reseeded at fork by Python itself; numpy's global generator is reseeded
here). Seeding what an example prints is the example's own job.

Protocol, one JSON object a line: requests ``{"path", "argv0", "cwd", "stdout",
"stderr", "preload"}`` on stdin; answers on stdout: ``{"ready": true}`` once the imports
are done, then per request ``{"pid": N}`` when the child starts and ``{"status": CODE,
"cpu": S}`` when it ends (a negative CODE is the signal that ended it; S the CPU seconds
it and the processes it waited for used). End of stdin ends the server.
"""

from __future__ import annotations

import atexit
import builtins
import gc
import json
import os
import sys
import threading
import traceback
import types
import weakref
from importlib.machinery import SourceFileLoader


class _Channel:
    """Requests in, answers out (one JSON object a line)."""

    def __init__(self, requests: int, answers: int) -> None:
        self.requests = os.fdopen(requests, "r", buffering=1, closefd=True)
        self.answers = answers

    def answer(self, **fields: object) -> None:
        os.write(self.answers, (json.dumps(fields) + "\n").encode())

    def next_answer(self) -> dict:
        line = self.requests.readline()
        return json.loads(line) if line else {"error": "the server ended"}

    def fds(self) -> list[int]:
        return [self.requests.fileno(), self.answers]


def _preload(statements: list[str], folder: str) -> tuple[bytes, bytes]:
    """Run the imports; what they wrote to stdout and to stderr. (An import that fails
    stops the preload: the example meets the same error in its own run.)"""
    captured = []
    saved = [os.dup(1), os.dup(2)]
    for fd in (1, 2):
        name = os.path.join(folder, f"preload-{os.getpid()}-{fd}")
        opened = os.open(name, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.unlink(name)
        captured.append(opened)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(captured[0], 1)
    os.dup2(captured[1], 2)
    namespace: dict[str, object] = {}
    try:
        for statement in statements:
            exec(statement, namespace)  # an import the example will run itself
    except Exception:
        pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
    written = []
    for fd in [*saved, *captured]:
        if fd in captured:
            os.lseek(fd, 0, os.SEEK_SET)
            written.append(os.read(fd, 1 << 24))
        os.close(fd)
    return written[0], written[1]


def _skip_library_teardown() -> None:
    """At exit, torch deregisters each operator kernel its Python libraries registered
    (weakref finalizers of ``torch.library``): 0.07 s a run, and it can print nothing.
    Like the rest of the interpreter's teardown, the children skip it."""
    for finalizer in list(weakref.finalize._registry):
        if getattr(finalizer.peek()[1], "__name__", None) == "_del_library":
            finalizer.atexit = False


def _run_as_script(
    request: dict, inherited: list[int], preamble: tuple[bytes, bytes]
) -> int:
    """In the child: run one example as ``python argv0`` would; its exit status.
    ``preamble``: what the server's imports wrote to stdout and stderr, which a reader's
    run prints when it runs them."""
    path = request["path"]
    for fd, name, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(name, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    for fd, written in zip((1, 2), preamble, strict=True):
        os.write(fd, written)
    for fd in inherited:
        if fd > 2:
            os.close(fd)
    os.chdir(request["cwd"])
    sys.argv = [request["argv0"]]
    sys.path[0] = os.path.dirname(path)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # a new process would seed it afresh
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__loader__ = SourceFileLoader("__main__", path)
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    try:
        with open(path, "rb") as handle:
            code = compile(handle.read(), path, "exec")
        exec(code, main.__dict__)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException as error:  # what the interpreter prints: the script's frames
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)
        return 1
    return 0


def _exit(status: int) -> None:
    """Leave the child as the interpreter leaves a script, minus the teardown of every
    module (0.4 s with torch loaded): join the non-daemon threads, run the atexit
    handlers, flush stdout and stderr, then end the process."""
    try:
        threading._shutdown()
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                status = status or 120  # as the interpreter does when it cannot flush
        os._exit(status)


class _Server:
    def __init__(
        self,
        channel: _Channel,
        preload: list[str],
        folder: str,
        preamble: tuple[bytes, bytes] = (b"", b""),
    ) -> None:
        self.channel = channel
        self.preload = preload
        self.folder = folder
        self.preamble = preamble  # what the imports wrote, out and err
        self.subs: dict[tuple[str, ...], _Channel] = {}

    def start(self, statements: list[str]) -> bool:
        written = _preload(statements, self.folder)
        self.preamble = (
            self.preamble[0] + written[0],
            self.preamble[1] + written[1],
        )
        if threading.active_count() != 1:
            self.channel.answer(error=f"{statements} started threads: fork is unsafe")
            return False
        _skip_library_teardown()
        gc.collect()
        gc.freeze()  # the preloaded objects are shared with every child
        self.channel.answer(ready=True)
        return True

    def _inherited(self) -> list[int]:
        """The pipes of this server and of its sub-servers (not 0, 1, 2)."""
        channels = [self.channel, *self.subs.values()]
        return [fd for channel in channels for fd in channel.fds() if fd > 2]

    def _sub(self, preload: list[str]) -> _Channel | None:
        """The sub-server that has also run ``preload`` (forked on first use)."""
        key = tuple(preload)
        if key not in self.subs:
            to_sub, from_us = os.pipe()
            to_us, from_sub = os.pipe()
            if os.fork() == 0:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1):
                    os.dup2(devnull, fd)  # the client's pipes are not the sub's
                os.close(devnull)
                for fd in [*self._inherited(), from_us, to_us]:
                    os.close(fd)
                sub = _Server(
                    _Channel(to_sub, from_sub), preload, self.folder, self.preamble
                )
                new = [
                    statement for statement in preload if statement not in self.preload
                ]
                os._exit(sub.serve(new))
            os.close(to_sub)
            os.close(from_sub)
            channel = _Channel(to_us, from_us)
            ready = channel.next_answer()
            if not ready.get("ready"):
                self.channel.answer(error=f"sub-server {preload}: {ready}")
                return None
            self.subs[key] = channel
        return self.subs[key]

    def serve(self, statements: list[str]) -> int:
        if not self.start(statements):
            return 1
        for line in self.channel.requests:
            request = json.loads(line)
            preload = request.get("preload") or self.preload
            if preload != self.preload:  # relay to the sub-server, and its answers
                sub = self._sub(preload)
                if sub is None:
                    continue
                os.write(sub.answers, line.encode())
                for _ in range(2):
                    self.channel.answer(**sub.next_answer())
                continue
            pid = os.fork()
            if pid == 0:
                _exit(_run_as_script(request, self._inherited(), self.preamble))
            self.channel.answer(pid=pid)
            _, status, usage = os.wait4(pid, 0)
            cpu = usage.ru_utime + usage.ru_stime
            self.channel.answer(status=os.waitstatus_to_exitcode(status), cpu=cpu)
        for sub in self.subs.values():
            os.close(sub.answers)  # its end of input: it ends
        for _ in self.subs:
            os.wait()
        return 0


if __name__ == "__main__":
    preload, folder = json.loads(sys.argv[1]), sys.argv[2]
    sys.exit(_Server(_Channel(0, 1), preload, folder).serve(preload))
