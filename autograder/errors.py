"""The exception taxonomy: whose fault it is decides the score's effect, the reader and the exit code."""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes, numbered like pytest's."""

    OK = 0  # the batch finished, whatever the students scored
    SELF_CHECK_FAILED = 1
    INTERRUPTED = 2
    INTERNAL_ERROR = 3
    USAGE_ERROR = 4


class AutograderError(Exception):
    """Base class of everything the autograder raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class SubmissionFault(AutograderError):
    """The student's fault: dependent checks score 0 and the batch goes on."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # TA-only context: cell index, stderr tail


class NotebookMissing(SubmissionFault):
    """No task1-xor notebook was found in the submission."""


class NotebookUnreadable(SubmissionFault):
    """The notebook is not valid JSON / nbformat."""


class CellFailed(SubmissionFault):
    """A notebook cell that a check depends on raised."""


class CellTimedOut(SubmissionFault, TimeoutError):
    """A notebook cell or the whole notebook ran past its limit."""


class KernelDied(SubmissionFault, RuntimeError):
    """The kernel died (crash, memory limit) before the notebook finished."""


class ProbeFailed(SubmissionFault):
    """The module probe could not import or run the student's utils/LSTM.py."""


class RecordMalformed(SubmissionFault):
    """Data that came back from the sandbox is not of the agreed form."""


class AnswerNotFound(SubmissionFault):
    """A Part 1 value was not found in the notebook's markdown."""


class GraderFault(AutograderError):
    """Our fault (bug, missing dependency, rubric/config mismatch): the item is not graded, never 0."""

    exit_code = ExitCode.INTERNAL_ERROR


class UsageError(AutograderError):
    """The operator's fault (bad path, bad option, invalid config): nothing is graded."""

    exit_code = ExitCode.USAGE_ERROR

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format_message(self, prefix: str = "error: ") -> str:
        return f"{prefix}{self.message}" + (f"\nhint: {self.hint}" if self.hint else "")
