#!/usr/bin/env python3
"""Runs a command with a terminal on some of its streams, for lit tests of
output that depends on a TTY (the sweep's progress line).

  tty_run.py script -- CMD...      stdout and stderr on one terminal, through
                                   `script -qec CMD /dev/null` when `script`
                                   is installed, else a pseudo-terminal of
                                   Python's own; prints what the terminal got
  tty_run.py stderr-tty -- CMD...  stderr on a pseudo-terminal, stdout a pipe
  tty_run.py stdout-tty -- CMD...  stdout on a pseudo-terminal, stderr a pipe

The last two print "STDOUT:" and "STDERR:" then each stream's lines. Carriage
returns become newlines so that FileCheck sees each progress update as a
line. Exits with the command's exit code.
"""
import os
import shlex
import shutil
import subprocess
import sys


def read_all(fd):
    chunks = []
    while True:
        try:
            b = os.read(fd, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not b:
            break
        chunks.append(b)
    return b"".join(chunks).decode(errors="replace")


def show(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def on_pty(cmd, stdout_tty, stderr_tty):
    master, slave = os.openpty()
    p = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL,
        stdout=slave if stdout_tty else subprocess.PIPE,
        stderr=slave if stderr_tty else subprocess.PIPE)
    os.close(slave)
    tty = read_all(master)
    os.close(master)
    piped = (p.stdout or p.stderr).read().decode(errors="replace")
    rc = p.wait()
    return rc, (tty if stdout_tty else piped), (tty if stderr_tty else piped)


def main(argv):
    mode = argv[1]
    assert argv[2] == "--"
    cmd = argv[3:]
    if mode == "script":
        if shutil.which("script"):
            p = subprocess.run(["script", "-qec", shlex.join(cmd), "/dev/null"],
                               stdin=subprocess.DEVNULL, capture_output=True)
            show(p.stdout.decode(errors="replace"))
            return p.returncode
        rc, out, _ = on_pty(cmd, True, True)
        show(out)
        return rc
    rc, out, err = on_pty(cmd, mode == "stdout-tty", mode == "stderr-tty")
    print("STDOUT:")
    show(out)
    print("STDERR:")
    show(err)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
