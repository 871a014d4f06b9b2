"""Shortest processing time first: whenever a machine frees up, it takes the shortest released job."""

# EVOLVE-BLOCK-START
def schedule(jobs, speeds):
    pending = sorted(jobs, key=lambda j: (j["release"], j["id"]))
    free = [0.0] * len(speeds)
    plan = [[] for _ in speeds]
    waiting = []
    i = 0
    while i < len(pending) or waiting:
        m = min(range(len(speeds)), key=lambda k: (free[k], -speeds[k]))
        now = free[m]
        if not waiting and pending[i]["release"] > now:
            now = pending[i]["release"]
        while i < len(pending) and pending[i]["release"] <= now:
            waiting.append(pending[i])
            i += 1
        job = min(waiting, key=lambda j: (j["work"], j["id"]))
        waiting.remove(job)
        free[m] = now + job["work"] / speeds[m]
        plan[m].append(job["id"])
    return plan
# EVOLVE-BLOCK-END
