"""The rubric: one pytest module per assignment part; points sit on each test's marker."""
