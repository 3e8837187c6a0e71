"""Stage 5: Report + occurrences + anchors → page texts. Knows nothing of YAML or raw seeds."""
