"""Fitting proplens's models and measuring them honestly, apart from inference.

Every ``proplens train`` command uses the one harness of `proplens.training.folds`:
folds by article (or by group of variants), out-of-fold predictions from models fitted
through the model contract (`proplens.models.base`), thresholds cross-fitted on the other
folds, and the held-out predictions written in the official formats and scored by
`proplens.eval.evaluate`. Needs the ``train`` extra (scikit-learn; torch for the
word-level technique model).
"""
