"""Run each hand-in's kernel under bubblewrap: no network, no solutions, no gradebook.

`grade` points nbgrader's Execute preprocessor at the kernel ``ambassador-sandbox``
whose ``argv`` runs this module. Started by jupyter_client in the notebook's
own folder (autograded/<participant>/<assignment>/), it execs ``bwrap`` with:

- the system and the virtual environment read-only, nothing else of the host;
  the session's source/, gradebook.db and other participants' folders are
  simply not there;
- the notebook's folder writable (the kernel's working directory);
- this worker's runtime folder, where the connection file and the ``ipc``
  sockets live (TCP cannot cross into a private network namespace);
- new network, PID, IPC and UTS namespaces, an empty /tmp, and limits on
  memory, file size and process count.

JPY_PARENT_PID is removed: in a private PID namespace the kernel's parent is
PID 1, which ipykernel's parent poller reads as "orphaned" and exits on.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

KERNEL_NAME = "ambassador-sandbox"
MEMORY_ENV = "AMBASSADOR_SANDBOX_MEMORY_MB"
GRADER_PID_ENV = "AMBASSADOR_GRADER_PID"
DEFAULT_MEMORY_MB = 2048
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PROCESSES = 512


class SandboxError(RuntimeError):
    """bubblewrap is missing or cannot start on this machine."""


def bwrap() -> str | None:
    return shutil.which("bwrap")


def _system_binds() -> list[str]:
    args = []
    for path in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin", "/etc"):
        if os.path.lexists(path):
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            else:
                args += ["--ro-bind", path, path]
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for prefix in sorted(prefixes):
        if not any(prefix == s or prefix.startswith(s + "/") for s in ("/usr", "/bin", "/lib", "/lib64")):
            args += ["--ro-bind", prefix, prefix]
    # The venv's own path may be a symlink farm pointing elsewhere: bind it as seen too.
    if os.path.realpath(sys.prefix) != sys.prefix:
        args += ["--ro-bind", sys.prefix, sys.prefix]
    return args


def bwrap_command(workdir: Path, runtime_dir: Path, command: list[str]) -> list[str]:
    """The full bwrap command line that runs ``command`` in the sandbox."""
    exe = bwrap()
    if exe is None:
        raise SandboxError("bubblewrap (bwrap) is not installed")
    return [
        exe,
        # The empty /tmp comes first: binds made after it may live below /tmp
        # (a checkout, and so its .venv, under /tmp in CI or tests).
        "--tmpfs", "/tmp",
        *_system_binds(),
        "--dev", "/dev",
        "--proc", "/proc",
        "--bind", str(workdir), str(workdir),
        "--bind", str(runtime_dir), str(runtime_dir),
        "--chdir", str(workdir),
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--die-with-parent",
        "--setenv", "HOME", "/tmp",
        "--setenv", "MPLCONFIGDIR", "/tmp",
        "--setenv", "MALLOC_ARENA_MAX", "2",
        "--setenv", "OPENBLAS_NUM_THREADS", "1",
        "--unsetenv", "JPY_PARENT_PID",
        "--unsetenv", "JUPYTER_PATH",
        "--",
        *command,
    ]


def set_limits(memory_mb: int) -> None:
    """Limits inherited by bwrap and the kernel (a runaway cell cannot take the machine)."""
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))


def write_kernelspec(folder: Path) -> Path:
    """Write the ``ambassador-sandbox`` kernelspec under ``folder/kernels/``; return ``folder``.

    Put ``folder`` on JUPYTER_PATH so jupyter_client finds it.
    """
    spec_dir = folder / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ambassador.workshop.sandbox", "{connection_file}"],
        "display_name": "Python 3 (sandbox)",
        "language": "python",
        # A SIGINT to the process group would also hit bwrap itself; ask the kernel instead.
        "interrupt_mode": "message",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return folder


def check_sandbox() -> None:
    """Start a throw-away sandbox; raise SandboxError with the reason if it cannot run."""
    exe = bwrap()
    if exe is None:
        raise SandboxError(
            "bubblewrap (bwrap) is not installed; install it with `apt-get install -y bubblewrap` "
            "(or `make system-deps`), or grade without protection with --no-sandbox"
        )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cmd = bwrap_command(Path(tmp), Path(tmp), [sys.executable, "-c", "import socket"])
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["unknown error"]
        raise SandboxError(
            f"the grading sandbox (bubblewrap) cannot start here: {reason[0]}; "
            "learner code must not run unprotected, so grading stops. "
            "Use --no-sandbox only for hand-ins you trust."
        )


def _die_with_grader() -> None:
    """SIGKILL bwrap when the grading worker dies (it survives the exec).

    jupyter_client starts kernels in their own session, so killing the
    grader's process group does not reach them; bwrap's --die-with-parent
    then takes the kernel down with it.
    """
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    # A grader killed while this launcher was still starting leaves it orphaned
    # before the death signal was armed: then nobody is waiting for the kernel.
    grader = os.environ.get(GRADER_PID_ENV)
    if grader and os.getppid() != int(grader):
        sys.exit("the grading worker that started this kernel is gone")


def main(argv: list[str] | None = None) -> None:
    """Kernel launcher: ``python -m ambassador.workshop.sandbox CONNECTION_FILE [ARGS]``.

    nbgrader appends its own kernel arguments; they are passed on to ipykernel.
    """
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit("usage: python -m ambassador.workshop.sandbox CONNECTION_FILE [KERNEL ARGS...]")
    connection_file = Path(argv[0]).resolve()
    workdir = Path.cwd()
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file),
              "--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=CRITICAL", *argv[1:]]
    command = bwrap_command(workdir, connection_file.parent, kernel)
    set_limits(int(os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_MB)))
    _die_with_grader()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
