"""The part of OpenEvolve's package that evaluators import, shipped by Galapagos with every task."""

from openevolve.evaluation_result import EvaluationResult

__all__ = ["EvaluationResult"]
