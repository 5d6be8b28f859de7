#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its questions, as a user would.

usage: pty_answers.py ANSWERS -- CMD [ARG...]

ANSWERS is a file with one answer per line (an empty line is a bare Enter). An answer
is typed each time the command's output stops at a prompt (output ending in "] ").
Prints the conversation as the user saw it (the terminal echoes the answers), then
the command's stderr after a "--- stderr" line, then "exit N". A prompt with no
answer left, answers left over, or a command silent for 20 s are reported."""
import os
import pty
import select
import subprocess
import sys
import time


def main():
    sep = sys.argv.index("--")
    with open(sys.argv[1], encoding="utf-8") as f:
        answers = f.read().split("\n")
    if answers and answers[-1] == "":
        answers.pop()
    master, slave = pty.openpty()
    err_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pty_answers.%d.err" % os.getpid())
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(sys.argv[sep + 1:], stdin=slave, stdout=slave, stderr=err)
    os.close(slave)
    seen, pending, used, notes = b"", b"", 0, []
    deadline = time.time() + 20
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the command closed the terminal
                data = b""
            if not data:
                break
            seen += data
            pending += data
            deadline = time.time() + 20
            if pending.endswith(b"] "):
                if used < len(answers):
                    answer = answers[used]
                else:
                    answer = ""
                    notes.append("!! a prompt with no answer left: Enter sent")
                used += 1
                os.write(master, answer.encode("utf-8") + b"\n")
                pending = b""
        elif proc.poll() is not None:
            break  # exited and nothing more to read
        elif time.time() > deadline:
            proc.kill()
            notes.append("!! the command was silent for 20 s: killed")
            break
    rc = proc.wait()
    os.close(master)
    if used < len(answers):
        notes.append("!! %d answer(s) left over" % (len(answers) - used))
    sys.stdout.write(seen.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", ""))
    for n in notes:
        print(n)
    print("--- stderr")
    with open(err_path, encoding="utf-8", errors="replace") as f:
        sys.stdout.write(f.read())
    os.unlink(err_path)
    print("exit %d" % rc)


if __name__ == "__main__":
    main()
