"""Runs an OpenEvolve evaluator.py under Galapagos's evaluator protocol (see the README's "Task directories").

    python3 -m galapagos_openevolve EVALUATOR [--cascade=T1,T2,...] CANDIDATE SPLIT   # once: one result line
    python3 -m galapagos_openevolve EVALUATOR [--cascade=T1,T2,...]                   # warm: JSON lines on stdin

The evaluator is imported once. Results go to the original stdout; everything else printed there (by the
evaluator, the candidate or their subprocesses) is moved to stderr, so that no print can pass for a result.
"""

import asyncio
import importlib.util
import inspect
import json
import math
import os
import sys
import traceback

TRACEBACK_LINES = 20


def main(argv):
    if not argv:
        sys.stderr.write("usage: galapagos_openevolve EVALUATOR [--cascade=T1,...] [CANDIDATE SPLIT]\n")
        return 2
    evaluator_path = argv[0]
    thresholds = None
    positional = []
    for arg in argv[1:]:
        if arg.startswith("--cascade="):
            thresholds = [float(t) for t in arg[len("--cascade="):].split(",") if t.strip()]
        else:
            positional.append(arg)
    results = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    try:
        module = load(evaluator_path)
        failure = None
    except BaseException:  # an evaluator that cannot be imported answers every request with why
        module = None
        failure = {"status": "runtime_error", "reason": "importing " + evaluator_path + " failed: " + trace()}
    if positional:
        answer(results, failure or evaluate(module, thresholds, positional[0]), None)
        return 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError:
            continue
        if not isinstance(request, dict):
            continue
        answer(results, failure or evaluate(module, thresholds, request.get("candidate")), request.get("id"))
    return 0


def load(path):
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location("evaluator", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluator"] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "evaluate", None)):
        raise AttributeError(path + " defines no evaluate(program_path)")
    return module


def evaluate(module, thresholds, candidate):
    """OpenEvolve's evaluation of one program: the cascade of stage functions when asked and present, else evaluate."""
    try:
        if thresholds is not None and callable(getattr(module, "evaluate_stage1", None)):
            metrics, artifacts = outcome(call(module.evaluate_stage1, candidate))
            for stage in (2, 3):
                threshold = thresholds[stage - 2] if len(thresholds) > stage - 2 else None
                if threshold is not None and score(metrics) < threshold:
                    artifacts["cascade"] = "stopped after stage %d: score %s is below the threshold %s" % (
                        stage - 1, score(metrics), threshold)
                    break
                function = getattr(module, "evaluate_stage%d" % stage, None)
                if not callable(function):
                    break
                more_metrics, more_artifacts = outcome(call(function, candidate))
                metrics.update(more_metrics)
                artifacts.update(more_artifacts)
        else:
            metrics, artifacts = outcome(call(module.evaluate, candidate))
    except MemoryError:
        return {"status": "memory_exceeded", "reason": "the evaluation ran out of memory (MemoryError)"}
    except RecursionError:
        return {"status": "runtime_error", "reason": "RecursionError: " + trace()}
    except Exception:
        return {"status": "runtime_error", "reason": trace()}
    numeric = {}
    for key, value in metrics.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numeric[str(key)] = float(value)
        elif isinstance(value, bool):
            numeric[str(key)] = 1.0 if value else 0.0
        else:
            artifacts["metric " + str(key)] = value
    return {"score": score(numeric), "metrics": numeric,
            "artifacts": {str(k): text(v) for k, v in artifacts.items()}}


def call(function, candidate):
    result = function(candidate)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return result


def outcome(result):
    if isinstance(result, dict):
        return dict(result), {}
    metrics = getattr(result, "metrics", None)
    if isinstance(metrics, dict):
        return dict(metrics), dict(getattr(result, "artifacts", None) or {})
    raise TypeError("the evaluator returned %s, not a dict or an EvaluationResult" % type(result).__name__)


def score(metrics):
    """combined_score if there is one, else OpenEvolve's fallback: the mean of the numeric metrics."""
    value = metrics.get("combined_score")
    if isinstance(value, (int, float)):
        return float(value)
    numbers = [float(v) for v in metrics.values() if isinstance(v, (int, float)) and not math.isnan(float(v))]
    return sum(numbers) / len(numbers) if numbers else 0.0


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else json.dumps(value, default=str)


def trace():
    return "".join(traceback.format_exc().splitlines(True)[-TRACEBACK_LINES:]).strip()


def answer(results, result, request_id):
    if request_id is not None:
        result = dict(result, id=request_id)
    results.write(json.dumps(result, default=str) + "\n")
    results.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
