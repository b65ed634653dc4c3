"""Action ids of the import preview."""

IMPORT_FILE = "import_file"  # the preview's Import button; its value is the Slack file id
