"""The seeded fault suite: ``model`` (how calls must end), ``run`` and its Run classes."""
