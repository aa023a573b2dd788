"""pgTAP: run a schema's pgTAP files with pg_prove, and write the access matrix as pgTAP tests.

``prove`` runs files and reads every test's result, ``locate`` maps a test number to its line,
``setup`` installs pgTAP and the community-named test helpers into a throwaway database, and
``export`` renders the access matrix as pgTAP files.
"""
