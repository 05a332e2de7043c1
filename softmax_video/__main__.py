"""``python -m softmax_video``: the command line."""

from softmax_video.cli.main import main

main()
