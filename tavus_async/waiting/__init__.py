"""The waiting engine, knowing no family: policies, job kinds, wait / watch / wait_many.

A family describes its jobs with a ``JobKind`` (which status means done, failed or keep
waiting; its policies; its failure error) and the engine does the rest.
"""
