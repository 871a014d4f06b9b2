"""Evaluator of prism-python: the built-in prism task's evaluator, in Python, with the same arithmetic order.

The cases come from $GALAPAGOS_DATA_DIR/prism/test_cases_seed42.json (the published workload, given with
--data-dir); without a data directory they are generated from numpy's legacy MT19937 with seed 42, which
regenerates that file exactly. TEST is generated from seed 43.

    evaluate.py CANDIDATE SPLIT     # once mode
    evaluate.py                     # warm mode: {"id", "candidate", "split", "data_dir"?} lines on stdin
"""

import collections
import importlib.util
import json
import math
import os
import sys
import traceback

GPU_MEMORY_GB = 80
FULL_GPU = 1_000_000.0
CASES = 50
SMOKE_CASES = 3
WORST_SHOWN = 5
FILE = os.path.join("prism", "test_cases_seed42.json")

Model = collections.namedtuple("Model", "name size_gb request_rate slo current_gpu")


class Violation(Exception):
    pass


class NumpyLegacyRandom:
    """numpy's RandomState(seed) for randint: MT19937 seeded with init_genrand, masked rejection."""

    def __init__(self, seed):
        self.mt = [0] * 624
        self.mt[0] = seed & 0xFFFFFFFF
        for i in range(1, 624):
            previous = self.mt[i - 1]
            self.mt[i] = (1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF
        self.pos = 624

    def next32(self):
        if self.pos == 624:
            mt = self.mt
            for k in range(624):
                y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7FFFFFFF)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.pos = 0
        y = self.mt[self.pos]
        self.pos += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y & 0xFFFFFFFF

    def randint(self, low, high):
        width = high - 1 - low
        if width == 0:
            return low
        mask = width
        for shift in (1, 2, 4, 8, 16):
            mask |= mask >> shift
        while True:
            value = self.next32() & mask
            if value <= width:
                return low + value


def generate(seed, count):
    rng = NumpyLegacyRandom(seed)
    cases = []
    for index in range(count):
        gpus = rng.randint(5, 10)
        models = []
        for j in range(2 * gpus):
            size = rng.randint(10, 30)
            rate = rng.randint(1, 10)
            slo = rng.randint(5, 10)
            models.append(Model("model_%d" % j, size, rate, slo, j))
        cases.append((index, gpus, models))
    return cases


def read(path):
    with open(path) as f:
        root = json.load(f)
    if root.get("GPU_MEM_SIZE_GB", GPU_MEMORY_GB) != GPU_MEMORY_GB:
        raise ValueError("%s: GPU memory %s GB, the task assumes %d" % (path, root["GPU_MEM_SIZE_GB"], GPU_MEMORY_GB))
    cases = []
    for c in root["test_cases"]:
        models = [Model(m["model_name"], int(m["model_size"]), int(m["req_rate"]), int(m["slo"]), int(m["cur_gpu_id"]))
                  for m in c["models"]]
        cases.append((len(cases), int(c["gpu_num"]), models))
    return cases


def cases(split, data_dir):
    train = read(os.path.join(data_dir, FILE)) if data_dir else generate(42, CASES)
    if split == "SMOKE":
        return train[:SMOKE_CASES]
    if split == "TRAIN":
        return train
    return generate(43, CASES)


def kvpr(models):
    used = 0
    weighted = 0.0
    for m in models:
        used += m.size_gb
        weighted = weighted + m.request_rate / m.slo
    free = GPU_MEMORY_GB - used
    return weighted / free if free > 0 else FULL_GPU


def numpy_mean(values):
    """np.mean of a float64 array: pairwise summation in blocks of eight lanes (bit-identical to numpy)."""
    return (0.0 + pairwise_sum(values, 0, len(values))) / len(values)


def pairwise_sum(a, lo, n):
    if n < 8:
        s = 0.0
        for i in range(n):
            s = s + a[lo + i]
        return s
    if n <= 128:
        r = list(a[lo:lo + 8])
        i = 8
        while i < n - (n % 8):
            for j in range(8):
                r[j] = r[j] + a[lo + i + j]
            i += 8
        s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            s = s + a[lo + i]
            i += 1
        return s
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise_sum(a, lo, n2) + pairwise_sum(a, lo + n2, n - n2)


