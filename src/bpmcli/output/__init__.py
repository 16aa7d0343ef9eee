"""The only place that knows output formats: terminal tables, JSON, CSV, Markdown, lint formats."""
