"""Corrected digests as references (issue 14).

Editors correct the Hindi of a digest after readers report mistakes; the corrected digest is
then a reference for the machine translation it came from. This package

- finds each audited digest's reference digest and pairs their pairs by paper and section
  (``matching``), or reads a parallel file's ``reference`` column;
- scores every pair, every digest and the run with sacrebleu's chrF, BLEU and TER
  (``metrics``; corpus scores are sacrebleu's corpus scores, not averages);
- scores (source, translation, reference) with a reference-based COMET model
  (``comet_reference``; same cache, offline behaviour and chunking as the QE scores);
- turns the per-digest scores into a table (``trend``) for CSV and the report's chart.

Nothing here prints or decides an exit code; sacrebleu and COMET are imported lazily.
"""
