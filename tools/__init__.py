"""Development tools kept out of the installed package: scoring against labelled data, training.

Run from the repository root (`python -m tools.stance_train`); the tests and `bench/` scripts
import them as `tools.*`.
"""
