"""Report writers: each reads SubmissionResults and nothing else."""
