"""autograder.grading: one broken submission never stops the batch or loses another student's result."""
from autograder import grading
from autograder.config import GradingConfig
from autograder.results import SubmissionResult


def _folder(tmp_path):
    for name in ("alice", "bob", "carol"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "task1-xor.ipynb").write_text("{}")
    return tmp_path


def test_grader_fault_marks_not_graded_and_the_batch_goes_on(tmp_path, monkeypatch):
    def fake_sandbox(source, config, records):
        if source.name == "bob":
            raise RuntimeError("sandbox exploded")
        records.mkdir(parents=True, exist_ok=True)

    def fake_score(student, records, config):
        return SubmissionResult(student=student, checks=(), seed=config.seed, config={}, environment={})

    monkeypatch.setattr(grading, "collect_records", fake_sandbox)
    monkeypatch.setattr(grading, "score_records", fake_score)
    seen = []
    results = grading.grade_folder(_folder(tmp_path), GradingConfig(seed=1, jobs=2), on_result=seen.append)
    by_name = {r.student: r for r in results}
    assert [r.student for r in seen] == ["alice", "bob", "carol"]
    bob = by_name["bob"]
    assert bob.not_graded == len(bob.checks) == 15 and bob.total == 0 and bob.max_total == 50
    assert "sandbox exploded" in bob.ta_notes[0]
    assert all("sandbox exploded" not in c.message for c in bob.checks)
    assert by_name["alice"].not_graded == 0 and by_name["carol"].not_graded == 0
