"""Scheduling jobs on machines of different speeds: the evaluator calls schedule(jobs, speeds)."""

# EVOLVE-BLOCK-START
def schedule(jobs, speeds):
    """First come, first served: each job, by release time, to the machine that would finish it first."""
    free = [0.0] * len(speeds)
    plan = [[] for _ in speeds]
    for job in sorted(jobs, key=lambda j: (j["release"], j["id"])):
        best = min(range(len(speeds)),
                   key=lambda m: max(free[m], job["release"]) + job["work"] / speeds[m])
        free[best] = max(free[best], job["release"]) + job["work"] / speeds[best]
        plan[best].append(job["id"])
    return plan
# EVOLVE-BLOCK-END
