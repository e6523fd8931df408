"""The command line (`scripts/bench`, `python -m benchmark`): which measurements to run, in a
temporary folder, and the report they print in order."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from . import __doc__ as DESCRIPTION
from .builds import measure_builds, measure_profile
from .common import say
from .report import machine, ratio, revision, summary, versions
from .scaling import measure_scaling
from .serve import measure_serve
from .weight import measure_lighthouse, measure_weight, page_paths


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="skip the serve latency and the scaling builds")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling builds (serve still measured)")
    parser.add_argument("--profile", action="store_true", help="also profile one warm build (cProfile), by stage")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (needs tools/lighthouse)")
    args = parser.parse_args()
    started = time.perf_counter()
    header = f"{machine()}\n   {revision()}; {versions()}"
    say(header)
    say("All builds: NO_MKDOCS_2_WARNING=1 CI= python -m mkdocs build -q -f <copy>/mkdocs.yml -d <dir> (subprocess)\n")
    with tempfile.TemporaryDirectory(prefix="patientinfo-bench-") as folder:
        tmp = Path(folder)
        builds = measure_builds(tmp)
        serve = None if args.quick else measure_serve(tmp, builds)
        warm_rss, plain_rss = (max(r.max_rss_mb for r in runs) for runs in (builds.warm, builds.plain))
        say(
            f"\n3. Peak memory (max RSS of the build process, os.wait4): cold {builds.cold.max_rss_mb:.0f} MB, "
            f"warm {warm_rss:.0f} MB, plain MkDocs {plain_rss:.0f} MB"
        )
        scale = None
        if not (args.quick or args.no_scaling):
            scale, _ = measure_scaling(tmp, builds)
            one = scale["1x"].seconds
            say(
                "   ratios (warm): "
                f"5x/1x facts {ratio(scale['5x'].seconds, one)}, 10x/1x facts {ratio(scale['10x'].seconds, one)}, "
                f"6/3 languages {ratio(scale['6L'].seconds, one)}, 10/3 languages {ratio(scale['10L'].seconds, one)}, "
                f"10/1 languages {ratio(scale['10L'].seconds, scale['1L'].seconds)}"
            )
        paths = page_paths(builds.project)
        weights = measure_weight(builds.site, paths)
        if args.profile:
            measure_profile(tmp, builds)
        if args.lighthouse:
            measure_lighthouse(builds.site, paths, tmp)
        summary(builds, serve, scale, weights, header, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
