DEFAULT_FILE_STATUS = ("To review", "#ab26ff")
DEFAULT_SOFTWARE = ("3ds Max", "max", "max")
DEFAULT_OUTPUT_TYPE = ("Geometry", "geo")
# Projects without a file tree of their own use this shipped one, as Zou
# gives every new project the standard tree.
DEFAULT_FILE_TREE = "standard"
