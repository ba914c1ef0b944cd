"""The language layer: spaCy components for entities, roles and time, and the stage that runs them."""
