"""Reports for people: a single-file HTML page (and, later, the story report)."""
