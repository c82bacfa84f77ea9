"""Importing files into a project and exporting projects to files.

Readers stream CSV, TSV, TXT, JSON(L), XLSX and Parquet with detected encodings; one
``RecordReader`` decides for the preview, the import and batch prediction alike which rows
are texts. Nothing here imports Qt.
"""

from bertdesk.io.encoding import CHOOSABLE_ENCODINGS, PREVIEW_ENCODING, UnknownEncoding
from bertdesk.io.exporters import SUPPORTED_EXPORT_SUFFIXES, export_project, table_file
from bertdesk.io.import_report import LISTED_NEW_LABELS, ImportReport
from bertdesk.io.importers import (
    LISTED_LABEL_VALUES,
    READ_SHARE,
    FileSniff,
    ImportOptions,
    LabelValues,
    Record,
    column_named,
    import_file,
    iter_records,
    label_values,
    likely_label_separator,
    open_records,
    preview_import,
    sniff_file,
)
from bertdesk.io.tables import (
    LABEL_COLUMN_NAMES,
    SPLIT_COLUMN_NAMES,
    SUPPORTED_IMPORT_SUFFIXES,
    TEXT_COLUMN_NAMES,
    unused_name,
)

__all__ = [
    "CHOOSABLE_ENCODINGS",
    "PREVIEW_ENCODING",
    "UnknownEncoding",
    "LABEL_COLUMN_NAMES",
    "LISTED_LABEL_VALUES",
    "LISTED_NEW_LABELS",
    "READ_SHARE",
    "SPLIT_COLUMN_NAMES",
    "SUPPORTED_EXPORT_SUFFIXES",
    "SUPPORTED_IMPORT_SUFFIXES",
    "TEXT_COLUMN_NAMES",
    "FileSniff",
    "ImportOptions",
    "ImportReport",
    "LabelValues",
    "Record",
    "column_named",
    "export_project",
    "import_file",
    "iter_records",
    "open_records",
    "label_values",
    "likely_label_separator",
    "preview_import",
    "sniff_file",
    "table_file",
    "unused_name",
]
