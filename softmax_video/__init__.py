"""softmax-video, the tool: configuration, drawing engine, scene kit and command line."""
