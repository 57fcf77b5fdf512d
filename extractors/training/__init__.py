"""Training and evaluation of the NER model from ../shared/datasets."""
