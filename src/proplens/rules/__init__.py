"""Rules that need no training: word lists and patterns, each module with its own cues."""
