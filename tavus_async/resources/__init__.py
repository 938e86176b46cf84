"""Each family's calls and its spec, one module per family, over the shared bases."""
