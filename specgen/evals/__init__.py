"""The spec as an eval suite, without any eval engine: one record per judged turn and
per eval prompt (``records``), the whole model as JSON (``model_json``), and their JSON
text (``json_text``). Pure functions over ``specgen.model``: no files, no inspect_ai."""

RECORD_SCHEMA = "eval-record.schema.json"  # in specgen/schema/, printed by specgen schema
SPEC_SCHEMA = "spec.schema.json"
