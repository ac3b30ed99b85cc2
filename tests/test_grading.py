"""autograder.grading: one broken submission never stops the batch or loses another student's result."""
from autograder import grading
from autograder.config import GradingConfig
from autograder.results import SubmissionResult
from autograder.sandbox.runner import fingerprint


def _folder(tmp_path):
    for name in ("alice", "bob", "carol"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "task1-xor.ipynb").write_text("{}")
    return tmp_path


def test_grader_fault_marks_not_graded_and_the_batch_goes_on(tmp_path, monkeypatch):
    def fake_sandbox(prepared, config, uid=None, keep_sandbox=False):
        if prepared.source.name == "bob":
            raise RuntimeError("sandbox exploded")
        return fingerprint(prepared.records)

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


def test_records_changed_after_collection_are_not_scored(tmp_path, monkeypatch):
    def fake_sandbox(prepared, config, uid=None, keep_sandbox=False):
        records = prepared.records
        (records / "cell_probe.json").write_text("{}")
        taken = fingerprint(records)
        if prepared.source.name == "carol":  # as if another student's process wrote here after collection
            (records / "cell_probe.json").write_text('{"forged": true}')
        return taken

    scored = []
    monkeypatch.setattr(grading, "collect_records", fake_sandbox)
    monkeypatch.setattr(grading, "score_records", lambda student, records, config: scored.append(student) or
                        SubmissionResult(student=student, checks=(), seed=config.seed, config={}, environment={}))
    results = {r.student: r for r in grading.grade_folder(_folder(tmp_path), GradingConfig(seed=1))}
    assert scored == ["alice", "bob"]
    assert results["carol"].not_graded == 15
    assert "changed after collection (cell_probe.json)" in results["carol"].ta_notes[0]
    assert "Traceback" not in results["carol"].ta_notes[0]


def test_records_are_prepared_for_everyone_before_student_code_runs(tmp_path, monkeypatch):
    seen = []

    def fake_sandbox(prepared, config, uid=None, keep_sandbox=False):
        # by the time the first student's code runs, every pristine copy exists
        seen.append(sorted(p.parent.name for p in prepared.records.parent.glob("*/submission.json")))
        return fingerprint(prepared.records)

    monkeypatch.setattr(grading, "collect_records", fake_sandbox)
    monkeypatch.setattr(grading, "score_records", lambda student, records, config:
                        SubmissionResult(student=student, checks=(), seed=config.seed, config={}, environment={}))
    (tmp_path / "class").mkdir()
    grading.grade_folder(_folder(tmp_path / "class"), GradingConfig(seed=1), keep_records=tmp_path / "rec")
    assert seen[0] == ["alice", "bob", "carol"]
