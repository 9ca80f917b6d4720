"""Admin screens of the import pipeline, one module per front door."""
