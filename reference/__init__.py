"""Reference solutions computed by code: Part 1 BPTT values, a NumPy LSTM yardstick, the data rule."""
