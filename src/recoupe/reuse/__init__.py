"""recoupe.reuse: copies between articles, from whole-article duplicates to re-translated
sentences. Pure algorithms (no store, no I/O); one module per algorithm:

* ``normalize``, ``shingles``: normalised text, hashed word shingles (batch, numpy).
* ``exact``: normalised content hash -> exact duplicate groups.
* ``minhash``, ``lsh``: MinHash signatures and a sort-based banded LSH index that scales
  to millions of articles -> ``NearDuplicate`` pairs.
* ``signals``, ``align``: lexical signals + multilingual encoder -> sentence/passage
  ``ReuseLink`` records (verbatim, near, paraphrase, translation).
* ``groups``, ``origins``: union-find; origin groups with direction when knowable.
* ``similarity``: article-level same-story score (choosing pairs to align).

See docs/reuse.md for thresholds and measurements.
"""
