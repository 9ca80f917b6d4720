DEFAULT_FILE_STATUS = ("To review", "#ab26ff")
DEFAULT_SOFTWARE = ("3ds Max", "max", "max")
DEFAULT_OUTPUT_TYPE = ("Geometry", "geo")
