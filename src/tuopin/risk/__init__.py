"""Early warning beyond the rules: a score per household that ranks next year's monitoring candidates.

Trained on the registry's own history (a snapshot folder holding several years), validated out of time and in
held-out townships, explained per household by the factors that push its score. It ranks; it never decides: a
household enters monitoring only through the monitoring procedure (docs/decisions/1421).

    features.py   the features of a year's households, and their label, from the snapshot (features.sql)
    model.py      train, save and load the model (LightGBM), score and explain
    validate.py   out-of-time validation in held-out townships, against the rules' candidates
"""
