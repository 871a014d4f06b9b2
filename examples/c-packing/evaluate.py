"""Evaluator of c-packing: compiles the candidate with gcc and checks its packing of seeded instances.

    evaluate.py CANDIDATE SPLIT     # once mode: one result line
    evaluate.py                     # warm mode: {"id", "candidate", "split"} lines on stdin
"""

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

SPLITS = {"SMOKE": (3, 11), "TRAIN": (16, 22), "TEST": (16, 33)}  # instances, seed
COMPILE_SECONDS = 30
RUN_CPU_SECONDS = 2
MAX_OUTPUT_BYTES = 1 << 20
ERROR_LINES = 15
WORST_SHOWN = 3


def instances(split):
    count, seed = SPLITS[split]
    rng = random.Random(seed)
    result = []
    for index in range(count):
        capacity = rng.choice([100, 150, 1000, 10000])
        n = rng.randint(100, 2000)
        kind = rng.choice(["uniform", "small", "triplets"])
        if kind == "uniform":
            sizes = [rng.randint(1, capacity) for _ in range(n)]
        elif kind == "small":
            sizes = [rng.randint(1, capacity // 3) for _ in range(n)]
        else:  # items of a third of a bin, give or take: first fit wastes a lot on these
            sizes = [rng.randint(capacity // 4 + 1, capacity // 2 - 1) for _ in range(n)]
        result.append({"index": index, "kind": kind, "capacity": capacity, "sizes": sizes})
    return result


def compiler():
    return shutil.which("gcc") or shutil.which("cc")


def compile_candidate(source, work):
    """The executable, or a compile_error result with the compiler's first lines."""
    gcc = compiler()
    if gcc is None:
        return None, {"status": "runtime_error", "reason": "no gcc or cc on the evaluator's PATH " + os.environ.get("PATH", "")}
    binary = os.path.join(work, "packer")
    try:
        done = subprocess.run([gcc, "-O2", "-std=c11", "-o", binary, source, "-lm"], capture_output=True, text=True,
                              errors="replace", timeout=COMPILE_SECONDS)
    except subprocess.TimeoutExpired:
        return None, {"status": "compile_error", "reason": "gcc did not finish within %d s" % COMPILE_SECONDS}
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).replace(source, "program.c").strip().splitlines()
        return None, {"status": "compile_error", "reason": "\n".join(lines[:ERROR_LINES])}
    return binary, None


def limits():
    resource.setrlimit(resource.RLIMIT_CPU, (RUN_CPU_SECONDS, RUN_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES))


def run(binary, instance, work):
    """The bins the program printed, or a failure text; its output is bounded by RLIMIT_FSIZE."""
    text = "%d %d\n%s\n" % (instance["capacity"], len(instance["sizes"]), " ".join(map(str, instance["sizes"])))
    with tempfile.TemporaryFile(dir=work) as stdin, tempfile.TemporaryFile(dir=work) as stdout:
        stdin.write(text.encode())
        stdin.seek(0)
        try:
            done = subprocess.run([binary], stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL, preexec_fn=limits,
                                  timeout=RUN_CPU_SECONDS * 5)
        except subprocess.TimeoutExpired:
            return None, "did not finish within %d s" % (RUN_CPU_SECONDS * 5)
        if done.returncode != 0:
            return None, "exited with code %d" % done.returncode
        stdout.seek(0)
        printed = stdout.read(MAX_OUTPUT_BYTES + 1)
    try:
        return [int(token) for token in printed.split()], None
    except ValueError:
        return None, "printed something other than integers"


def check(instance, bins):
    sizes = instance["sizes"]
    if len(bins) != len(sizes):
        return None, "printed %d bin numbers for %d items" % (len(bins), len(sizes))
    load = {}
    for item, b in enumerate(bins):
        if b < 0:
            return None, "item %d is in bin %d; bins are numbered from 0" % (item, b)
        load[b] = load.get(b, 0) + sizes[item]
    over = [(b, l) for b, l in load.items() if l > instance["capacity"]]
    if over:
        b, l = over[0]
        return None, "bin %d holds %d, more than the capacity %d" % (b, l, instance["capacity"])
    return len(load), None


def evaluate(candidate, split):
    if split not in SPLITS:
        return {"status": "rejected", "reason": "unknown split " + split}
    with tempfile.TemporaryDirectory(dir=os.getcwd()) as work:
        return evaluate_in(candidate, split, work)


def evaluate_in(candidate, split, work):
    source = os.path.join(work, "program.c")
    shutil.copyfile(candidate, source)
    binary, failure = compile_candidate(source, work)
    if failure:
        return failure
    scored = []
    for instance in instances(split):
        where = "instance %d (%s, capacity %d, %d items)" % (instance["index"], instance["kind"], instance["capacity"],
                                                            len(instance["sizes"]))
        bins, why = run(binary, instance, work)
        if why:
            return {"status": "runtime_error", "reason": where + ": the program " + why}
        used, why = check(instance, bins)
        if why:
            return {"status": "constraint_violation", "reason": where + ": " + why}
        bound = -(-sum(instance["sizes"]) // instance["capacity"])
        scored.append((where, used, bound))
    efficiency = [bound / used for _, used, bound in scored]
    worst = sorted(scored, key=lambda s: (s[2] / s[1], -s[1]))[:WORST_SHOWN]
    lines = ["mean efficiency (lower bound / bins used) %.4f over %d instances" % (sum(efficiency) / len(efficiency),
                                                                                   len(scored)),
             "instances furthest from the lower bound:"]
    lines += ["- %s: %d bins, lower bound %d" % (w, used, bound) for w, used, bound in worst]
    return {"metrics": {"combined_score": sum(efficiency) / len(efficiency), "worst_efficiency": min(efficiency),
                        "bins": float(sum(s[1] for s in scored))},
            "feedback": "\n".join(lines)}


def main():
    if len(sys.argv) == 3:
        print(json.dumps(evaluate(sys.argv[1], sys.argv[2])), flush=True)
        return
    # warm mode too, for comparison; the task runs once mode (a fresh working copy per candidate)
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
