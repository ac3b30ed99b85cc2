"""Wires in what the project's own tests need; the autograder plugin itself loads via its entry point."""
pytest_plugins = ["pytester"]
