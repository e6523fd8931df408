"""Measurements, printed as figures (not tests, no pass/fail): build times against plain MkDocs,
`mkdocs serve` edit-to-page latency, peak memory, scaling with facts and languages, first-load
page weight and, with --lighthouse, Lighthouse scores in its default mobile mode.

    scripts/bench                 # everything (about 13 minutes on the 2-core development machine)
    scripts/bench --quick         # builds, memory and page weights only (about 2 minutes)
    scripts/bench --profile       # plus a cProfile of one warm build, by stage
    scripts/lighthouse [--quick]  # plus the Lighthouse table (needs Node)

Everything runs on copies of the project in a temporary folder (never on content/ or site/),
each build as a subprocess, timed the same way for ours and for plain MkDocs:

    NO_MKDOCS_2_WARNING=1 CI= python -m mkdocs build -q -f <copy>/mkdocs.yml -d <folder>

(wall clock, interpreter start included). PATIENTINFO_PDF_CACHE always points into the
temporary folder. "Plain MkDocs" builds the Markdown the plugin staged (.cache/patientinfo/docs,
with the PDFs and assets) with the same mkdocs.yml minus the patientinfo plugin (Material,
search and i18n unchanged). Cold: empty PDF cache and no .cache/; warm: both filled.
"""
