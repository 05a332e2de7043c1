"""The command line: ``softmax-video interactive`` (offline HTML pages of the lecture's graphs)."""
