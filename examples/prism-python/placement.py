"""Greedy placement, the ADRS seed: models in decreasing weighted rate (rate / SLO), each on the GPU
that has room for it and the smallest current weighted rate per free GB (lowest id on ties)."""

GPU_MEMORY_GB = 80


# EVOLVE-BLOCK-START
def place(gpu_count, models):
    order = sorted(models, key=lambda m: -(m.request_rate / m.slo))  # stable: ties keep input order
    free = [GPU_MEMORY_GB] * gpu_count
    weighted = [0.0] * gpu_count
    placement = {g: [] for g in range(gpu_count)}
    for m in order:
        best = -1
        best_ratio = float("inf")
        for g in range(gpu_count):
            if m.size_gb <= free[g] and free[g] > 0:
                ratio = weighted[g] / free[g]
                if ratio < best_ratio:
                    best_ratio = ratio
                    best = g
        if best < 0:
            raise ValueError("no GPU has room for " + m.name)
        placement[best].append(m)
        weighted[best] = weighted[best] + m.request_rate / m.slo
        free[best] -= m.size_gb
    return placement
# EVOLVE-BLOCK-END
