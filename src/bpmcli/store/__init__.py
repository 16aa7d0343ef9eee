"""The only door to git and to the caches under .git/bpm."""
