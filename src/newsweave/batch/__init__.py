"""The pipeline over a corpus too large for one process: `newsweave batch`, then `newsweave load`.

- `shards.py`, `analyse.py`, `records.py`: the first stage (read, clean, language layer) per
  shard of the inputs, written as Parquet tables;
- `blocks.py`, `block.py`: the second stage (entities linked, stories, comparison) per block of
  articles that may share stories, each in a store of its own, with the export's tables;
- `plan.py`: where the work is kept and how a run started again finds what is left;
- `run.py`: both stages on Ray (the optional extra `newsweave[ray]`, imported only here);
- `load.py`: the blocks' stores merged into one store that the CLI, report and web app serve.
"""
