"""Lint rules, one module per family; importing one registers its rules."""
