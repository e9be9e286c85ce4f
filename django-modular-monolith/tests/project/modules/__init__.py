"""The sample modules of the library's test project: ``notes`` publishes, ``tally`` listens.

Importable as ``modules`` only in the library's own test run (pytest's ``pythonpath``),
never from the template's.
"""
