"""Stories: near-duplicate links and online story clustering over stored articles.

`neardup` (MinHash LSH), `features` and `vectors` (what an article is made of), `index`
(candidate stories by blocking and LSH), `cluster` (the online clusterer), `titles`, `stage`
(the analysis stage) and `records` (stories read back from the store).
"""
