"""Check a report.html as a reader's browser shows it: headless Chromium at 1400 px width says
whether anything overflows the page and whether every figure loaded, and takes a screenshot of
every screen (1400 x 900) of the page.

    python scripts/check_report_pages.py REPORT.html --out DIR [--width 1400]

Needs Chromium (Debian: `apt-get install chromium`); exit 0 when the page holds, 1 when
something overflows or a figure is missing (each named), 2 when no Chromium is found."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
SCREEN_HEIGHT = 900
MAX_HEIGHT = 60000

# Runs in the page after load: the page's own width against the window, the elements whose right
# edge passes the window (inside a scrolling box, the box counts, not its content), and the
# images that did not load.
PROBE = """
<script>
window.addEventListener('load', () => {
  const width = window.innerWidth;
  const scrolls = (el) => el.closest('.scroll');
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = (scrolls(el) || el).getBoundingClientRect();
    if (box.right > width + 1) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + ' ' + (el.textContent || el.getAttribute('alt') || '').trim().slice(0, 60));
  }
  const missing = [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
    .map(i => i.getAttribute('alt') || i.src.slice(0, 40));
  const out = {width: width, page_width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight, images: document.images.length,
    wide: [...new Set(wide)].slice(0, 20), missing: missing};
  const pre = document.createElement('pre');
  pre.id = 'pf-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""
RESULT = re.compile(r'<pre id="pf-check">(.*?)</pre>', re.S)


def browser() -> str | None:
    """The first Chromium on PATH."""
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def _chromium(exe: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def measure(exe: str, report: Path, width: int) -> dict:
    """What the probe finds in the page at this window width."""
    text = report.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        probed = Path(tmp) / "probed.html"
        probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        done = _chromium(
            exe,
            f"--window-size={width},{SCREEN_HEIGHT}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            probed.as_uri(),
        )
    found = RESULT.search(done.stdout)
    if not found:
        raise RuntimeError(f"the page could not be measured: {done.stderr[-500:]}")
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def screenshots(exe: str, report: Path, width: int, height: int, out: Path) -> list[Path]:
    """The whole page at `width`, cut into screens of SCREEN_HEIGHT pixels."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    whole = out / "page.png"
    tall = min(max(height, SCREEN_HEIGHT), MAX_HEIGHT)
    _chromium(exe, f"--window-size={width},{tall}", f"--screenshot={whole}", report.as_uri())
    image = Image.open(whole)
    pages = []
    for i, top in enumerate(range(0, image.height, SCREEN_HEIGHT), start=1):
        page = out / f"screen-{i:02d}.png"
        image.crop((0, top, width, min(top + SCREEN_HEIGHT, image.height))).save(page)
        pages.append(page)
    whole.unlink()
    return pages


def check(report: Path, out: Path, width: int = 1400) -> tuple[dict, list[Path]]:
    """The probe's findings and the screenshots; raises FileNotFoundError without Chromium."""
    exe = browser()
    if exe is None:
        raise FileNotFoundError("no Chromium found (apt-get install chromium)")
    found = measure(exe, report.resolve(), width)
    return found, screenshots(exe, report.resolve(), width, found["height"], out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the screenshots")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args(argv)
    try:
        found, pages = check(args.report, args.out, args.width)
    except FileNotFoundError as exc:
        print(f"check_report_pages: {exc}", file=sys.stderr)
        return 2
    print(
        f"{args.report}: {found['images']} figures, page {found['page_width']} px wide in a "
        f"{found['width']} px window, {found['height']} px tall; {len(pages)} screens in {args.out}"
    )
    for item in found["wide"]:
        print(f"  overflows: {item}")
    for item in found["missing"]:
        print(f"  figure missing: {item}")
    bad = found["page_width"] > found["width"] or found["wide"] or found["missing"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
