"""OpenEvolve evaluator of openevolve-circle: checks the circles itself and scores the sum of the radii
against a square grid of equal circles (score 1.0 = as good as the grid)."""

import importlib.util
import math
import time

from openevolve.evaluation_result import EvaluationResult

TOLERANCE = 1e-9
STAGE1_SIZES = [6]
STAGE2_SIZES = [8, 12, 16, 26]


def grid_sum(n):
    k = math.ceil(math.sqrt(n))
    return n / (2 * k)


def load(program_path):
    spec = importlib.util.spec_from_file_location("program", program_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def problems(n, circles):
    """What is wrong with the circles, the first few problems; empty when they are a valid packing."""
    if not isinstance(circles, (list, tuple)) or len(circles) != n:
        return ["expected %d circles, got %s" % (n, len(circles) if isinstance(circles, (list, tuple)) else type(circles).__name__)]
    found = []
    parsed = []
    for i, c in enumerate(circles):
        try:
            x, y, r = (float(v) for v in c)
        except (TypeError, ValueError):
            return ["circle %d is not three numbers: %r" % (i, c)]
        if not all(math.isfinite(v) for v in (x, y, r)) or r <= 0:
            found.append("circle %d has a non-finite value or a radius <= 0" % i)
        elif x - r < -TOLERANCE or x + r > 1 + TOLERANCE or y - r < -TOLERANCE or y + r > 1 + TOLERANCE:
            found.append("circle %d (%.4f, %.4f, r %.4f) leaves the square" % (i, x, y, r))
        parsed.append((x, y, r))
    for i in range(len(parsed)):
        for j in range(i + 1, len(parsed)):
            (xi, yi, ri), (xj, yj, rj) = parsed[i], parsed[j]
            if math.hypot(xi - xj, yi - yj) < ri + rj - TOLERANCE:
                found.append("circles %d and %d overlap" % (i, j))
    return found[:5]


def score_sizes(program_path, sizes):
    module = load(program_path)
    metrics = {}
    artifacts = {}
    ratios = []
    for n in sizes:
        started = time.perf_counter()
        circles = module.pack(n)
        elapsed = time.perf_counter() - started
        wrong = problems(n, circles)
        if wrong:
            metrics["sum_radii_%d" % n] = 0.0
            artifacts["invalid_%d" % n] = "; ".join(wrong)
            ratios.append(0.0)
            continue
        total = sum(float(c[2]) for c in circles)
        metrics["sum_radii_%d" % n] = total
        ratios.append(total / grid_sum(n))
        if elapsed > 1.0:
            artifacts["slow_%d" % n] = "pack(%d) took %.2f s" % (n, elapsed)
    metrics["combined_score"] = sum(ratios) / len(ratios)
    worst = min(zip(ratios, sizes))
    artifacts["weakest"] = "n = %d reaches %.3f of the grid's sum of radii %.4f" % (worst[1], worst[0], grid_sum(worst[1]))
    return EvaluationResult(metrics=metrics, artifacts=artifacts)


def evaluate_stage1(program_path):
    return score_sizes(program_path, STAGE1_SIZES)


def evaluate_stage2(program_path):
    return score_sizes(program_path, STAGE2_SIZES)


def evaluate(program_path):
    return score_sizes(program_path, STAGE1_SIZES + STAGE2_SIZES)
