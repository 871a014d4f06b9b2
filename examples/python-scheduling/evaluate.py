"""Evaluator of python-scheduling: simulates the candidate's schedule on seeded instances.

    evaluate.py CANDIDATE SPLIT     # once mode: one result line
    evaluate.py                     # warm mode: {"id", "candidate", "split"} lines on stdin
"""

import importlib.util
import json
import math
import random
import sys
import traceback

SPLITS = {"SMOKE": (3, 101), "TRAIN": (20, 202), "TEST": (20, 303)}  # instances, seed
WORST_SHOWN = 3


def instances(split):
    count, seed = SPLITS[split]
    rng = random.Random(seed)
    result = []
    for index in range(count):
        machines = rng.randint(2, 6)
        speeds = [round(rng.uniform(0.5, 2.0), 2) for _ in range(machines)]
        load = rng.uniform(0.7, 0.95)  # arrival rate relative to total capacity: queues do form
        jobs = []
        now = 0.0
        for j in range(rng.randint(40, 300)):
            work = round(rng.expovariate(1.0) * 10 + 1, 3) if rng.random() < 0.8 else round(rng.uniform(30, 80), 3)
            jobs.append({"id": j, "release": round(now, 3), "work": work})
            now += rng.expovariate(load * sum(speeds) / 14.0)
        result.append({"index": index, "speeds": speeds, "jobs": jobs})
    return result


class Violation(Exception):
    pass


def simulate(instance, plan):
    """Mean flow time of the plan; the plan is checked here, nothing the candidate says about it is used."""
    jobs = {job["id"]: job for job in instance["jobs"]}
    speeds = instance["speeds"]
    if not isinstance(plan, (list, tuple)) or len(plan) != len(speeds):
        raise Violation("expected a list of %d lists of job ids, got %s" % (len(speeds), type(plan).__name__))
    seen = set()
    total = 0.0
    for m, order in enumerate(plan):
        if not isinstance(order, (list, tuple)):
            raise Violation("machine %d: expected a list of job ids, got %s" % (m, type(order).__name__))
        free = 0.0
        for job_id in order:
            if isinstance(job_id, bool) or not isinstance(job_id, int) or job_id not in jobs:
                raise Violation("machine %d: %r is not a job id" % (m, job_id))
            if job_id in seen:
                raise Violation("job %d is scheduled twice" % job_id)
            seen.add(job_id)
            job = jobs[job_id]
            free = max(free, job["release"]) + job["work"] / speeds[m]
            total += free - job["release"]
    if len(seen) != len(jobs):
        missing = sorted(set(jobs) - seen)
        raise Violation("%d jobs are not scheduled, e.g. %s" % (len(missing), missing[:5]))
    bound = sum(job["work"] / max(speeds) for job in jobs.values())
    return total / len(jobs), total / bound


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(path, split):
    if split not in SPLITS:
        return {"status": "rejected", "reason": "unknown split " + split}
    try:
        candidate = load(path)
    except Exception:
        return {"status": "runtime_error", "reason": "importing the program failed:\n" + last_lines()}
    results = []
    for instance in instances(split):
        where = "instance %d (%d machines, %d jobs)" % (instance["index"], len(instance["speeds"]), len(instance["jobs"]))
        jobs = [dict(job) for job in instance["jobs"]]  # a copy: the candidate may change its own
        try:
            plan = candidate.schedule(jobs, list(instance["speeds"]))
        except Exception:
            return {"status": "runtime_error", "reason": where + ": schedule raised\n" + last_lines()}
        try:
            flow, ratio = simulate(instance, plan)
        except Violation as v:
            return {"status": "constraint_violation", "reason": where + ": " + str(v)}
        results.append((instance, where, flow, ratio))
    mean_flow = sum(r[2] for r in results) / len(results)
    worst = sorted(results, key=lambda r: r[3], reverse=True)[:WORST_SHOWN]
    lines = ["mean flow time %.4f over %d instances" % (mean_flow, len(results)),
             "instances furthest above the lower bound (flow time / sum of work at the fastest speed):"]
    lines += ["- %s: mean flow time %.3f, %.2fx the bound" % (w, f, r) for _, w, f, r in worst]
    return {"metrics": {"mean_flow_time": mean_flow, "worst_ratio": worst[0][3]}, "feedback": "\n".join(lines)}


def last_lines():
    return "\n".join(traceback.format_exc().strip().splitlines()[-6:])


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
