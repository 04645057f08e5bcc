#!/usr/bin/env python3
"""Runs a command, and once its checkpoint records a finished task, sends it a
signal; then checks its exit code.

  interrupt.py --checkpoint FILE --signal KILL|INT|TERM --expect-exit N -- CMD...

The timeout only keeps a broken run from hanging the suite: no assertion
depends on how long anything takes. A run that ends before a task was
checkpointed cannot test an interruption, and fails with that message.
"""
import argparse
import json
import signal
import subprocess
import sys
import time


def done_tasks(path):
    try:
        with open(path) as f:
            return len(json.load(f).get("done", []))
    except (OSError, ValueError):
        return 0  # not written yet (writes are atomic, so never half a file)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--signal", required=True, choices=["KILL", "INT", "TERM"])
    p.add_argument("--expect-exit", type=int, required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    proc = subprocess.Popen(cmd)
    deadline = time.monotonic() + a.timeout
    while proc.poll() is None and done_tasks(a.checkpoint) == 0:
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            sys.exit("interrupt.py: no task checkpointed before the timeout")
        time.sleep(0.02)
    if proc.poll() is not None:
        sys.exit("interrupt.py: the run ended (exit %d) before it could be "
                 "interrupted; make the sweep longer" % proc.returncode)
    proc.send_signal(getattr(signal, "SIG" + a.signal))
    try:
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        sys.exit("interrupt.py: the run did not stop after SIG" + a.signal)
    if code != a.expect_exit:
        sys.exit("interrupt.py: exit code %d, expected %d" % (code, a.expect_exit))
    print("interrupted after %d checkpointed tasks" % done_tasks(a.checkpoint))


if __name__ == "__main__":
    main()
