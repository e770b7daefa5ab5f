"""recoupe.reuse: copies between articles, from whole-article duplicates to re-translated
sentences. Pure algorithms (no store, no I/O); one module per algorithm:

* ``normalize``, ``tokens``, ``shingles``: normalised text, word tokens hashed in numpy,
  hashed word shingles (batches).
* ``exact``: normalised content hash -> exact duplicate groups.
* ``minhash``, ``signing``: MinHash signatures, on several cores.
* ``lsh``, ``lsh_index``, ``lsh_runs``, ``lsh_storage``: banded LSH, a persistent
  incremental index (sorted runs on disk) that scales to millions of articles ->
  ``NearDuplicate`` pairs. ``lsh_storage`` is the only module of the package that does
  I/O (a directory of arrays), behind an interface.
* ``signals``, ``align``: lexical signals + multilingual encoder -> sentence/passage
  ``ReuseLink`` records (verbatim, near, paraphrase, translation).
* ``groups``, ``origins``: union-find; origin groups with direction when knowable.
* ``similarity``: article-level same-story score (choosing pairs to align).

See docs/reuse.md for thresholds and measurements.
"""
