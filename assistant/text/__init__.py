"""Pure functions over what she writes: no Rasa, no I/O beyond the data files.

Language detection (``language``), negation (``negation``), red flags
(``red_flags``, from data/triage/red_flags.yml), symptom reports
(``symptom_reports``) and her situation (``situation``). Imported by the NLU
components, the policies and the evaluation; imports nothing of ``assistant``
outside this package, only the shared ``knowledge`` package.
"""
