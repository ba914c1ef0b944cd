"""Scoring newsweave against labelled data (the scripts in `bench/` and the floor tests share it)."""
