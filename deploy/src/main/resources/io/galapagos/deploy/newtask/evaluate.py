"""Evaluator of {{ID}}: runs the candidate on seeded lists of numbers and scores how well it orders them.

    evaluate.py CANDIDATE SPLIT     # once mode: prints one JSON result line
    evaluate.py                     # warm mode: {"id", "candidate", "split"} lines on stdin

Change instances() and score() to your problem; keep the checks: never trust what the candidate prints.
"""

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

SPLITS = {"SMOKE": (2, 1), "TRAIN": (10, 2), "TEST": (10, 3)}  # instances, seed
COMPILE = {{COMPILE}}  # argv with {source} and {binary}, or None
RUN = {{RUN}}  # argv with {source} and {binary}
SOURCE_NAME = "{{SOURCE_NAME}}"
RUN_CPU_SECONDS = 5
MAX_OUTPUT_BYTES = 1 << 20
ERROR_LINES = 15


def instances(split):
    count, seed = SPLITS[split]
    rng = random.Random(seed)
    return [[rng.randint(-1000, 1000) for _ in range(rng.randint(10, 200))] for _ in range(count)]


def limits():
    resource.setrlimit(resource.RLIMIT_CPU, (RUN_CPU_SECONDS, RUN_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES))


def argv(template, work):
    return [a.replace("{source}", os.path.join(work, SOURCE_NAME)).replace("{binary}", os.path.join(work, "program"))
            .replace("{work}", work).replace("{python}", sys.executable) for a in template]


def run(work, numbers):
    """The numbers the program printed, or why there are none; its output is bounded by RLIMIT_FSIZE."""
    with tempfile.TemporaryFile(dir=work) as stdin, tempfile.TemporaryFile(dir=work) as stdout:
        stdin.write((" ".join(map(str, numbers)) + "\n").encode())
        stdin.seek(0)
        try:
            done = subprocess.run(argv(RUN, work), stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                                  preexec_fn=limits, timeout=RUN_CPU_SECONDS * 4, cwd=work)
        except subprocess.TimeoutExpired:
            return None, "did not finish within %d s" % (RUN_CPU_SECONDS * 4)
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-ERROR_LINES:]
            return None, "exited with code %d\n%s" % (done.returncode, "\n".join(tail))
        stdout.seek(0)
        printed = stdout.read(MAX_OUTPUT_BYTES + 1).decode(errors="replace")
    try:
        return [int(token) for token in printed.split()], None
    except ValueError:
        return None, "printed something other than integers"


def score(numbers, printed):
    """Fraction of adjacent pairs in non-decreasing order; None when the output is not a permutation."""
    if sorted(printed) != sorted(numbers):
        return None
    return sum(1 for a, b in zip(printed, printed[1:]) if a <= b) / (len(printed) - 1)


def evaluate(candidate, split):
    if split not in SPLITS:
        return {"status": "rejected", "reason": "unknown split " + split}
    with tempfile.TemporaryDirectory(dir=os.getcwd()) as work:
        shutil.copyfile(candidate, os.path.join(work, SOURCE_NAME))
        if COMPILE is not None:
            try:
                done = subprocess.run(argv(COMPILE, work), capture_output=True, text=True, errors="replace",
                                      timeout=120, cwd=work)
            except (OSError, subprocess.TimeoutExpired) as e:
                return {"status": "compile_error", "reason": "the compiler could not run: %s" % e}
            if done.returncode != 0:
                lines = (done.stderr or done.stdout).replace(work + os.sep, "").strip().splitlines()
                return {"status": "compile_error", "reason": "\n".join(lines[:ERROR_LINES])}
        scores = []
        for index, numbers in enumerate(instances(split)):
            printed, why = run(work, numbers)
            if why:
                return {"status": "runtime_error", "reason": "instance %d: the program %s" % (index, why)}
            value = score(numbers, printed)
            if value is None:
                return {"status": "constraint_violation",
                        "reason": "instance %d: the output is not a reordering of the %d input numbers" % (index, len(numbers))}
            scores.append((value, index))
    worst = min(scores)
    return {"metrics": {"combined_score": sum(s for s, _ in scores) / len(scores), "worst": worst[0]},
            "feedback": "worst instance %d: %.3f of adjacent pairs in order" % (worst[1], worst[0])}


def main():
    if len(sys.argv) == 3:
        print(json.dumps(evaluate(sys.argv[1], sys.argv[2])), flush=True)
        return
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        result = evaluate(request["candidate"], request["split"])
        result["id"] = request["id"]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
