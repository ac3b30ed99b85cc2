"""The untrusted side: student code runs only in the child processes started from here."""
