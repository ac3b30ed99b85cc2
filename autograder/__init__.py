"""Autograder for the 'Task 1: XOR' recurrent-networks homework."""
from autograder.config import GradingConfig
from autograder.errors import AutograderError, GraderFault, SubmissionFault, UsageError
from autograder.grading import grade_folder, grade_submission
from autograder.results import CheckResult, SubmissionResult

__all__ = ["AutograderError", "CheckResult", "GraderFault", "GradingConfig", "SubmissionFault",
           "SubmissionResult", "UsageError", "grade_folder", "grade_submission"]
