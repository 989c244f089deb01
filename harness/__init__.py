"""Starting the real servers on 127.0.0.1, for the tests and the benchmarks."""