def validate(gpu_count, models, placement):
    """Max KVPR and its GPU, computed from the evaluator's own models; raises Violation on any bad output."""
    if not isinstance(placement, dict):
        raise Violation("place(...) returned %s instead of a dict from GPU id to models" % type(placement).__name__)
    by_name = {m.name: m for m in models}
    placed_on = {}
    gpus = [[] for _ in range(gpu_count)]
    for gpu, placed in placement.items():
        if isinstance(gpu, bool) or not isinstance(gpu, int) or not 0 <= gpu < gpu_count:
            raise Violation("GPU id %r does not exist (GPUs are 0..%d)" % (gpu, gpu_count - 1))
        if not isinstance(placed, (list, tuple)):
            raise Violation("GPU %d maps to %s instead of a list of models" % (gpu, type(placed).__name__))
        for m in placed:
            own = by_name.get(getattr(m, "name", None))
            if own is None or not isinstance(m, tuple) or tuple(m) != tuple(own):
                raise Violation("GPU %d holds %r, which is not one of the input models" % (gpu, m))
            if own.name in placed_on:
                raise Violation("%s is placed twice (GPUs %d and %d)" % (own.name, placed_on[own.name], gpu))
            placed_on[own.name] = gpu
            gpus[gpu].append(own)  # the evaluator's own copy: nothing the candidate returns is trusted
    if len(placed_on) != len(models):
        raise Violation("models not placed: " + ", ".join(m.name for m in models if m.name not in placed_on))
    worst = -math.inf
    bottleneck = -1
    for g, placed in enumerate(gpus):
        used = sum(m.size_gb for m in placed)
        if used > GPU_MEMORY_GB:
            raise Violation("GPU %d holds %d GB of models, more than its %d GB: %s" % (g, used, GPU_MEMORY_GB,
                                                                                       describe(placed)))
        k = kvpr(placed)
        if k > worst:
            worst = k
            bottleneck = g
    return worst, bottleneck, gpus


def describe(models):
    return ", ".join("%s (%d GB, rate %d, slo %d)" % (m.name, m.size_gb, m.request_rate, m.slo) for m in models)


def evaluate(candidate_path, split, data_dir):
    if split not in ("SMOKE", "TRAIN", "TEST"):
        return {"status": "rejected", "reason": "unknown split " + split}
    try:
        spec = importlib.util.spec_from_file_location("candidate", candidate_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception:
        return {"status": "runtime_error", "reason": "importing the program failed:\n" + last_lines()}
    results = []
    for index, gpu_count, models in cases(split, data_dir):
        where = "case %d (%d GPUs, %d models)" % (index, gpu_count, len(models))
        try:
            placement = module.place(gpu_count, list(models))
            worst, bottleneck, gpus = validate(gpu_count, models, placement)
        except Violation as v:
            return {"status": "constraint_violation", "reason": where + ": " + str(v)}
        except Exception:
            return {"status": "runtime_error", "reason": where + ": " + last_lines()}
        results.append((index, gpu_count, models, worst, bottleneck, gpus))
    values = [r[3] for r in results]
    mean = numpy_mean(values)
    inverse = 1.0 / mean if mean != 0 else 0.0
    score = (inverse if math.isfinite(inverse) else 0.0) + 1.0
    lines = ["All %d cases placed. Mean of the per-case max KV-cache pressure %.6f (score %.4f = 1/mean + success rate 1)."
             % (len(results), mean, score), "Cases with the highest max KVPR (they dominate the mean):"]
    for index, gpu_count, models, worst, bottleneck, gpus in sorted(results, key=lambda r: -r[3])[:WORST_SHOWN]:
        hot = gpus[bottleneck]
        lines.append("- case %d (%d GPUs, %d models): max KVPR %.6f on GPU %d, %d GB used: %s"
                     % (index, gpu_count, len(models), worst, bottleneck, sum(m.size_gb for m in hot), describe(hot)))
    return {"score": score, "metrics": {"avgMaxKvpr": mean, "worstMaxKvpr": max(values), "successRate": 1.0},
            "feedback": "\n".join(lines)}


def last_lines():
    return "\n".join(traceback.format_exc().strip().splitlines()[-6:])


def main():
    if len(sys.argv) == 3:
        print(json.dumps(evaluate(sys.argv[1], sys.argv[2], os.environ.get("GALAPAGOS_DATA_DIR"))), flush=True)
        return
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        result = evaluate(request["candidate"], request["split"], request.get("data_dir"))
        result["id"] = request["id"]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
