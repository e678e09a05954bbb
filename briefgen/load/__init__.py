"""Load stage: read YAML files into plain data that remembers where every value was written."""

from briefgen.load.project_files import ProjectFiles, find_project_root, load_project_files
from briefgen.load.yaml_reader import LoadedFile, YamlPath, read_yaml_file

__all__ = [
    "LoadedFile",
    "ProjectFiles",
    "YamlPath",
    "find_project_root",
    "load_project_files",
    "read_yaml_file",
]
