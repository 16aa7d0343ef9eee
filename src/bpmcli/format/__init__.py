"""The file format: front matter, Markdown structure, the timeline table. No git, no terminal."""
